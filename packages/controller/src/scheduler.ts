import { asyncScheduler, Observable } from 'rxjs';
import type { OperatorFunction, SchedulerLike, Subscription } from 'rxjs';
import { subscribeWithin } from '@kube-rx/core';
import { defaultMessageKey } from './queue/defaultMessageKey.js';
import { DelayQueue } from './queue/delayQueue.js';

// Node timers take at most 2^31 - 1 ms and fire almost at once for longer delays; a later due
// time is reached in several hops instead (flush() re-arms when the timer fires early).
const MAX_TIMER_DELAY = 2_147_483_647;

/**
 * A request to emit `message` at `runAt` (ms on the `scheduler`'s clock, `scheduler.now()`).
 * `runAt` at or before now means "as soon as possible". `runAt: Infinity` parks the message:
 * it is never emitted.
 */
export interface ScheduleRequest<T> {
  /** What to emit. Requests are deduplicated by the message's key (see `SchedulerConfig.key`). */
  message: T;
  /** When to emit it, in `scheduler.now()` milliseconds. */
  runAt: number;
}

/** Options of {@link scheduler}. */
export interface SchedulerConfig<T> {
  /**
   * Identifies "the same message" for deduplication. Default: {@link defaultMessageKey} —
   * strings are their own key, `ObjectRef`s use `refKey` (`namespace/name`); any other message
   * makes the output error with a `TypeError` when it arrives.
   */
  key?: (message: T) => string;
  /**
   * Trailing debounce in ms, added to every request's `runAt`. A request for a key that is still
   * pending, with a `runAt` not later than the pending emission, moves that emission to its own
   * `runAt + debounce` — so a key that keeps being requested within the window is emitted only
   * once the requests pause for `debounce` ms (kube-runtime's semantics). Bursts of "now" requests
   * (a watch event storm) collapse into one emission. Default `0` (no debounce).
   */
  debounce?: number;
  /**
   * Upper bound in ms on how long debouncing may defer a key past the earliest `runAt` requested
   * for it while pending, so that a key that is requested continuously is still emitted at least
   * every `maxDebounce` ms. Must be ≥ `debounce`. Default `Infinity` (unbounded, as kube-runtime).
   */
  maxDebounce?: number;
  /**
   * What happens to pending messages when the source completes. `true`: they are still emitted,
   * each at its time, and the output completes after the last one (messages parked at
   * `runAt: Infinity` are dropped). `false`: the output completes at once and pending messages
   * are dropped (kube-runtime's behaviour, and what a shutting-down controller wants, since
   * requeues can be minutes away). Default `true`.
   */
  drainOnComplete?: boolean;
  /** Clock and timer. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Delays and deduplicates messages: each {@link ScheduleRequest} asks for its message to be
 * emitted at `runAt`; while a key is pending, further requests for it are merged into a single
 * emission at the earliest requested time. Emissions come out in `runAt` order, equal times in
 * the order they were scheduled.
 *
 * Semantics:
 * - **Earliest wins.** A request not later than the pending emission replaces it (message and
 *   time; on equal times the newer request's message is kept, so the emitted message is always
 *   the one of the request that decided the time). A later request is absorbed.
 * - **Debounce** (`debounce`, optional `maxDebounce`): see {@link SchedulerConfig.debounce}.
 * - **Due requests are emitted synchronously** when they arrive (with `debounce: 0`), so a burst
 *   of "now" requests for one key is *not* collapsed unless you set a debounce. One for a key
 *   that is not pending, with nothing due ahead of it, skips the queue altogether.
 * - **One timer for the whole queue**: pending keys live in a map plus 1 ms buckets for keys due
 *   within seconds and an indexed 4-ary heap for the rest; only the earliest due time holds a
 *   timer on the `scheduler`. 100 000 pending keys cost memory, not timers.
 * - Once emitted, a key is no longer pending: a new request schedules it again.
 * - Source errors pass through at once (pending messages are dropped); source completion: see
 *   {@link SchedulerConfig.drainOnComplete}. A message without a derivable key, or a request
 *   whose `runAt` is not a number, makes the output error with a `TypeError`.
 * - Unsubscribing cancels the timer and drops every pending message.
 *
 * Use it in front of `runner()`; the runner keeps keys from running twice at once, so the
 * scheduler has no "hold" mode.
 *
 * @example
 * ```ts
 * import { asyncScheduler, Subject } from 'rxjs';
 * import { scheduler, type ScheduleRequest } from '@kube-rx/controller';
 * import type { ObjectRef } from '@kube-rx/core';
 *
 * const requests$ = new Subject<ScheduleRequest<ObjectRef>>();
 * requests$.pipe(scheduler({ debounce: 1000 })).subscribe((ref) => console.log('reconcile', ref));
 * const ref = { namespace: 'default', name: 'app' };
 * requests$.next({ message: ref, runAt: asyncScheduler.now() + 60_000 }); // requeue in a minute
 * requests$.next({ message: ref, runAt: asyncScheduler.now() }); // a change: emitted in ~1 s, once
 * ```
 */
export function scheduler<T>(
  config: SchedulerConfig<T> = {},
): OperatorFunction<ScheduleRequest<T>, T> {
  const keyOf = (config.key ?? defaultMessageKey) as (message: T) => string;
  if (typeof keyOf !== 'function') throw new TypeError('scheduler: `key` must be a function');
  const debounce = normalizeDebounce(config.debounce);
  const maxDebounce = config.maxDebounce ?? Infinity;
  if (typeof maxDebounce !== 'number' || Number.isNaN(maxDebounce) || maxDebounce < debounce) {
    throw new TypeError(
      `scheduler: \`maxDebounce\` must be a number ≥ \`debounce\` (${debounce}), got ${String(maxDebounce)}`,
    );
  }
  const drainOnComplete = config.drainOnComplete ?? true;
  const clock = schedulerClock(config.scheduler);

  return (source) =>
    new Observable<T>((subscriber) => {
      const queue = new DelayQueue<T>(debounce, maxDebounce);
      let timer: Subscription | undefined;
      let timerAt = Infinity;
      let timerGeneration = 0;
      let flushing = false;
      let sourceDone = false;
      /** Requests that went into the queue so far (see emitNow). */
      let scheduled = 0;

      const cancelTimer = (): void => {
        timerGeneration++;
        if (timer !== undefined) {
          timer.unsubscribe();
          timer = undefined;
        }
        timerAt = Infinity;
      };

      // Keeps exactly one timer, for the earliest due time. A timer that is already set for an
      // earlier time stays: when it fires, flush() re-arms for whatever is then the head.
      const arm = (): void => {
        const dueAt = queue.nextRunAt();
        if (dueAt === Infinity) {
          cancelTimer();
          if (sourceDone) subscriber.complete();
          return;
        }
        if (timer !== undefined) {
          if (timerAt <= dueAt) return;
          timer.unsubscribe();
        }
        timerAt = dueAt;
        timer = undefined;
        const generation = ++timerGeneration;
        const delay = Math.min(MAX_TIMER_DELAY, Math.max(0, dueAt - clock.now()));
        const scheduled = clock.schedule(onTimer, delay);
        // A scheduler that runs due work synchronously (queueScheduler) has already fired it.
        if (generation === timerGeneration) timer = scheduled;
      };

      const flush = (): void => {
        if (flushing) return;
        flushing = true;
        try {
          const now = clock.now();
          // Requests made synchronously by the consumer land in the queue and, when due, are
          // emitted by this same loop in order.
          while (queue.nextRunAt() <= now) {
            subscriber.next(queue.take());
            if (subscriber.closed) return;
          }
        } finally {
          flushing = false;
        }
        arm();
      };

      // Emits a message that bypassed the queue. As inside flush(), what the consumer requests
      // synchronously meanwhile is queued, then emitted (if due) by the flush that follows.
      const emitNow = (message: T): void => {
        const before = scheduled;
        flushing = true;
        try {
          subscriber.next(message);
        } finally {
          flushing = false;
        }
        // Like the end of flush(): a completion that arrived meanwhile is seen by arm().
        if ((scheduled !== before || sourceDone) && !subscriber.closed) flush();
      };

      function onTimer(): void {
        timerGeneration++;
        timer = undefined;
        timerAt = Infinity;
        flush();
      }

      // Registered with `subscriber` first, so a synchronous source stops when downstream leaves.
      const subscription = subscribeWithin(subscriber, source, {
        next(request) {
          if (subscriber.closed) return;
          const message = request.message;
          const runAt = request.runAt;
          let key: string;
          try {
            key = keyOf(message);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          if (typeof runAt !== 'number' || runAt !== runAt) {
            subscriber.error(
              new TypeError(`scheduler: runAt must be a number, got ${String(runAt)}`),
            );
            return;
          }
          // A timer armed before runAt means something is due earlier: only a request before the
          // timer can skip the queue, and only those need the clock read here.
          if (debounce === 0 && !flushing && runAt < timerAt) {
            const now = clock.now();
            // Due, not pending, and nothing queued comes before it: emitted without a trip
            // through the queue, in the order the queue would have emitted it.
            if (runAt <= now && queue.nextRunAt() > runAt && !queue.has(key)) {
              emitNow(message);
              return;
            }
            scheduled++;
            const dueAt = queue.schedule(key, message, runAt);
            if (dueAt < timerAt) {
              if (dueAt <= now) flush();
              else arm();
            }
            return;
          }
          scheduled++;
          const dueAt = queue.schedule(key, message, runAt);
          if (dueAt < timerAt) {
            if (dueAt <= clock.now()) flush();
            else if (!flushing) arm();
          }
        },
        error(error: unknown) {
          cancelTimer();
          queue.clear();
          subscriber.error(error);
        },
        complete() {
          sourceDone = true;
          if (!drainOnComplete) {
            cancelTimer();
            queue.clear();
            subscriber.complete();
          } else if (!flushing) {
            arm();
          }
        },
      });

      return () => {
        subscription.unsubscribe();
        cancelTimer();
        queue.clear();
      };
    });
}

/** `debounce` of a {@link SchedulerConfig}, validated (`TypeError`) and defaulted to `0`. */
export function normalizeDebounce(debounce: number | undefined): number {
  const value = debounce ?? 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(
      `scheduler: \`debounce\` must be a finite number ≥ 0, got ${String(value)}`,
    );
  }
  return value;
}

/** `scheduler` of a {@link SchedulerConfig}, validated (`TypeError`) and defaulted to `asyncScheduler`. */
export function schedulerClock(scheduler: SchedulerLike | undefined): SchedulerLike {
  const clock = scheduler ?? asyncScheduler;
  if (typeof clock.now !== 'function' || typeof clock.schedule !== 'function') {
    throw new TypeError('scheduler: `scheduler` must be an RxJS SchedulerLike');
  }
  return clock;
}
