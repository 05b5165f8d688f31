/**
 * A 4-ary min-heap of small integer ids ordered by `(time, seq)` that knows where each id
 * sits, so that changing an id's priority ({@link IndexedHeap.update}) is O(log n) without a
 * search.
 *
 * Used by the scheduler's delay queue: one heap for the whole queue means one timer (for the
 * head) instead of one per key. Priorities, ids and positions live in typed arrays, `time` and
 * `seq` interleaved: sifting compares neighbouring numbers instead of chasing pointers to
 * scattered objects, and the heap allocates only when it grows. Four children per node halve
 * the depth of a binary heap (about 8 levels for 100 000 ids); the four children of a node sit
 * next to each other in memory, so a level of `pop` costs about one cache line.
 *
 * Ids are the caller's slot numbers (`0 ≤ id`, reused after `pop`); an id must not be pushed
 * twice. `seq` breaks ties between equal times (pass an arrival counter for FIFO).
 *
 * @internal
 * @example
 * ```ts
 * const heap = new IndexedHeap();
 * heap.push(0, 20, 0);
 * heap.push(1, 10, 1);
 * heap.update(0, 5, 2);
 * heap.pop(); // 0
 * heap.pop(); // 1
 * ```
 */
export class IndexedHeap {
  /** `(time, seq)` of each heap index, interleaved: `[time0, seq0, time1, seq1, …]`. */
  #priorities: Float64Array;
  #ids: Int32Array;
  /** id → its index in the heap arrays, -1 when absent. */
  #positions: Int32Array;
  #size = 0;

  constructor(initialCapacity = 64) {
    const capacity = Math.max(4, initialCapacity);
    this.#priorities = new Float64Array(2 * capacity);
    this.#ids = new Int32Array(capacity);
    this.#positions = new Int32Array(capacity).fill(-1);
  }

  /** Number of ids in the heap. */
  get size(): number {
    return this.#size;
  }

  /** Whether `id` is in the heap. */
  has(id: number): boolean {
    return id < this.#positions.length && this.#positions[id]! >= 0;
  }

  /** Time of the first id, `Infinity` when empty. */
  peekTime(): number {
    return this.#size === 0 ? Infinity : this.#priorities[0]!;
  }

  /** `seq` of the first id, `Infinity` when empty. */
  peekSeq(): number {
    return this.#size === 0 ? Infinity : this.#priorities[1]!;
  }

  /** The id with the smallest `(time, seq)`, -1 when empty. */
  peek(): number {
    return this.#size === 0 ? -1 : this.#ids[0]!;
  }

  /** Adds an id that is not in the heap. */
  push(id: number, time: number, seq: number): void {
    if (this.#size === this.#ids.length) this.#growHeap();
    if (id >= this.#positions.length) this.#growPositions(id);
    this.#siftUp(this.#size++, id, time, seq);
  }

  /** Changes the priority of an id that is in the heap (either direction). */
  update(id: number, time: number, seq: number): void {
    const index = this.#positions[id]!;
    if (index > 0) {
      const parent = (index - 1) >> 2;
      const parentTime = this.#priorities[2 * parent]!;
      if (time < parentTime || (time === parentTime && seq < this.#priorities[2 * parent + 1]!)) {
        this.#siftUp(index, id, time, seq);
        return;
      }
    }
    this.#siftDown(index, id, time, seq);
  }

  /** Removes an id that is in the heap. */
  remove(id: number): void {
    const index = this.#positions[id]!;
    this.#positions[id] = -1;
    const last = --this.#size;
    if (index === last) return;
    // The last id fills the hole, then moves up or down from there.
    const movedId = this.#ids[last]!;
    this.#positions[movedId] = index;
    this.update(movedId, this.#priorities[2 * last]!, this.#priorities[2 * last + 1]!);
  }

  /** Removes the id with the smallest `(time, seq)` and returns it; -1 when empty. */
  pop(): number {
    if (this.#size === 0) return -1;
    const top = this.#ids[0]!;
    this.#positions[top] = -1;
    const last = --this.#size;
    if (last > 0) {
      const priorities = this.#priorities;
      this.#siftDown(0, this.#ids[last]!, priorities[2 * last]!, priorities[2 * last + 1]!);
    }
    return top;
  }

  /** Removes every id. */
  clear(): void {
    for (let index = 0; index < this.#size; index++) this.#positions[this.#ids[index]!] = -1;
    this.#size = 0;
  }

  // Both sifts move a hole and write the moving id once, at its final index.
  #siftUp(index: number, id: number, time: number, seq: number): void {
    const priorities = this.#priorities;
    const ids = this.#ids;
    const positions = this.#positions;
    while (index > 0) {
      const parent = (index - 1) >> 2;
      const parentTime = priorities[2 * parent]!;
      const parentSeq = priorities[2 * parent + 1]!;
      if (time > parentTime || (time === parentTime && seq >= parentSeq)) break;
      const parentId = ids[parent]!;
      priorities[2 * index] = parentTime;
      priorities[2 * index + 1] = parentSeq;
      ids[index] = parentId;
      positions[parentId] = index;
      index = parent;
    }
    priorities[2 * index] = time;
    priorities[2 * index + 1] = seq;
    ids[index] = id;
    positions[id] = index;
  }

  #siftDown(index: number, id: number, time: number, seq: number): void {
    const priorities = this.#priorities;
    const ids = this.#ids;
    const positions = this.#positions;
    const size = this.#size;
    for (;;) {
      const first = 4 * index + 1;
      if (first >= size) break;
      // The smallest of up to four children, which sit next to each other in memory.
      let child = first;
      let childTime = priorities[2 * first]!;
      let childSeq = priorities[2 * first + 1]!;
      const end = first + 4 < size ? first + 4 : size;
      for (let other = first + 1; other < end; other++) {
        const otherTime = priorities[2 * other]!;
        if (otherTime > childTime) continue;
        const otherSeq = priorities[2 * other + 1]!;
        if (otherTime < childTime || otherSeq < childSeq) {
          child = other;
          childTime = otherTime;
          childSeq = otherSeq;
        }
      }
      if (time < childTime || (time === childTime && seq <= childSeq)) break;
      const childId = ids[child]!;
      priorities[2 * index] = childTime;
      priorities[2 * index + 1] = childSeq;
      ids[index] = childId;
      positions[childId] = index;
      index = child;
    }
    priorities[2 * index] = time;
    priorities[2 * index + 1] = seq;
    ids[index] = id;
    positions[id] = index;
  }

  #growHeap(): void {
    const capacity = this.#ids.length * 2;
    const priorities = new Float64Array(2 * capacity);
    priorities.set(this.#priorities);
    this.#priorities = priorities;
    const ids = new Int32Array(capacity);
    ids.set(this.#ids);
    this.#ids = ids;
  }

  #growPositions(id: number): void {
    let capacity = this.#positions.length * 2;
    while (capacity <= id) capacity *= 2;
    const positions = new Int32Array(capacity).fill(-1);
    positions.set(this.#positions);
    this.#positions = positions;
  }
}
