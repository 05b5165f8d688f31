import { IndexedHeap } from './indexedHeap.js';
import { TimeBuckets } from './timeBuckets.js';

/**
 * Idle (taken, not yet swept) slots allowed: `IDLE_FACTOR` times the pending ones, plus
 * `IDLE_SLACK`, so that a queue whose keys come back soon after they are emitted (a controller's
 * keys do) is not swept over and over, and a small queue is not swept at all.
 */
const IDLE_FACTOR = 2;
const IDLE_SLACK = 1024;

/**
 * The data structure behind `scheduler()`: at most one entry per key, ordered by the time it is
 * due, so that there is a single "next due" time for the whole queue. Entries due within a few
 * seconds of the earliest — nearly all of a controller's — sit in {@link TimeBuckets} (1 ms
 * buckets, O(1) to add, move and take); the rest (far-off or parked requeues) in an
 * {@link IndexedHeap}. `take` returns the smaller of both heads, so the order is exact whichever
 * holds an entry.
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
 * A taken key keeps its slot (idle, its message dropped) until a sweep, so that a key requested
 * again soon — the common case for a controller — costs one map lookup instead of a delete and
 * an insert. A sweep frees every idle slot once idle slots outnumber twice the pending ones by
 * {@link IDLE_SLACK} ({@link IDLE_FACTOR}), which keeps memory O(pending keys) — at most
 * `3 × pending + 1 025` keys are tracked — and costs O(1) per take amortised.
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
  // Pending and idle keys live in numbered slots: key → slot in the map, the rest in arrays by
  // slot. A slot is pending while it is in the front or the heap (its due time is not NaN).
  readonly #slotOf = new Map<string, number>();
  /** Per slot: its key, `undefined` once freed (lets a sweep walk slots instead of the map). */
  #keys: Array<string | undefined> = [];
  /** Slots handed out so far (free ones included). */
  #slots = 0;
  #messages: Array<T | undefined> = [];
  /** Per slot: latest time debouncing may push it to (earliest winning runAt + maxDebounce). */
  #deadlines = new Float64Array(64);
  /** Per slot: current due time, NaN when not pending (read without a front or heap lookup). */
  #dueAt = new Float64Array(64);
  readonly #freeSlots: number[] = [];
  /** Pending slots due within a few seconds of the earliest: the common case, cheap to pop. */
  readonly #front = new TimeBuckets();
  /** Every other pending slot (far-off and parked requeues, non-finite times). */
  readonly #heap = new IndexedHeap();
  /** Per slot: 1 while pending in the front, 0 otherwise. */
  #inFront = new Uint8Array(64);
  readonly #debounce: number;
  readonly #maxDebounce: number;
  /** Whether debouncing is bounded (`maxDebounce` finite): only then are deadlines kept. */
  readonly #bounded: boolean;
  #seq = 0;
  /** Slots of taken keys that still hold their key (see the class doc). */
  #idle = 0;

  /**
   * @param debounce ms added to every request's `runAt`.
   * @param maxDebounce ms past the earliest winning `runAt` debouncing may not push beyond
   *   (`Infinity` for no bound). Must be ≥ `debounce`.
   */
  constructor(debounce: number, maxDebounce: number) {
    this.#debounce = debounce;
    this.#maxDebounce = maxDebounce;
    this.#bounded = maxDebounce !== Infinity;
  }

  /** Number of pending keys. */
  get size(): number {
    return this.#front.size + this.#heap.size;
  }

  /** Keys with a slot, pending or idle: at most `3 × size + IDLE_SLACK + 1` (for tests). */
  get trackedKeys(): number {
    return this.#slotOf.size;
  }

  /** Whether a key has a slot, pending or idle (for tests). */
  isTracked(key: string): boolean {
    return this.#slotOf.has(key);
  }

  /** Whether a key is pending. */
  has(key: string): boolean {
    const slot = this.#slotOf.get(key);
    return slot !== undefined && this.#dueAt[slot] === this.#dueAt[slot];
  }

  /**
   * Applies one request (see the class doc) and returns the key's due time afterwards.
   */
  schedule(key: string, message: T, runAt: number): number {
    let slot = this.#slotOf.get(key);
    let dueAt = runAt + this.#debounce;
    const currentDueAt = slot === undefined ? NaN : this.#dueAt[slot]!;
    // NaN: a new key, or an idle slot (taken, not swept).
    if (currentDueAt !== currentDueAt) {
      if (slot === undefined) slot = this.#allocate(key, message);
      else {
        this.#messages[slot] = message;
        this.#idle--;
      }
      if (this.#bounded) this.#deadlines[slot] = runAt + this.#maxDebounce;
      this.#dueAt[slot] = dueAt;
      this.#insert(slot, dueAt);
      return dueAt;
    }
    if (runAt > currentDueAt) return currentDueAt;
    if (this.#bounded) {
      const deadline = runAt + this.#maxDebounce;
      let slotDeadline = this.#deadlines[slot!]!;
      if (deadline < slotDeadline) this.#deadlines[slot!] = slotDeadline = deadline;
      if (dueAt > slotDeadline) dueAt = slotDeadline;
    }
    this.#messages[slot!] = message;
    if (dueAt !== currentDueAt) {
      this.#dueAt[slot!] = dueAt;
      this.#move(slot!, dueAt);
    }
    return dueAt;
  }

  /** Due time of the earliest entry, `Infinity` when the queue is empty. */
  nextRunAt(): number {
    const front = this.#front.peekTime();
    const heap = this.#heap.peekTime();
    return front < heap ? front : heap;
  }

  /**
   * Removes the earliest entry and returns its message. Check {@link size} or {@link nextRunAt}
   * first: on an empty queue this throws a `RangeError`.
   */
  take(): T {
    const front = this.#front;
    const heap = this.#heap;
    // The front's head is looked up once, then compared with the heap's by (time, seq).
    const head = front.peek();
    let slot: number;
    if (head >= 0) {
      const frontTime = front.timeOf(head);
      const heapTime = heap.peekTime();
      if (frontTime < heapTime || (frontTime === heapTime && front.seqOf(head) < heap.peekSeq())) {
        front.remove(head);
        slot = head;
      } else {
        slot = heap.pop();
      }
    } else {
      slot = heap.pop();
    }
    if (slot < 0) throw new RangeError('DelayQueue is empty');
    this.#inFront[slot] = 0;
    const message = this.#messages[slot] as T;
    // Drop the reference so that an emitted message can be collected; the key stays, idle.
    this.#messages[slot] = undefined;
    this.#dueAt[slot] = NaN;
    if (++this.#idle > IDLE_FACTOR * this.size + IDLE_SLACK) this.#sweep();
    return message;
  }

  /** Drops every entry. */
  clear(): void {
    this.#front.clear();
    this.#heap.clear();
    this.#inFront.fill(0);
    this.#slotOf.clear();
    this.#slots = 0;
    this.#messages = [];
    this.#keys = [];
    this.#freeSlots.length = 0;
    this.#idle = 0;
  }

  /**
   * Frees every idle slot (due time NaN, key still held), walking the slots in order —
   * sequential reads, no map iteration — and stopping once none is left idle.
   */
  #sweep(): void {
    const keys = this.#keys;
    const dueAt = this.#dueAt;
    const slotOf = this.#slotOf;
    const freeSlots = this.#freeSlots;
    for (let slot = 0; slot < this.#slots && this.#idle > 0; slot++) {
      const key = keys[slot];
      if (key !== undefined && dueAt[slot] !== dueAt[slot]) {
        slotOf.delete(key);
        keys[slot] = undefined;
        freeSlots.push(slot);
        this.#idle--;
      }
    }
  }

  #allocate(key: string, message: T): number {
    let slot = this.#freeSlots.pop();
    if (slot === undefined) {
      slot = this.#slots++;
      this.#messages.push(message);
      if (slot >= this.#dueAt.length) this.#grow();
    } else {
      this.#messages[slot] = message;
    }
    this.#slotOf.set(key, slot);
    this.#keys[slot] = key;
    return slot;
  }

  /** Puts a slot that is not pending where its due time belongs, with a new arrival number. */
  #insert(slot: number, dueAt: number): void {
    if (this.#front.accepts(dueAt)) {
      this.#front.insert(slot, dueAt, this.#seq++);
      this.#inFront[slot] = 1;
    } else {
      this.#heap.push(slot, dueAt, this.#seq++);
    }
  }

  /** Gives a pending slot a new due time (and arrival number). */
  #move(slot: number, dueAt: number): void {
    if (this.#inFront[slot] === 1) {
      this.#front.remove(slot);
      this.#inFront[slot] = 0;
      this.#insert(slot, dueAt);
    } else if (this.#front.accepts(dueAt)) {
      this.#heap.remove(slot);
      this.#insert(slot, dueAt);
    } else {
      this.#heap.update(slot, dueAt, this.#seq++);
    }
  }

  #grow(): void {
    const capacity = this.#dueAt.length * 2;
    const inFront = new Uint8Array(capacity);
    inFront.set(this.#inFront);
    this.#inFront = inFront;
    const deadlines = new Float64Array(capacity);
    deadlines.set(this.#deadlines);
    this.#deadlines = deadlines;
    const dueAt = new Float64Array(capacity);
    dueAt.set(this.#dueAt);
    this.#dueAt = dueAt;
  }
}
