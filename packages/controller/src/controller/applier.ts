import {
  defaultLogger,
  objectRef,
  refKey,
  type KubeObject,
  type Logger,
  type ObjectRef,
} from '@kube-rx/core';
import type { Store } from '@kube-rx/watcher';
import {
  asyncScheduler,
  catchError,
  concatMap,
  defer,
  finalize,
  from,
  identity,
  isObservable,
  map,
  NEVER,
  Observable,
  of,
  race,
  ReplaySubject,
  Subject,
  Subscription,
  take,
  throwError,
  timeout,
  timer,
  type SchedulerLike,
} from 'rxjs';
import { Action } from '../action.js';
import { normalizeErrorPolicy, type ErrorPolicy } from '../errorPolicy/errorPolicy.js';
import type { ControllerMetrics } from '../metrics/controllerMetrics.js';
import { toActionObservable, type ReconcileOutput } from '../reconcileOutput.js';
import { Err, Ok, type Result } from '../result.js';
import { tokenBucket, type TokenBucket, type TokenBucketConfig } from '../queue/tokenBucket.js';
import { DEFAULT_RUNNER_CONCURRENCY, runner } from '../runner.js';
import { scheduler as schedule, type ScheduleRequest } from '../scheduler.js';
import { ControllerError } from './controllerError.js';
import type { ReconcileOk } from './reconcileOk.js';
import { ReconcileReason, type ReconcileRequest } from './reconcileReason.js';

/**
 * A reconcile function: gets the object (as it is in the store when the run starts) and the
 * context, returns what to do next — an {@link Action}, a Promise of one, or an Observable whose
 * last value is one. Throwing, rejecting or erroring hands the error to the error policy.
 */
export type ReconcileFunction<K, C> = (object: K, ctx: C) => ReconcileOutput;

