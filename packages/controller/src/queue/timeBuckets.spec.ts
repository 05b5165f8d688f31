import { IndexedHeap } from './indexedHeap.js';
import { TimeBuckets } from './timeBuckets.js';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

interface Priority {
  time: number;
  seq: number;
}

function smallest(live: Map<number, Priority>): number {
  return [...live.entries()].reduce((best, entry) =>
    entry[1].time < best[1].time || (entry[1].time === best[1].time && entry[1].seq < best[1].seq)
      ? entry
      : best,
  )[0];
}

describe('TimeBuckets', () => {
  it('refuses non-finite times, and times the window cannot cover with what it holds', () => {
    const front = new TimeBuckets();
    expect(front.accepts(Infinity)).toBe(false);
    expect(front.accepts(-Infinity)).toBe(false);
    expect(front.accepts(NaN)).toBe(false);
    // Empty: any finite time, the window starts there.
    expect(front.accepts(1e12)).toBe(true);
    front.insert(0, 1_000, 0);
    expect(front.accepts(1_000 + TimeBuckets.WIDTH - 1)).toBe(true);
    expect(front.accepts(1_000 + TimeBuckets.WIDTH)).toBe(false);
    // Back in time while everything held still fits.
    expect(front.accepts(1_000 - TimeBuckets.WIDTH + 1)).toBe(true);
    expect(front.accepts(1_000 - TimeBuckets.WIDTH)).toBe(false);
    front.insert(1, 1_000 - TimeBuckets.WIDTH + 1, 1);
    expect(front.accepts(1_001)).toBe(false);
    expect(front.pop()).toBe(1);
    expect(front.pop()).toBe(0);
    expect(front.pop()).toBe(-1);
    expect(front.peekTime()).toBe(Infinity);
    expect(front.peek()).toBe(-1);
  });

  it('orders fractional and equal times within one bucket by (time, seq)', () => {
    const front = new TimeBuckets();
    front.insert(0, 5.75, 0);
    front.insert(1, 5.25, 1);
    front.insert(2, 5.75, 2);
    front.insert(3, 5, 3);
    front.insert(4, 5.25, 4);
    expect([front.pop(), front.pop(), front.pop(), front.pop(), front.pop()]).toEqual([
      3, 1, 4, 0, 2,
    ]);
  });

  it('matches a naive model while the window slides over many widths, across negative times', () => {
    const random = seeded(11);
    const front = new TimeBuckets(4);
    const live = new Map<number, Priority>();
    const popped: number[] = [];
    const expected: number[] = [];
    const freeIds: number[] = [];
    let nextId = 0;
    let seq = 0;
    // The earliest time requests are made at moves forward, from negative times to 20 widths on.
    let now = -3 * TimeBuckets.WIDTH;
    let refused = 0;
    let largest = 0;
    const newTime = (): number => {
      const roll = random();
      const ahead =
        roll < 0.3 ? random() * 3 : random() * (roll < 0.35 ? 2 : 0.4) * TimeBuckets.WIDTH;
      return roll < 0.6 ? Math.floor(now + ahead) : now + ahead;
    };
    for (let i = 0; i < 20_000; i++) {
      now += random() * 12;
      const roll = random();
      if (roll < 0.55 || live.size === 0) {
        const time = newTime();
        if (!front.accepts(time)) {
          refused++;
          continue;
        }
        const id = freeIds.pop() ?? nextId++;
        front.insert(id, time, seq);
        live.set(id, { time, seq: seq++ });
      } else if (roll < 0.7) {
        const ids = [...live.keys()];
        const id = ids[Math.floor(random() * ids.length)]!;
        front.remove(id);
        live.delete(id);
        freeIds.push(id);
      } else {
        const id = smallest(live);
        expected.push(id);
        expect(front.peekTime()).toBe(live.get(id)!.time);
        expect(front.peek()).toBe(id);
        expect(front.timeOf(id)).toBe(live.get(id)!.time);
        expect(front.seqOf(id)).toBe(live.get(id)!.seq);
        popped.push(front.pop());
        live.delete(id);
        freeIds.push(id);
      }
      expect(front.size).toBe(live.size);
      largest = Math.max(largest, live.size);
    }
    expect(popped).toEqual(expected);
    expect(popped.length).toBeGreaterThan(3000);
    expect(refused).toBeGreaterThan(0);
    expect(largest).toBeGreaterThan(100);
    expect(now).toBeGreaterThan(20 * TimeBuckets.WIDTH);
    while (live.size > 0) {
      const id = smallest(live);
      expect(front.pop()).toBe(id);
      live.delete(id);
    }
    front.clear();
    expect(front.size).toBe(0);
    expect(front.peekTime()).toBe(Infinity);
  });
});

describe('IndexedHeap.remove', () => {
  it('removes any id and keeps the (time, seq) order of the rest', () => {
    const random = seeded(5);
    const heap = new IndexedHeap(4);
    const live = new Map<number, Priority>();
    for (let id = 0; id < 500; id++) {
      const priority = { time: Math.floor(random() * 50), seq: id };
      heap.push(id, priority.time, priority.seq);
      live.set(id, priority);
    }
    for (let id = 0; id < 500; id += 3) {
      heap.remove(id);
      live.delete(id);
      expect(heap.has(id)).toBe(false);
    }
    expect(heap.size).toBe(live.size);
    while (live.size > 0) {
      const id = smallest(live);
      expect(heap.peekSeq()).toBe(live.get(id)!.seq);
      expect(heap.pop()).toBe(id);
      live.delete(id);
    }
  });
});
