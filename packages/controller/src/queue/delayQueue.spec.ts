import { DelayQueue } from './delayQueue.js';
import { IndexedHeap } from './indexedHeap.js';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

describe('IndexedHeap', () => {
  it('pops ids in (time, seq) order after random pushes, priority changes and pops', () => {
    const random = seeded(7);
    const heap = new IndexedHeap(4);
    const live = new Map<number, { time: number; seq: number }>();
    const popped: number[] = [];
    const expected: number[] = [];
    let seq = 0;
    let nextId = 0;
    const freeIds: number[] = [];
    const smallest = (): number =>
      [...live.entries()].reduce((best, entry) =>
        entry[1].time < best[1].time ||
        (entry[1].time === best[1].time && entry[1].seq < best[1].seq)
          ? entry
          : best,
      )[0];
    for (let i = 0; i < 3000; i++) {
      const roll = random();
      if (roll < 0.5 || live.size === 0) {
        const id = freeIds.pop() ?? nextId++;
        const priority = { time: Math.floor(random() * 100), seq: seq++ };
        heap.push(id, priority.time, priority.seq);
        live.set(id, priority);
      } else if (roll < 0.75) {
        const ids = [...live.keys()];
        const id = ids[Math.floor(random() * ids.length)]!;
        const priority = { time: Math.floor(random() * 100), seq: seq++ };
        heap.update(id, priority.time, priority.seq);
        live.set(id, priority);
      } else {
        expected.push(smallest());
        const id = heap.pop();
        popped.push(id);
        live.delete(id);
        freeIds.push(id);
        expect(heap.has(id)).toBe(false);
      }
      expect(heap.size).toBe(live.size);
    }
    expect(popped).toEqual(expected);
    while (heap.size > 0) {
      const id = smallest();
      expect(heap.peek()).toBe(id);
      expect(heap.peekTime()).toBe(live.get(id)!.time);
      expect(heap.pop()).toBe(id);
      live.delete(id);
    }
    expect(heap.pop()).toBe(-1);
    expect(heap.peekTime()).toBe(Infinity);
  });

  it('orders equal times by seq over several levels, and moves ids up and down by seq alone', () => {
    const random = seeded(11);
    const heap = new IndexedHeap(4);
    const seqs = new Map<number, number>();
    // 200 ids at one time: four levels of a 4-ary heap, decided by seq only.
    for (let id = 0; id < 200; id++) {
      const seq = Math.floor(random() * 1_000_000);
      heap.push(id, 5, seq);
      seqs.set(id, seq);
    }
    // Priority changes that keep the time and move seq either way.
    for (let i = 0; i < 400; i++) {
      const id = Math.floor(random() * 200);
      const seq = Math.floor(random() * 1_000_000);
      heap.update(id, 5, seq);
      seqs.set(id, seq);
    }
    // One id earlier in time beats every seq; one later comes last.
    heap.update(150, 4, 999_999_999);
    heap.update(3, 6, -1);
    const expected = [...seqs.entries()]
      .filter(([id]) => id !== 150 && id !== 3)
      .sort((a, b) => a[1] - b[1])
      .map(([id]) => id);
    const popped: number[] = [];
    while (heap.size > 0) popped.push(heap.pop());
    expect(popped).toEqual([150, ...expected, 3]);
  });

  it('grows past its initial capacity and clears', () => {
    const heap = new IndexedHeap(4);
    for (let id = 0; id < 1000; id++) heap.push(id, 1000 - id, id);
    expect(heap.size).toBe(1000);
    expect(heap.peek()).toBe(999);
    heap.clear();
    expect(heap.size).toBe(0);
    expect(heap.has(5)).toBe(false);
    heap.push(5, 1, 0);
    expect(heap.pop()).toBe(5);
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

  it('matches a naive model under random requests and takes, reusing slots', () => {
    // Times within 50 ms stay in the front's window; times spread over 20 s, fractional times
    // and infinite ones also go through the heap, and move between the two.
    const near = (random: () => number): number => Math.floor(random() * 50);
    const spread = (random: () => number): number => {
      const roll = random();
      if (roll < 0.02) return Infinity;
      if (roll < 0.04) return -Infinity;
      if (roll < 0.5) return Math.floor(random() * 20_000);
      return Math.round(random() * 8000) / 4;
    };
    for (const [debounce, maxDebounce, keyCount, steps, scheduleShare, times] of [
      [0, Infinity, 30, 5000, 0.7, near],
      [5, 12, 30, 5000, 0.7, near],
      [0, Infinity, 30, 5000, 0.7, spread],
      [5, 12, 30, 5000, 0.7, spread],
      // Enough keys, and takes, for idle slots to be swept, several times.
      [0, Infinity, 2000, 12_000, 0.5, near],
      [5, 12, 2000, 12_000, 0.5, near],
      [0, Infinity, 2000, 12_000, 0.5, spread],
    ] as const) {
      const random = seeded(debounce + keyCount + (times === spread ? 1 : 0));
      // Unbounded debouncing has no deadline (-Infinity + Infinity would be NaN).
      const deadlineOf = (runAt: number): number =>
        maxDebounce === Infinity ? Infinity : runAt + maxDebounce;
      const queue = new DelayQueue<string>(debounce, maxDebounce);
      // key → { message, dueAt, deadline, seq }
      const model = new Map<
        string,
        { message: string; dueAt: number; deadline: number; seq: number }
      >();
      let seq = 0;
      let swept = false;
      let tracked = 0;
      for (let i = 0; i < steps; i++) {
        if (random() < scheduleShare) {
          const key = `k${Math.floor(random() * keyCount)}`;
          const runAt = times(random);
          const message = `${key}#${i}`;
          const entry = model.get(key);
          let dueAt = runAt + debounce;
          if (entry === undefined) {
            model.set(key, { message, dueAt, deadline: deadlineOf(runAt), seq: seq++ });
          } else if (runAt <= entry.dueAt) {
            entry.deadline = Math.min(entry.deadline, deadlineOf(runAt));
            dueAt = Math.min(dueAt, entry.deadline);
            entry.message = message;
            if (dueAt !== entry.dueAt) {
              entry.dueAt = dueAt;
              entry.seq = seq++;
            }
          } else {
            dueAt = entry.dueAt;
          }
          expect(queue.schedule(key, message, runAt)).toBe(dueAt);
        } else if (model.size > 0) {
          const [key, head] = [...model.entries()].reduce((a, b) =>
            b[1].dueAt < a[1].dueAt || (b[1].dueAt === a[1].dueAt && b[1].seq < a[1].seq) ? b : a,
          );
          expect(queue.nextRunAt()).toBe(head.dueAt);
          expect(queue.take()).toBe(head.message);
          model.delete(key);
        }
        expect(queue.size).toBe(model.size);
        // Memory stays proportional to the pending keys: idle slots are swept.
        expect(queue.trackedKeys).toBeLessThanOrEqual(3 * queue.size + 1025);
        if (queue.trackedKeys < tracked) swept = true;
        tracked = queue.trackedKeys;
      }
      if (keyCount > 1000) expect(swept).toBe(true);
      for (const key of model.keys()) expect(queue.has(key)).toBe(true);
    }
  });

  it('sweeps every idle key once idle keys outnumber twice the pending ones by 1 024', () => {
    const queue = new DelayQueue<string>(0, Infinity);
    for (let i = 0; i < 5000; i++) queue.schedule(`k${i}`, `k${i}`, i);
    let taken = 0;
    let tracked = queue.trackedKeys;
    while (queue.trackedKeys >= tracked) {
      tracked = queue.trackedKeys;
      expect(queue.take()).toBe(`k${taken++}`);
    }
    // The sweep came with the take that made idle keys exceed 2 × size + 1024, and left only
    // pending keys.
    const size = queue.size;
    expect(taken).toBe(5000 - size);
    expect(taken).toBe(3675);
    expect(taken).toBeGreaterThan(2 * size + 1024);
    expect(taken - 1).toBeLessThanOrEqual(2 * (size + 1) + 1024);
    expect(queue.trackedKeys).toBe(size);
    expect(queue.isTracked('k0')).toBe(false);
    expect(queue.isTracked(`k${taken - 1}`)).toBe(false);
    expect(queue.isTracked(`k${taken}`)).toBe(true);
    // Freed slots are reused: a swept key comes back as a new one, in order with the rest.
    queue.schedule('k0', 'again', 0);
    expect(queue.trackedKeys).toBe(size + 1);
    expect(queue.take()).toBe('again');
    expect(queue.take()).toBe(`k${taken}`);
  });

  it('schedules a taken key again as new, not merged with its emitted request', () => {
    const queue = new DelayQueue<string>(0, Infinity);
    queue.schedule('a', 'first', 10);
    expect(queue.take()).toBe('first');
    expect(queue.has('a')).toBe(false);
    expect(queue.size).toBe(0);
    // Later than the emitted request's time: a fresh entry, not absorbed.
    expect(queue.schedule('a', 'second', 20)).toBe(20);
    expect(queue.has('a')).toBe(true);
    expect(queue.take()).toBe('second');
    expect(queue.nextRunAt()).toBe(Infinity);
  });
});
