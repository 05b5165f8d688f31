import type { KubeObject } from '@kube-rx/core';
import type { Store } from '@kube-rx/watcher';
import { identity, Observable, of, race, Subscription, tap } from 'rxjs';
import { normalizeErrorPolicy, type ErrorPolicy } from '../errorPolicy/errorPolicy.js';
import { Err, type Result } from '../result.js';
import { runner } from '../runner.js';
import { scheduler as schedule } from '../scheduler.js';
import type { ApplierConfig } from './applier/applierConfig.js';
import { applierInput } from './applier/applierInput.js';
import { applierLifecycle } from './applier/applierLifecycle.js';
import { applierMetrics } from './applier/applierMetrics.js';
import { applierResult } from './applier/applierResult.js';
import { gracefulShutdown } from './applier/gracefulShutdown.js';
import { requestKey, type KeyedRequest } from './applier/keyedRequest.js';
import { reconcileStep, SKIPPED, type Step } from './applier/reconcileStep.js';
import { assertReconcileFunction, type ReconcileFunction } from './applier/reconcileFunction.js';
import { requeue } from './applier/requeue.js';
import { resolveApplierConfig } from './applier/resolveApplierConfig.js';
import { ControllerError } from './controllerError.js';
import type { ReconcileOk } from './reconcileOk.js';
import type { ReconcileRequest } from './reconcileReason.js';

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
  assertReconcileFunction(reconcile);
  const policy = normalizeErrorPolicy(errorPolicy);
  const resolved = resolveApplierConfig(config);
  const { scheduler, shutdownTimeout } = resolved;
  const scheduleOperator = schedule<KeyedRequest>({
    key: requestKey,
    debounce: resolved.debounce,
    drainOnComplete: false,
    scheduler,
  });

  return new Observable<Result<ReconcileOk, ControllerError>>((subscriber) => {
    const subscription = new Subscription();
    const metrics = applierMetrics(resolved.metrics, {
      name: resolved.name,
      concurrency: resolved.concurrency,
      now: () => scheduler.now(),
    });
    subscription.add(metrics.attach());
    const lifecycle = applierLifecycle(resolved.name, resolved.logger, scheduler);
    subscription.add(lifecycle.stopped);
    const emit = (result: Result<ReconcileOk, ControllerError>): void => {
      metrics.result(result);
      subscriber.next(result);
    };
    const queueError = (cause: unknown): void =>
      emit(Err(new ControllerError('QueueError', { cause })));

    const input = applierInput(requests$, {
      shard: resolved.shard,
      scheduler,
      onRequestsError: queueError,
    });
    // Runs started and not finished yet, for the shutdown lines.
    let inFlight = 0;
    const shutdown = gracefulShutdown(resolved.shutdown$, {
      timeout: shutdownTimeout,
      scheduler,
      onStart: () => {
        input.close();
        metrics.clearQueue();
        lifecycle.shuttingDown(inFlight);
      },
      onDeadline: () => {
        lifecycle.deadlinePassed(inFlight, shutdownTimeout);
        subscription.unsubscribe();
        subscriber.complete();
      },
    });
    subscription.add(shutdown.subscription);
    if (resolved.queueErrors) subscription.add(resolved.queueErrors.subscribe(queueError));

    const step = reconcileStep({
      reconcile,
      policy,
      context,
      store,
      reconcileTimeout: resolved.reconcileTimeout,
      policyFailureRequeue: resolved.policyFailureRequeue,
      scheduler,
      controller: resolved.name,
      logger: resolved.logger,
      onStart: metrics.reconcileStarted,
      onEnd: metrics.reconcileEnded,
    });
    const run = (request: KeyedRequest): Step | Observable<Step> => {
      inFlight += 1;
      metrics.started(request.key);
      return shutdown.started ? SKIPPED : step(request);
    };
    const nextRequest = requeue({
      retryRateLimit: resolved.retryRateLimit,
      scheduler,
      onRateLimited: metrics.rateLimited,
    });
    // Only with metrics: a key is due when the scheduler lets it go.
    const due =
      resolved.metrics === undefined
        ? identity
        : tap((request: KeyedRequest) => metrics.due(request.key));

    const runs = input.input$
      .pipe(
        scheduleOperator,
        due,
        // No `timeout` here: `reconcileTimeout` limits the reconcile alone, inside the step, so
        // that a timeout goes to the error policy like any other failure.
        runner(run, {
          concurrency: resolved.concurrency,
          key: requestKey,
          // After a shutdown signal the gate opens so that waiting work is skipped and the
          // runner ends.
          readiness: race(resolved.readiness ?? of(undefined), shutdown.started$),
          scheduler,
        }),
      )
      .subscribe({
        next: (outcome) => {
          inFlight -= 1;
          metrics.finished(outcome.key, outcome.startedAt, outcome.finishedAt);
          if (outcome.result.ok && !input.closed) {
            const request = nextRequest(outcome.result.val, outcome.finishedAt);
            if (request !== undefined) {
              metrics.retried();
              input.requeue(request);
            }
          }
          const result = applierResult(outcome);
          if (result !== undefined) emit(result);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (shutdown.started) lifecycle.drained();
          subscriber.complete();
        },
      });

    subscription.add(runs);
    return subscription;
  });
}