/** Options of {@link applier} (and, through `withConfig`, of a `Controller`). */
export interface ApplierConfig {
  /** Maximum reconciles at once (never two for one key). Default `16`. */
  concurrency?: number;
  /**
   * Trailing debounce of requests in ms: a key requested again within the window runs once,
   * `debounce` ms after the requests pause (kube-runtime semantics). Default `0`.
   */
  debounce?: number;
  /**
   * Time limit of one reconcile in ms; a reconcile still running is unsubscribed (Observable
   * reconciles are cancelled; Promises are abandoned) and fails with RxJS's `TimeoutError`
   * (transient), which goes to the error policy. Default: no limit.
   */
  reconcileTimeout?: number;
  /** Only keys accepted by this predicate are reconciled (see `shard()`). Default: all. */
  shard?: (ref: ObjectRef) => boolean;
  /** Nothing runs before this emits once (e.g. all stores synced). Default: ready at once. */
  readiness?: Observable<unknown>;
  /**
   * Graceful shutdown: when this emits (or resolves), no new reconcile starts (pending and
   * requeued work is dropped), running reconciles may finish for up to `shutdownTimeout` ms,
   * then the output completes. Default: never.
   */
  shutdown?: Observable<unknown> | PromiseLike<unknown>;
  /** Deadline for running reconciles after a shutdown signal, in ms. Default `30_000`. */
  shutdownTimeout?: number;
  /**
   * Soft errors of trigger streams, emitted as `Err(ControllerError QueueError)` (the streams
   * themselves keep running). Default: none.
   */
  queueErrors?: Observable<unknown>;
  /** Requeue delay in ms when the error policy itself throws or rejects. Default `5_000`. */
  policyFailureRequeue?: number;
  /**
   * Overall rate limit of the requeues the error policy asks for, shared by all keys (as
   * controller-runtime combines per-item backoff with an overall token bucket): each such requeue
   * reserves a token of a {@link tokenBucket} of `burst` tokens refilled at `qps` per second, and
   * runs at the later of the policy's delay and the time its token is available. So when many keys
   * fail at once (an outage of a service they all call), the first `burst` retries run at their
   * backoff and the rest are spread at `qps` per second instead of coming back in waves.
   * Requeues a successful reconcile asks for (`Action.requeue`) are not limited, nor are trigger
   * requests. `false` turns the limit off. Validated at creation (`TypeError`). Default
   * `{ qps: 10, burst: 100 }`.
   */
  retryRateLimit?: RetryRateLimit | false;
  /** Metrics to maintain (queue depth, active workers, results). Default: none. */
  metrics?: ControllerMetrics;
  /** The `controller` label of the metrics. Default `'controller'`. */
  name?: string;
  /** Where failures of the error policy and `onSuccess` hooks are logged. Default `defaultLogger()`. */
  logger?: Logger;
  /** Clock and timers (debounce, requeues, timeouts). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** The overall rate of error-policy requeues; see {@link ApplierConfig.retryRateLimit}. */
export type RetryRateLimit = Pick<TokenBucketConfig, 'qps' | 'burst'>;

/** `retryRateLimit` when none is given: controller-runtime's overall default, 10 qps, burst 100. */
export const DEFAULT_RETRY_RATE_LIMIT: Readonly<RetryRateLimit> = Object.freeze({
  qps: 10,
  burst: 100,
});

type Step =
  | { type: 'skipped' }
  | { type: 'notFound' }
  | { type: 'ok'; ref: ReconcileRequest['ref']; action: Action }
  | { type: 'failed'; ref: ReconcileRequest['ref']; error: unknown; action: Action };

/**
 * A request inside the applier: the {@link ReconcileRequest} with its `refKey`, computed once
 * when it enters and read by the scheduler, the runner and the queue-depth bookkeeping.
 */
interface KeyedRequest extends ReconcileRequest {
  readonly key: string;
}

const keyOf = (request: KeyedRequest): string => request.key;

const SKIPPED: Step = { type: 'skipped' };
const NOT_FOUND: Step = { type: 'notFound' };

/**
 * The engine under `Controller`, usable on its own (kube-runtime's `applier`): schedules the
 * `requests$` (deduplicated by `refKey`, debounced), runs `reconcile` for them through `runner`
 * (bounded concurrency, one run per key at a time, gated by `readiness`), and emits one `Result`
 * per run:
 *
 * - At run start the object is read from `store`; if it is gone, `Err(ObjectNotFound)` and
 *   `reconcile` is not called.
 * - `reconcile` succeeds → `errorPolicy.onSuccess?.(object, ctx)` → requeue if the Action asks
 *   (`runAt` = end of the run + ms, reason `ReconcilerRequestedRetry`) → `Ok(ReconcileOk)`.
 * - `reconcile` fails (or times out) → the error policy (sync or async) decides the Action →
 *   requeue if asked (reason `ErrorPolicyRequestedRetry`) → `Err(ReconcilerFailed)` with the
 *   error as `cause`. A throwing policy is logged and the key requeued after
 *   `policyFailureRequeue`.
 *
 * The output never errors because of a reconcile. It completes after a graceful shutdown
 * (`shutdown`), or when `requests$` completes or errors (an error is first emitted as
 * `Err(QueueError)`), once the running reconciles finished.
 *
 * @example
 * ```ts
 * const { store, writer } = createStore<Widget>();
 * const requests$ = watcher(widgets).pipe(
 *   defaultBackoff(), reflect(writer), appliedObjects(),
 *   map((w) => ({ ref: objectRef(w), reason: ReconcileReason.objectUpdated() })),
 * );
 * applier(reconcile, perKeyBackoff(), ctx, store, requests$, { readiness: store.ready$ }).subscribe();
 * ```
 */
export function applier<K extends KubeObject, C>(
  reconcile: ReconcileFunction<K, C>,
  errorPolicy: ErrorPolicy<K, unknown, C>,
  context: C,
  store: Pick<Store<K>, 'get'>,
  requests$: Observable<ReconcileRequest>,
  config: ApplierConfig = {},
): Observable<Result<ReconcileOk, ControllerError>> {
  if (typeof reconcile !== 'function') throw new TypeError('applier: reconcile must be a function');
  const policy = normalizeErrorPolicy(errorPolicy);
  const clock = config.scheduler ?? asyncScheduler;
  const shutdownTimeout = nonNegative('shutdownTimeout', config.shutdownTimeout ?? 30_000);
  const policyFailureRequeue = nonNegative(
    'policyFailureRequeue',
    config.policyFailureRequeue ?? 5_000,
  );
  const reconcileTimeout =
    config.reconcileTimeout === undefined
      ? undefined
      : positive('reconcileTimeout', config.reconcileTimeout);
  // Validated here, at creation, by the operators' own factories.
  const scheduleOperator = schedule<KeyedRequest>({
    key: keyOf,
    debounce: config.debounce ?? 0,
    drainOnComplete: false,
    scheduler: clock,
  });
  // A Store answers `get(ref)` with `getByKey(refKey(ref))`: reading by the key the request
  // already carries saves building and hashing that string again on every run.
  const byKey = (store as Partial<Store<K>>).getByKey;
  const lookUp: (request: KeyedRequest) => K | undefined =
    typeof byKey === 'function'
      ? (request) => byKey.call(store, request.key)
      : (request) => store.get(request.ref);
  const shard = config.shard;
  if (shard !== undefined && typeof shard !== 'function') {
    throw new TypeError('applier: shard must be a predicate');
  }
  const concurrency = config.concurrency ?? DEFAULT_RUNNER_CONCURRENCY;
  const retryRateLimit = retryRateLimitOf(config.retryRateLimit);
  // Per subscription, like the rest of the state; built once now to validate it at creation.
  const makeRetryBucket =
    retryRateLimit === false
      ? undefined
      : (): TokenBucket => tokenBucket({ ...retryRateLimit, scheduler: clock });
  makeRetryBucket?.();
  // The runner is built per subscription (its run function closes over per-run state); build
  // one now only to have its options validated at creation.
  runner(() => undefined, { concurrency, scheduler: clock });
  const name = config.name ?? 'controller';
  const metrics = config.metrics;
  const logger = (): Logger => config.logger ?? defaultLogger();
  const shutdownSignal$ =
    config.shutdown === undefined
      ? NEVER
      : defer(() => from(config.shutdown as Observable<unknown>)).pipe(take(1));

  return new Observable<Result<ReconcileOk, ControllerError>>((subscriber) => {
    const requeues$ = new Subject<ScheduleRequest<KeyedRequest>>();
    // Replaying: a stop that happens before the pipeline is subscribed must still be seen.
    const stopInput$ = new ReplaySubject<void>(1);
    const shutdownGate$ = new ReplaySubject<void>(1);
    // Keys waiting in the scheduler or the runner, for the queue-depth gauge: kept only with
    // metrics, since it costs a set insert and delete per request.
    const queued = metrics === undefined ? undefined : new Set<string>();
    const subscription = new Subscription();
    const retryBucket = makeRetryBucket?.();
    let inputClosed = false;
    let shuttingDown = false;
    let active = 0;

    const setQueueDepth = (): void => {
      if (queued !== undefined) metrics?.queueDepth.set({ controller: name }, queued.size);
    };
    const markQueued = (key: string): void => {
      if (queued === undefined) return;
      queued.add(key);
      setQueueDepth();
    };
    const emit = (result: Result<ReconcileOk, ControllerError>): void => {
      metrics?.recordResult(name, result);
      subscriber.next(result);
    };
    const queueError = (cause: unknown): void =>
      emit(Err(new ControllerError('QueueError', { cause })));

    const endRun = (): void => {
      active -= 1;
      metrics?.activeWorkers.set({ controller: name }, active);
    };

    // Returns the Step itself when everything happened synchronously (a reconcile that returned
    // an Action, no async onSuccess hook): the runner then needs no Observable for the run.
    const runOne = (request: KeyedRequest): Step | Observable<Step> => {
      if (queued !== undefined) {
        queued.delete(request.key);
        setQueueDepth();
      }
      if (shuttingDown) return SKIPPED;
      const object = lookUp(request);
      if (object === undefined) return NOT_FOUND;
      const ref = objectRef(object);
      active += 1;
      metrics?.activeWorkers.set({ controller: name }, active);
      let output: ReconcileOutput;
      try {
        output = reconcile(object, context);
      } catch (error) {
        output = throwError(() => error);
      }
      if (Action.isAction(output)) {
        // Already done, so reconcileTimeout cannot fire.
        const step = afterSuccess(object, ref, output);
        if (!isObservable(step)) {
          endRun();
          return step;
        }
        return step.pipe(finalize(endRun));
      }
      const settled = output;
      return toActionObservable(() => settled).pipe(
        reconcileTimeout === undefined
          ? identity
          : timeout({ first: reconcileTimeout, scheduler: clock }),
        concatMap((action) => {
          const step = afterSuccess(object, ref, action);
          return isObservable(step) ? step : of(step);
        }),
        catchError((error: unknown) => afterFailure(object, ref, error)),
        finalize(endRun),
      );
    };

    const onSuccessFailed = (ref: ObjectRef, error: unknown): void => {
      logger().warn('error policy onSuccess failed', { ref: refKey(ref), error });
    };

    // Stays synchronous unless the hook is async, so that virtual time keeps working.
    const afterSuccess = (object: K, ref: ObjectRef, action: Action): Step | Observable<Step> => {
      const ok: Step = { type: 'ok', ref, action };
      if (policy.onSuccess === undefined) return ok;
      let done: unknown;
      try {
        done = policy.onSuccess(object, context);
      } catch (error) {
        onSuccessFailed(ref, error);
        return ok;
      }
      if (!isPromiseLike(done)) return ok;
      return from(done).pipe(
        catchError((error: unknown) => {
          onSuccessFailed(ref, error);
          return of(undefined);
        }),
        map(() => ok),
      );
    };

    const afterFailure = (object: K, ref: ObjectRef, error: unknown) =>
      toActionObservable(() => policy.onError(object, error, context)).pipe(
        catchError((policyError: unknown) => {
          logger().error('error policy failed; requeueing', {
            ref: refKey(ref),
            error: policyError,
          });
          return of(Action.requeue(policyFailureRequeue));
        }),
        map((action): Step => ({ type: 'failed', ref, error, action })),
      );

    // The later of the policy's time and the retry bucket's next free slot (a token is reserved
    // even when the policy's delay is longer, as controller-runtime's overall limiter does).
    const retryAt = (policyAt: number): number => {
      if (retryBucket === undefined) return policyAt;
      const slot = clock.now() + retryBucket.reserve();
      if (slot <= policyAt) return policyAt;
      metrics?.rateLimitedRequeues.inc({ controller: name });
      metrics?.rateLimitDelay.observe({ controller: name }, (slot - policyAt) / 1000);
      return slot;
    };

    const requeue = (ref: ObjectRef, reason: ReconcileReason, at: number): void => {
      const key = refKey(ref);
      markQueued(key);
      requeues$.next({ message: { ref, reason, key }, runAt: at });
    };

    // The trigger requests (due now) and the requeues, until the input is closed. One hand-written
    // stage instead of catchError/tap/filter/map/merge/takeUntil: it runs once per request.
    const input$ = new Observable<ScheduleRequest<KeyedRequest>>((scheduled) => {
      const stop = stopInput$.subscribe(() => scheduled.complete());
      if (scheduled.closed) return stop;
      // Requeues first: a synchronous requests$ can run reconciles (and so ask for requeues)
      // before its subscribe call returns, and a Subject drops what nobody listens to yet.
      scheduled.add(requeues$.subscribe((request) => scheduled.next(request)));
      scheduled.add(
        requests$.subscribe({
          next: (request) => {
            try {
              if (shard !== undefined && !shard(request.ref)) return;
              const { ref, reason } = request;
              const key = refKey(ref);
              markQueued(key);
              scheduled.next({ message: { ref, reason, key }, runAt: clock.now() });
            } catch (error) {
              scheduled.error(error);
            }
          },
          error: (error: unknown) => {
            queueError(error);
            closeInput();
          },
          // The end of the trigger stream ends the controller: what was requested still runs.
          complete: () => closeInput(),
        }),
      );
      return stop;
    });

    // After a shutdown signal the gate opens so that waiting work is skipped and the runner ends.
    const readiness$ = race(config.readiness ?? of(undefined), shutdownGate$);

    const closeInput = (): void => {
      if (inputClosed) return;
      inputClosed = true;
      stopInput$.next();
      stopInput$.complete();
      requeues$.complete();
    };

    const beginShutdown = (): void => {
      if (shuttingDown) return;
      shuttingDown = true;
      closeInput();
      shutdownGate$.next();
      shutdownGate$.complete();
      queued?.clear();
      setQueueDepth();
      subscription.add(
        timer(shutdownTimeout, clock).subscribe(() => {
          subscription.unsubscribe();
          subscriber.complete();
        }),
      );
    };

    subscription.add(shutdownSignal$.subscribe({ next: beginShutdown, error: beginShutdown }));
    if (config.queueErrors) subscription.add(config.queueErrors.subscribe(queueError));

    const runs = input$
      .pipe(
        scheduleOperator,
        runner(runOne, {
          concurrency,
          key: keyOf,
          readiness: readiness$,
          scheduler: clock,
        }),
      )
      .subscribe({
        next: (outcome) => {
          const durationMs = outcome.finishedAt - outcome.startedAt;
          const { reason } = outcome.message;
          if (outcome.result.err) {
            // The run function catches everything itself; this is a defect in it.
            emit(
              Err(
                new ControllerError('ReconcilerFailed', {
                  ref: outcome.message.ref,
                  reason,
                  durationMs,
                  cause: outcome.result.val,
                }),
              ),
            );
            return;
          }
          const step = outcome.result.val;
          switch (step.type) {
            case 'skipped':
              return;
            case 'notFound':
              emit(
                Err(new ControllerError('ObjectNotFound', { ref: outcome.message.ref, reason })),
              );
              return;
            case 'ok':
              if (step.action.requeueAfter !== undefined && !inputClosed) {
                requeue(
                  step.ref,
                  ReconcileReason.reconcilerRequestedRetry(),
                  outcome.finishedAt + step.action.requeueAfter,
                );
              }
              emit(Ok({ ref: step.ref, action: step.action, reason, durationMs }));
              return;
            case 'failed':
              if (step.action.requeueAfter !== undefined && !inputClosed) {
                requeue(
                  step.ref,
                  ReconcileReason.errorPolicyRequestedRetry(),
                  retryAt(outcome.finishedAt + step.action.requeueAfter),
                );
              }
              emit(
                Err(
                  new ControllerError('ReconcilerFailed', {
                    ref: step.ref,
                    reason,
                    durationMs,
                    cause: step.error,
                  }),
                ),
              );
              return;
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });

    subscription.add(runs);
    return subscription;
  });
}

function retryRateLimitOf(value: ApplierConfig['retryRateLimit']): RetryRateLimit | false {
  if (value === undefined) return DEFAULT_RETRY_RATE_LIMIT;
  if (value === false) return false;
  if (typeof value !== 'object' || value === null) {
    throw new TypeError('applier: retryRateLimit must be { qps, burst } or false');
  }
  const { qps, burst } = value;
  if (typeof qps !== 'number' || !Number.isFinite(qps) || qps <= 0) {
    throw new TypeError(
      `applier: retryRateLimit.qps must be a finite number > 0, got ${String(qps)}`,
    );
  }
  if (!Number.isInteger(burst) || burst < 1) {
    throw new TypeError(
      `applier: retryRateLimit.burst must be an integer >= 1, got ${String(burst)}`,
    );
  }
  return { qps, burst };
}

function nonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`applier: ${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new TypeError(`applier: ${name} must be a number > 0, got ${String(value)}`);
  }
  return value;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
