/** Number of 1 ms buckets in the window (a power of two, a multiple of 32). */
const WIDTH = 4096;
const NONE = -1;

/**
 * A calendar of 1 ms buckets over a sliding window of {@link TimeBuckets.WIDTH} ms, holding small
 * integer ids ordered by `(time, seq)`: the front of the scheduler's delay queue, for keys due
 * soon. Each bucket is a doubly-linked list of ids kept in `(time, seq)` order, links in typed
 * arrays by id.
 *
 * Why: with 100 000 pending keys, a heap's pop walks eight levels of arrays that no longer fit in
 * the CPU caches, a cache miss or more per level. Here a pop unlinks the head of the first
 * non-empty bucket (found through a bitmap) and an insert appends to a bucket's tail — a couple
 * of cache misses whatever the size. Keys due at the same millisecond arrive in `seq` order, so
 * an insert is an append; only fractional times in one bucket that arrive out of order walk the
 * list back.
 *
 * The window starts at the earliest bucket that may hold an id and spans `WIDTH` buckets; an id
 * whose time falls outside it (or is not finite) is refused by {@link accepts}, and the caller
 * keeps it elsewhere (the delay queue keeps it in its heap and pops the smaller of both heads).
 * The window moves forward as buckets empty, may move back while everything held still fits, and
 * restarts at the next insert once empty.
 *
 * Ids are the caller's slot numbers (`0 ≤ id`); an id must not be inserted twice.
 *
 * @internal
 * @example
 * ```ts
 * const front = new TimeBuckets();
 * front.accepts(20); // true: empty, the window starts at the next insert
 * front.insert(0, 20, 0);
 * front.insert(1, 10, 1);
 * front.peekTime(); // 10
 * front.pop(); // 1
 * front.pop(); // 0
 * ```
 */
export class TimeBuckets {
  /** Width of the window, in 1 ms buckets. */
  static readonly WIDTH = WIDTH;

  readonly #heads = new Int32Array(WIDTH).fill(NONE);
  readonly #tails = new Int32Array(WIDTH).fill(NONE);
  /** One bit per bucket: set when it holds an id. */
  readonly #occupied = new Uint32Array(WIDTH / 32);
  /** Per id, interleaved: `[next0, previous0, next1, previous1, …]`. */
  #links: Int32Array;
  /** Per id, interleaved: `[time0, seq0, time1, seq1, …]`. */
  #priorities: Float64Array;
  #size = 0;
  /** The earliest bucket (absolute, `Math.floor(time)`) that may hold an id. */
  #start = 0;
  /** No id is in a bucket past this one (an upper bound, reset when empty). */
  #end = 0;

  constructor(initialCapacity = 64) {
    const capacity = Math.max(4, initialCapacity);
    this.#links = new Int32Array(2 * capacity);
    this.#priorities = new Float64Array(2 * capacity);
  }

  /** Number of ids held. */
  get size(): number {
    return this.#size;
  }

  /**
   * Whether an id due at `time` can be inserted: `time` is finite and the window can cover it
   * together with every id already held.
   */
  accepts(time: number): boolean {
    if (!Number.isFinite(time)) return false;
    if (this.#size === 0) return true;
    const bucket = Math.floor(time);
    const start = bucket < this.#start ? bucket : this.#start;
    const end = bucket > this.#end ? bucket : this.#end;
    return end - start < WIDTH;
  }

  /** Adds an id that is not held; `time` must be {@link accepts accepted}. */
  insert(id: number, time: number, seq: number): void {
    if (2 * id >= this.#links.length) this.#grow(id);
    const bucket = Math.floor(time);
    if (this.#size === 0) {
      this.#start = bucket;
      this.#end = bucket;
    } else {
      if (bucket < this.#start) this.#start = bucket;
      if (bucket > this.#end) this.#end = bucket;
    }
    this.#size++;
    const priorities = this.#priorities;
    priorities[2 * id] = time;
    priorities[2 * id + 1] = seq;
    const links = this.#links;
    const index = ringIndex(bucket);
    // Walk back from the tail past ids due later (only fractional times arriving out of order).
    let previous = this.#tails[index]!;
    while (previous !== NONE && priorities[2 * previous]! > time)
      previous = links[2 * previous + 1]!;
    const next = previous === NONE ? this.#heads[index]! : links[2 * previous]!;
    links[2 * id] = next;
    links[2 * id + 1] = previous;
    if (previous === NONE) this.#heads[index] = id;
    else links[2 * previous] = id;
    if (next === NONE) this.#tails[index] = id;
    else links[2 * next + 1] = id;
    const occupied = this.#occupied;
    occupied[index >>> 5] = occupied[index >>> 5]! | (1 << (index & 31));
  }

  /** Removes an id that is held. */
  remove(id: number): void {
    const links = this.#links;
    const next = links[2 * id]!;
    const previous = links[2 * id + 1]!;
    const index = ringIndex(Math.floor(this.#priorities[2 * id]!));
    if (previous === NONE) this.#heads[index] = next;
    else links[2 * previous] = next;
    if (next === NONE) this.#tails[index] = previous;
    else links[2 * next + 1] = previous;
    if (this.#heads[index] === NONE) {
      const occupied = this.#occupied;
      occupied[index >>> 5] = occupied[index >>> 5]! & ~(1 << (index & 31));
    }
    this.#size--;
  }

  /** Time of the first id, `Infinity` when empty. */
  peekTime(): number {
    return this.#size === 0 ? Infinity : this.#priorities[2 * this.#first()]!;
  }

  /** The id with the smallest `(time, seq)`, -1 when empty. */
  peek(): number {
    return this.#size === 0 ? NONE : this.#first();
  }

  /** Time of an id that is held. */
  timeOf(id: number): number {
    return this.#priorities[2 * id]!;
  }

  /** `seq` of an id that is held. */
  seqOf(id: number): number {
    return this.#priorities[2 * id + 1]!;
  }

  /** Removes the id with the smallest `(time, seq)` and returns it; -1 when empty. */
  pop(): number {
    if (this.#size === 0) return NONE;
    const id = this.#first();
    this.remove(id);
    return id;
  }

  /** Removes every id. */
  clear(): void {
    this.#heads.fill(NONE);
    this.#tails.fill(NONE);
    this.#occupied.fill(0);
    this.#size = 0;
  }

  /** The head of the first non-empty bucket, moving the window's start up to it. */
  #first(): number {
    const occupied = this.#occupied;
    let bucket = this.#start;
    for (;;) {
      const index = ringIndex(bucket);
      const bits = occupied[index >>> 5]! >>> (index & 31);
      if (bits !== 0) {
        bucket += 31 - Math.clz32(bits & -bits);
        break;
      }
      bucket += 32 - (index & 31);
    }
    this.#start = bucket;
    return this.#heads[ringIndex(bucket)]!;
  }

  #grow(id: number): void {
    let capacity = this.#links.length;
    while (capacity <= id) capacity *= 2;
    const links = new Int32Array(2 * capacity);
    links.set(this.#links);
    this.#links = links;
    const priorities = new Float64Array(2 * capacity);
    priorities.set(this.#priorities);
    this.#priorities = priorities;
  }
}

/** Position of an absolute bucket in the ring (buckets may be negative). */
function ringIndex(bucket: number): number {
  const index = bucket % WIDTH;
  return index < 0 ? index + WIDTH : index;
}
