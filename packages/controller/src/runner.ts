import {
  asyncScheduler,
  EmptyError,
  from,
  isObservable,
  last,
  Observable,
  Subscription,
  take,
  timeout as timeoutWith,
} from 'rxjs';
import { subscribeWithin } from '@kube-rx/core';
import type { OperatorFunction, SchedulerLike } from 'rxjs';
import { defaultMessageKey } from './queue/defaultMessageKey.js';
import { Err, Ok } from './result.js';
import type { Result } from './result.js';

/** Default of {@link RunnerConfig.concurrency}. */
export const DEFAULT_RUNNER_CONCURRENCY = 16;

/**
 * A reconcile function for {@link runner}: gets one message and returns its result as a plain
 * value, a Promise, or an Observable (whose **last** value is the result, once it completes).
 * Throwing, rejecting or erroring produces an `Err` outcome.
 */
export type RunFunction<T, R> = (message: T) => Observable<R> | PromiseLike<R> | R;

/** What one run of {@link runner} produced. */
export interface RunOutcome<T, R> {
  /** The message that was run (the latest one requested for its key when the run started). */
  message: T;
  /** The message's key. */
  key: string;
  /**
   * `Ok(value)` with the run's result, or `Err(error)` with what it threw, rejected or errored
   * with — an RxJS `TimeoutError` when it exceeded `timeout`, an RxJS `EmptyError` when its
   * Observable completed without a value.
   */
  result: Result<R, unknown>;
  /** `scheduler.now()` when the run started. */
  startedAt: number;
  /** `scheduler.now()` when it finished. */
  finishedAt: number;
}

