/**
 * A binary min-heap of small integer ids ordered by `(time, seq)` that knows where each id
 * sits, so that changing an id's priority ({@link IndexedHeap.update}) is O(log n) without a
 * search.
 *
 * Used by the scheduler's delay queue: one heap for the whole queue means one timer (for the
 * head) instead of one per key. Priorities, ids and positions live in typed arrays (struct of
 * arrays): sifting compares neighbouring numbers instead of chasing pointers to scattered
 * objects, which keeps 100 000 pending keys fast, and the heap allocates only when it grows.
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
  #times: Float64Array;
  #seqs: Float64Array;
  #ids: Int32Array;
  /** id → its index in the heap arrays, -1 when absent. */
  #positions: Int32Array;
  #size = 0;

  constructor(initialCapacity = 64) {
    const capacity = Math.max(4, initialCapacity);
    this.#times = new Float64Array(capacity);
    this.#seqs = new Float64Array(capacity);
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
    return this.#size === 0 ? Infinity : this.#times[0]!;
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
      const parent = (index - 1) >> 1;
      const parentTime = this.#times[parent]!;
      if (time < parentTime || (time === parentTime && seq < this.#seqs[parent]!)) {
        this.#siftUp(index, id, time, seq);
        return;
      }
    }
    this.#siftDown(index, id, time, seq);
  }

  /** Removes the id with the smallest `(time, seq)` and returns it; -1 when empty. */
  pop(): number {
    if (this.#size === 0) return -1;
    const top = this.#ids[0]!;
    this.#positions[top] = -1;
    const last = --this.#size;
    if (last > 0) this.#siftDown(0, this.#ids[last]!, this.#times[last]!, this.#seqs[last]!);
    return top;
  }

  /** Removes every id. */
  clear(): void {
    for (let index = 0; index < this.#size; index++) this.#positions[this.#ids[index]!] = -1;
    this.#size = 0;
  }

  // Both sifts move a hole and write the moving id once, at its final index.
  #siftUp(index: number, id: number, time: number, seq: number): void {
    const times = this.#times;
    const seqs = this.#seqs;
    const ids = this.#ids;
    const positions = this.#positions;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent]!;
      if (time > parentTime || (time === parentTime && seq >= seqs[parent]!)) break;
      const parentId = ids[parent]!;
      times[index] = parentTime;
      seqs[index] = seqs[parent]!;
      ids[index] = parentId;
      positions[parentId] = index;
      index = parent;
    }
    times[index] = time;
    seqs[index] = seq;
    ids[index] = id;
    positions[id] = index;
  }

  #siftDown(index: number, id: number, time: number, seq: number): void {
    const times = this.#times;
    const seqs = this.#seqs;
    const ids = this.#ids;
    const positions = this.#positions;
    const size = this.#size;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= size) break;
      let childTime = times[child]!;
      let childSeq = seqs[child]!;
      const right = child + 1;
      if (right < size) {
        const rightTime = times[right]!;
        const rightSeq = seqs[right]!;
        if (rightTime < childTime || (rightTime === childTime && rightSeq < childSeq)) {
          child = right;
          childTime = rightTime;
          childSeq = rightSeq;
        }
      }
      if (time < childTime || (time === childTime && seq <= childSeq)) break;
      const childId = ids[child]!;
      times[index] = childTime;
      seqs[index] = childSeq;
      ids[index] = childId;
      positions[childId] = index;
      index = child;
    }
    times[index] = time;
    seqs[index] = seq;
    ids[index] = id;
    positions[id] = index;
  }

  #growHeap(): void {
    const capacity = this.#ids.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.#times);
    this.#times = times;
    const seqs = new Float64Array(capacity);
    seqs.set(this.#seqs);
    this.#seqs = seqs;
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
