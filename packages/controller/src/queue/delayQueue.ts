import { IndexedHeap } from './indexedHeap.js';
import type { HeapEntry } from './indexedHeap.js';

interface QueueEntry<T> extends HeapEntry {
  readonly key: string;
  message: T;
  /** Latest time debouncing may push this entry to: earliest winning runAt + maxDebounce. */
  deadline: number;
}

/**
 * The data structure behind `scheduler()`: at most one entry per key, ordered by the time it is
 * due, in an {@link IndexedHeap} so that there is a single "next due" time for the whole queue.
 *
 * Scheduling rules (kube-runtime's, plus an optional bound on debouncing):
 * - a request for a new key is due at `runAt + debounce`;
 * - a request for a pending key whose `runAt` is not later than the pending due time wins: the
 *   entry takes its message and becomes due at `runAt + debounce` — earlier if the request is
 *   earlier, later when the request falls inside the debounce window (that is the debounce);
 *   the due time never goes past the earliest winning `runAt` + `maxDebounce`;
 * - a request later than the pending due time is absorbed (the earlier emission covers it).
 *
 * Equal due times come out in the order they were (re)scheduled; an entry whose due time did not
 * change keeps its place.
 *
 * @internal
 * @example
 * ```ts
 * const queue = new DelayQueue<string>(0, Infinity);
 * queue.schedule('a', 'a', 20);
 * queue.schedule('a', 'a', 10); // earliest wins
 * queue.nextRunAt(); // 10
 * queue.take(); // 'a'
 * ```
 */
export class DelayQueue<T> {
  readonly #entries = new Map<string, QueueEntry<T>>();
  readonly #heap = new IndexedHeap<QueueEntry<T>>();
  readonly #debounce: number;
  readonly #maxDebounce: number;
  #seq = 0;

  /**
   * @param debounce ms added to every request's `runAt`.
   * @param maxDebounce ms past the earliest winning `runAt` debouncing may not push beyond
   *   (`Infinity` for no bound). Must be ≥ `debounce`.
   */
  constructor(debounce: number, maxDebounce: number) {
    this.#debounce = debounce;
    this.#maxDebounce = maxDebounce;
  }

  /** Number of pending keys. */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether a key is pending. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /**
   * Applies one request (see the class doc) and returns the key's due time afterwards.
   */
  schedule(key: string, message: T, runAt: number): number {
    const entry = this.#entries.get(key);
    let dueAt = runAt + this.#debounce;
    if (entry === undefined) {
      const created: QueueEntry<T> = {
        key,
        message,
        runAt: dueAt,
        seq: this.#seq++,
        heapIndex: -1,
        deadline: runAt + this.#maxDebounce,
      };
      this.#entries.set(key, created);
      this.#heap.push(created);
      return dueAt;
    }
    if (runAt > entry.runAt) return entry.runAt;
    const deadline = runAt + this.#maxDebounce;
    if (deadline < entry.deadline) entry.deadline = deadline;
    if (dueAt > entry.deadline) dueAt = entry.deadline;
    entry.message = message;
    if (dueAt !== entry.runAt) {
      entry.runAt = dueAt;
      entry.seq = this.#seq++;
      this.#heap.update(entry);
    }
    return dueAt;
  }

  /** Due time of the earliest entry, `Infinity` when the queue is empty. */
  nextRunAt(): number {
    const head = this.#heap.peek();
    return head === undefined ? Infinity : head.runAt;
  }

  /**
   * Removes the earliest entry and returns its message. Check {@link size} or {@link nextRunAt}
   * first: on an empty queue this throws a `RangeError`.
   */
  take(): T {
    const head = this.#heap.pop();
    if (head === undefined) throw new RangeError('DelayQueue is empty');
    this.#entries.delete(head.key);
    return head.message;
  }

  /** Drops every entry. */
  clear(): void {
    this.#heap.clear();
    this.#entries.clear();
  }
}