/** Options of {@link runner}. */
export interface RunnerConfig<T> {
  /**
   * Maximum number of runs at once. A positive integer; `0` or `Infinity` means unbounded, and
   * only when passed explicitly. Default {@link DEFAULT_RUNNER_CONCURRENCY} (16).
   */
  concurrency?: number;
  /**
   * Identifies the messages that must never run concurrently (and are deduplicated while
   * waiting). Default: {@link defaultMessageKey} — strings are their own key, `ObjectRef`s use
   * `refKey`; any other message makes the output error with a `TypeError` when it arrives.
   */
  key?: (message: T) => string;
  /**
   * Readiness gate: no run starts before this Observable has emitted once (for a controller:
   * when all its stores are synced). Messages arriving earlier wait, deduplicated by key. If it
   * errors, the output errors; if it completes without emitting, the output errors with an RxJS
   * `EmptyError`. Default: none (ready at once).
   */
  readiness?: Observable<unknown>;
  /**
   * Per-run time limit in ms. A run still going after `timeout` ms is unsubscribed (an
   * Observable run is cancelled; a Promise run is abandoned, its result ignored) and yields
   * `Err(TimeoutError)` (RxJS's `TimeoutError`, a transient failure). At most 2^31 - 1 (Node's
   * longest timer); `Infinity` means no limit. Default: no limit.
   */
  timeout?: number;
  /** Clock for `startedAt`/`finishedAt` and timer for `timeout`. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Runs `run` for each message, at most `concurrency` at once and never two at once for one key,
 * emitting a {@link RunOutcome} per run. The output never errors because a run failed: failures
 * are `Err` outcomes.
 *
 * Semantics (client-go's work queue, kube-runtime's runner):
 * - **Per-key exclusivity with one pending slot.** A message whose key is running waits; further
 *   messages for that key replace it (the latest wins). When the run finishes the key runs once
 *   more with that latest message — not once per request. A run ends when its subscription has
 *   been torn down (its `finalize` callbacks have run), so the next run of the key never overlaps
 *   the previous one's cleanup.
 * - **FIFO.** Waiting keys start in the order they became runnable: the order they arrived, and a
 *   key requested during its own run joins the back of the line when that run finishes. A key
 *   already waiting keeps its place when a newer message replaces its message.
 * - **Readiness gate** and **timeout**: see {@link RunnerConfig}.
 * - **Completion drains**: when the source completes, running and waiting work still runs, then
 *   the output completes — a controller shuts down gracefully by completing the runner's input.
 * - A source error passes through at once, cancelling running work. Unsubscribing cancels
 *   running work (Observable runs are unsubscribed; Promises cannot be cancelled, their results
 *   are ignored).
 *
 * Put {@link scheduler} in front of it to delay and deduplicate requests.
 *
 * @example
 * ```ts
 * import { asyncScheduler, Subject } from 'rxjs';
 * import { runner, scheduler, type ScheduleRequest } from '@kube-rx/controller';
 * import type { ObjectRef } from '@kube-rx/core';
 *
 * const requests$ = new Subject<ScheduleRequest<ObjectRef>>();
 * requests$
 *   .pipe(
 *     scheduler({ debounce: 500 }),
 *     runner(async (ref: ObjectRef) => `reconciled ${ref.name}`, { concurrency: 4, timeout: 30_000 }),
 *   )
 *   .subscribe((outcome) => {
 *     if (outcome.result.err) console.error(outcome.key, outcome.result.val);
 *   });
 * requests$.next({ message: { namespace: 'default', name: 'app' }, runAt: asyncScheduler.now() });
 * ```
 */
export function runner<T, R>(
  run: RunFunction<T, R>,
  config: RunnerConfig<T> = {},
): OperatorFunction<T, RunOutcome<T, R>> {
  if (typeof run !== 'function') throw new TypeError('runner: the run function must be a function');
  const keyOf = (config.key ?? defaultMessageKey) as (message: T) => string;
  if (typeof keyOf !== 'function') throw new TypeError('runner: `key` must be a function');
  const concurrency = normalizeConcurrency(config.concurrency);
  const timeout = normalizeTimeout(config.timeout);
  const clock = config.scheduler ?? asyncScheduler;
  if (typeof clock.now !== 'function' || typeof clock.schedule !== 'function') {
    throw new TypeError('runner: `scheduler` must be an RxJS SchedulerLike');
  }
  const readiness = config.readiness;
  if (readiness !== undefined && !isObservable(readiness)) {
    throw new TypeError('runner: `readiness` must be an Observable');
  }

  // The run of an Observable or Promise result (plain values are handled without one).
  const runOf = (value: Observable<R> | PromiseLike<R>): Observable<R> => {
    const run$ = (isObservable(value) ? value : from(value)).pipe(last());
    return timeout === Infinity
      ? run$
      : run$.pipe(timeoutWith({ first: timeout, scheduler: clock }));
  };

  return (source) =>
    new Observable<RunOutcome<T, R>>((subscriber) => {
      // key → the run's subscription (Subscription.EMPTY while it is being started)
      const running = new Map<string, Subscription>();
      // key → latest message requested while that key was running
      const slots = new Map<string, T>();
      // keys waiting to start, in FIFO order (Map keeps insertion order)
      const waiting = new Map<string, T>();
      let ready = readiness === undefined;
      let sourceDone = false;
      let pumping = false;
      let pumpAgain = false;

      const maybeComplete = (): void => {
        if (sourceDone && running.size === 0 && waiting.size === 0) subscriber.complete();
      };

      const finish = (
        key: string,
        message: T,
        result: Result<R, unknown>,
        startedAt: number,
      ): void => {
        if (subscriber.closed) return;
        running.delete(key);
        if (slots.size > 0 && slots.has(key)) {
          waiting.set(key, slots.get(key) as T);
          slots.delete(key);
        }
        subscriber.next({ message, key, result, startedAt, finishedAt: clock.now() });
        pump();
      };

      const start = (key: string, message: T): void => {
        const startedAt = clock.now();
        let result: Result<R, unknown> | undefined;
        running.set(key, Subscription.EMPTY);
        let value: Observable<R> | PromiseLike<R> | R;
        try {
          value = run(message);
        } catch (error) {
          finish(key, message, Err(error), startedAt);
          return;
        }
        // A plain value is a run that is over: no Observable to subscribe, nothing to tear down.
        if (!isObservable(value) && !isPromiseLike(value)) {
          finish(key, message, new Ok(value), startedAt);
          return;
        }
        const subscription = runOf(value).subscribe({
          next: (value) => (result = new Ok(value)),
          error: (error: unknown) => (result = Err(error)),
        });
        if (subscriber.closed) {
          subscription.unsubscribe();
          return;
        }
        running.set(key, subscription);
        // A run counts as finished once its subscription is torn down, so that its finalizers
        // have run before the same key can start again. (A run that finished synchronously is
        // closed already: add() calls this at once.) Cancelled runs have no result.
        subscription.add(() => {
          if (result !== undefined) finish(key, message, result, startedAt);
        });
      };

      // Starts waiting keys while there is capacity. Re-entrant calls (a run finishing
      // synchronously, a consumer pushing messages from its observer) only flag another pass.
      const pump = (): void => {
        if (pumping) {
          pumpAgain = true;
          return;
        }
        pumping = true;
        try {
          do {
            pumpAgain = false;
            if (!ready || waiting.size === 0) break;
            for (const [key, message] of waiting) {
              if (running.size >= concurrency || subscriber.closed) break;
              waiting.delete(key);
              start(key, message);
            }
          } while (pumpAgain && !subscriber.closed);
        } finally {
          pumping = false;
        }
        if (!subscriber.closed) maybeComplete();
      };

      const gate =
        readiness === undefined
          ? undefined
          : readiness.pipe(take(1)).subscribe({
              next: () => {
                ready = true;
                pump();
              },
              error: (error: unknown) => subscriber.error(error),
              complete: () => {
                if (!ready) subscriber.error(new EmptyError());
              },
            });

      const subscription = subscriber.closed
        ? undefined
        : // Registered with `subscriber` first, so a synchronous source stops when downstream leaves.
          subscribeWithin(subscriber, source, {
            next(message) {
              if (subscriber.closed) return;
              let key: string;
              try {
                key = keyOf(message);
              } catch (error) {
                subscriber.error(error);
                return;
              }
              if (running.has(key)) {
                slots.set(key, message);
              } else if (waiting.size === 0 && ready && !pumping && running.size < concurrency) {
                // Nothing waits ahead of it: it starts at once, as pump() would start it, without
                // a trip through `waiting`. Inside a pump pass, so that what the run causes
                // synchronously (its finish, messages pushed by the consumer) is trampolined.
                pumping = true;
                try {
                  start(key, message);
                } finally {
                  pumping = false;
                }
                if (!pumpAgain) {
                  if (!subscriber.closed) maybeComplete();
                  return;
                }
              } else {
                waiting.set(key, message);
              }
              pump();
            },
            error: (error: unknown) => subscriber.error(error),
            complete() {
              sourceDone = true;
              if (!pumping) maybeComplete();
            },
          });

      return () => {
        gate?.unsubscribe();
        subscription?.unsubscribe();
        const runs = [...running.values()];
        running.clear();
        slots.clear();
        waiting.clear();
        for (const run of runs) run.unsubscribe();
      };
    });
}

/**
 * `concurrency` of a {@link RunnerConfig}, validated (`TypeError`): the default when undefined,
 * `Infinity` for unbounded (`0` or `Infinity`).
 */
export function normalizeConcurrency(concurrency: number | undefined): number {
  if (concurrency === undefined) return DEFAULT_RUNNER_CONCURRENCY;
  if (concurrency === 0 || concurrency === Infinity) return Infinity;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 0) {
    throw new TypeError(
      `runner: \`concurrency\` must be a positive integer, or 0/Infinity for unbounded; got ${String(concurrency)}`,
    );
  }
  return concurrency;
}

function normalizeTimeout(timeout: number | undefined): number {
  if (timeout === undefined || timeout === Infinity) return Infinity;
  // Longer delays overflow Node timers (they would fire at once).
  if (typeof timeout !== 'number' || !(timeout > 0) || timeout > 2_147_483_647) {
    throw new TypeError(
      `runner: \`timeout\` must be a number of ms in (0, 2^31 - 1], or Infinity; got ${String(timeout)}`,
    );
  }
  return timeout;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
