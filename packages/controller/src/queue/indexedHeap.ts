/**
 * What {@link IndexedHeap} needs from an entry: its priority (`runAt`, then `seq` to break ties)
 * and a slot where the heap keeps the entry's current position, so that an entry can be moved
 * or removed in O(log n) without searching for it.
 *
 * @internal
 */
export interface HeapEntry {
  /** Primary priority: smaller first. */
  runAt: number;
  /** Secondary priority for equal `runAt`: smaller first (an arrival counter gives FIFO). */
  seq: number;
  /** Position in the heap, maintained by the heap; -1 while the entry is not in a heap. */
  heapIndex: number;
}

/**
 * A binary min-heap of entries ordered by `(runAt, seq)` that tracks each entry's position, so
 * that changing an entry's priority ({@link IndexedHeap.update}) or removing it is O(log n).
 *
 * Used by the scheduler's delay queue: one heap for the whole queue means one timer (for the
 * head) instead of one per key. The heap holds the entries themselves (no wrapper objects), so a
 * push allocates nothing beyond the array's own growth.
 *
 * @internal
 * @example
 * ```ts
 * const heap = new IndexedHeap<HeapEntry>();
 * const a = { runAt: 20, seq: 0, heapIndex: -1 };
 * heap.push(a);
 * heap.push({ runAt: 10, seq: 1, heapIndex: -1 });
 * a.runAt = 5;
 * heap.update(a);
 * heap.pop(); // a
 * ```
 */
export class IndexedHeap<E extends HeapEntry> {
  readonly #items: E[] = [];

  /** Number of entries in the heap. */
  get size(): number {
    return this.#items.length;
  }

  /** The entry with the smallest `(runAt, seq)`, without removing it. */
  peek(): E | undefined {
    return this.#items[0];
  }

  /** Adds an entry that is not in the heap yet. */
  push(entry: E): void {
    const index = this.#items.length;
    this.#items.push(entry);
    entry.heapIndex = index;
    this.#siftUp(entry, index);
  }

  /** Removes and returns the entry with the smallest `(runAt, seq)`. */
  pop(): E | undefined {
    const items = this.#items;
    const top = items[0];
    if (top === undefined) return undefined;
    const last = items.pop() as E;
    top.heapIndex = -1;
    if (last !== top) {
      items[0] = last;
      last.heapIndex = 0;
      this.#siftDown(last, 0);
    }
    return top;
  }

  /** Restores the heap order after the entry's `runAt` or `seq` changed (either direction). */
  update(entry: E): void {
    const index = entry.heapIndex;
    if (index > 0 && this.#less(entry, this.#items[(index - 1) >> 1] as E)) {
      this.#siftUp(entry, index);
    } else {
      this.#siftDown(entry, index);
    }
  }

  /** Removes every entry. */
  clear(): void {
    for (const entry of this.#items) entry.heapIndex = -1;
    this.#items.length = 0;
  }

  #less(a: E, b: E): boolean {
    return a.runAt < b.runAt || (a.runAt === b.runAt && a.seq < b.seq);
  }

  // Both sifts move the hole rather than swapping, writing each displaced entry once.
  #siftUp(entry: E, index: number): void {
    const items = this.#items;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex] as E;
      if (!this.#less(entry, parent)) break;
      items[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    items[index] = entry;
    entry.heapIndex = index;
  }

  #siftDown(entry: E, index: number): void {
    const items = this.#items;
    const length = items.length;
    for (;;) {
      let childIndex = 2 * index + 1;
      if (childIndex >= length) break;
      let child = items[childIndex] as E;
      const rightIndex = childIndex + 1;
      if (rightIndex < length) {
        const right = items[rightIndex] as E;
        if (this.#less(right, child)) {
          childIndex = rightIndex;
          child = right;
        }
      }
      if (!this.#less(child, entry)) break;
      items[index] = child;
      child.heapIndex = index;
      index = childIndex;
    }
    items[index] = entry;
    entry.heapIndex = index;
  }
}
