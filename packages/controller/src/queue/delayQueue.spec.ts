import { DelayQueue } from './delayQueue.js';
import { IndexedHeap } from './indexedHeap.js';
import type { HeapEntry } from './indexedHeap.js';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

describe('IndexedHeap', () => {
  it('pops entries in (runAt, seq) order after random pushes and priority changes', () => {
    const random = seeded(7);
    const heap = new IndexedHeap<HeapEntry & { id: number }>();
    const live: Array<HeapEntry & { id: number }> = [];
    let seq = 0;
    for (let i = 0; i < 2000; i++) {
      const entry = { id: i, runAt: Math.floor(random() * 100), seq: seq++, heapIndex: -1 };
      heap.push(entry);
      live.push(entry);
      if (random() < 0.5) {
        const moved = live[Math.floor(random() * live.length)]!;
        moved.runAt = Math.floor(random() * 100);
        moved.seq = seq++;
        heap.update(moved);
      }
    }
    const expected = [...live].sort((a, b) => a.runAt - b.runAt || a.seq - b.seq).map((e) => e.id);
    const popped: number[] = [];
    for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) {
      expect(entry.heapIndex).toBe(-1);
      popped.push(entry.id);
    }
    expect(popped).toEqual(expected);
    expect(heap.size).toBe(0);
  });

  it('tracks positions so that every entry knows its slot', () => {
    const heap = new IndexedHeap<HeapEntry>();
    const entries = [5, 3, 8, 1, 9, 2].map((runAt, seq) => ({ runAt, seq, heapIndex: -1 }));
    entries.forEach((e) => heap.push(e));
    expect(heap.peek()!.runAt).toBe(1);
    entries[4]!.runAt = 0;
    heap.update(entries[4]!);
    expect(heap.peek()).toBe(entries[4]);
    heap.clear();
    expect(heap.size).toBe(0);
    expect(entries.every((e) => e.heapIndex === -1)).toBe(true);
  });
});

describe('DelayQueue', () => {
  it('holds one entry per key, the earliest request winning', () => {
    const queue = new DelayQueue<string>(0, Infinity);
    expect(queue.schedule('a', 'a1', 20)).toBe(20);
    expect(queue.schedule('a', 'a2', 10)).toBe(10);
    expect(queue.schedule('a', 'a3', 15)).toBe(10);
    expect(queue.schedule('b', 'b1', 12)).toBe(12);
    expect(queue.size).toBe(2);
    expect(queue.has('a')).toBe(true);
    expect(queue.nextRunAt()).toBe(10);
    expect(queue.take()).toBe('a2');
    expect(queue.has('a')).toBe(false);
    expect(queue.take()).toBe('b1');
    expect(queue.nextRunAt()).toBe(Infinity);
    expect(() => queue.take()).toThrow(RangeError);
  });

  it('debounces: a request inside the pending window pushes it, bounded by maxDebounce', () => {
    const queue = new DelayQueue<string>(10, 25);
    expect(queue.schedule('a', 'a', 0)).toBe(10);
    expect(queue.schedule('a', 'a', 8)).toBe(18);
    expect(queue.schedule('a', 'a', 19)).toBe(18); // later than pending: absorbed
    expect(queue.schedule('a', 'a', 17)).toBe(25); // 27, capped at 0 + 25
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.nextRunAt()).toBe(Infinity);
  });
});
