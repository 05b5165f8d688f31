import { classify, objectRef, type KubeObject, type Logger, type ObjectRef } from '@kube-rx/core';
import type { Store } from '@kube-rx/watcher';
import {
  catchError,
  concatMap,
  finalize,
  from,
  identity,
  isObservable,
  map,
  of,
  throwError,
  timeout,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { Action } from '../../action.js';
import type { ErrorPolicyHandlers } from '../../errorPolicy/errorPolicy.js';
import { toActionObservable, type ReconcileOutput } from '../../reconcileOutput.js';
import type { KeyedRequest } from './keyedRequest.js';
import type { ReconcileFunction } from './reconcileFunction.js';
import { reconcileInfo, type ReconcileInfo } from './reconcileInfo.js';

/** What one run of the applier came to, as data: the applier maps it to a requeue and a result. */
export type Step =
  | { readonly type: 'skipped' }
  | { readonly type: 'notFound' }
  | { readonly type: 'ok'; readonly ref: ObjectRef; readonly action: Action }
  | {
      readonly type: 'failed';
      readonly ref: ObjectRef;
      readonly error: unknown;
      readonly action: Action;
    };

/** The step of a run that did not start (after a shutdown signal). */
export const SKIPPED: Step = Object.freeze({ type: 'skipped' });
const NOT_FOUND: Step = Object.freeze({ type: 'notFound' });

/** What {@link reconcileStep} works with. */
export interface ReconcileStepConfig<K extends KubeObject, C> {
  readonly reconcile: ReconcileFunction<K, C>;
  /** The error policy, normalized (`normalizeErrorPolicy`). */
  readonly policy: Required<Pick<ErrorPolicyHandlers<K, unknown, C>, 'onError'>> &
    ErrorPolicyHandlers<K, unknown, C>;
  readonly context: C;
  /** Where the object is read when the run starts. */
  readonly store: Pick<Store<K>, 'get'>;
  /** Time limit of the reconcile (not of the policy) in ms; `undefined`: none. */
  readonly reconcileTimeout: number | undefined;
  /** Requeue delay in ms when the error policy fails. */
  readonly policyFailureRequeue: number;
  readonly scheduler: SchedulerLike;
  /** The controller's name: the `controller` field of the run's log lines. */
  readonly controller: string;
  readonly logger: () => Logger;
  /** Called when a reconcile starts (the object was found). */
  readonly onStart: () => void;
  /** Called once per started reconcile, when it and its policy are done (or cancelled). */
  readonly onEnd: () => void;
}

/**
 * The run of one request: reads the object from the store, reconciles it, hands a failure (or a
 * timeout) to the error policy and a success to its `onSuccess` hook, and says what came of it
 * as a {@link Step}. Nothing here throws or errors: a failing policy is logged and becomes a
 * requeue after `policyFailureRequeue`; a failing `onSuccess` is logged and ignored.
 *
 * Every line it logs carries the run's fields (`controller`, `namespace`, `name`,
 * `reconcileID`): a failed reconcile is a `warn` line with the error (stack and causes) when
 * it is retried, an `error` line when it waits for a change; a successful one logs nothing, so
 * that its run builds no logger.
 *
 * Returns the Step itself when everything happened synchronously (a reconcile that returned an
 * Action, no async `onSuccess`): the runner then needs no Observable for the run, and virtual
 * time sees the run finish in the same frame.
 */
export function reconcileStep<K extends KubeObject, C>(
  config: ReconcileStepConfig<K, C>,
): (request: KeyedRequest) => Step | Observable<Step> {
  const { reconcile, policy, context, reconcileTimeout, scheduler, onStart, onEnd } = config;
  const { controller, logger } = config;
  const lookUp = storeLookUp(config.store);
  const timeLimit =
    reconcileTimeout === undefined
      ? identity
      : timeout<Action, Observable<Action>>({ first: reconcileTimeout, scheduler });

  const onSuccessFailed = (run: ReconcileInfo, error: unknown): void => {
    run.logger.warn('error policy onSuccess failed', { error });
  };

  // Stays synchronous unless the hook is async.
  const afterSuccess = (object: K, run: ReconcileInfo, action: Action): Step | Observable<Step> => {
    const { ref } = run;
    const ok: Step = { type: 'ok', ref, action };
    if (policy.onSuccess === undefined) return ok;
    let done: unknown;
    try {
      done = policy.onSuccess(object, context);
    } catch (error) {
      onSuccessFailed(run, error);
      return ok;
    }
    if (!isPromiseLike(done)) return ok;
    return from(done).pipe(
      catchError((error: unknown) => {
        onSuccessFailed(run, error);
        return of(undefined);
      }),
      map(() => ok),
    );
  };

  const afterFailure = (
    object: K,
    run: ReconcileInfo,
    error: unknown,
    startedAt: number,
  ): Observable<Step> =>
    toActionObservable(() => policy.onError(object, error, context)).pipe(
      catchError((policyError: unknown) => {
        run.logger.error('error policy failed; requeueing', {
          error: policyError,
          requeueAfterMs: config.policyFailureRequeue,
        });
        return of(Action.requeue(config.policyFailureRequeue));
      }),
      map((action): Step => {
        // `error` when nothing will retry it (it waits for a change), `warn` when it is retried.
        const level = action.requeueAfter === undefined ? 'error' : 'warn';
        run.logger[level]('reconcile failed', {
          error,
          errorClass: classify(error),
          durationMs: scheduler.now() - startedAt,
          requeueAfterMs: action.requeueAfter,
          reason: run.reason.type,
        });
        return { type: 'failed', ref: run.ref, error, action };
      }),
    );

  return (request) => {
    const object = lookUp(request);
    if (object === undefined) return NOT_FOUND;
    const run = reconcileInfo(controller, objectRef(object), request.reason, logger);
    const startedAt = scheduler.now();
    onStart();
    let output: ReconcileOutput;
    try {
      output = reconcile(object, context, run);
    } catch (error) {
      output = throwError(() => error);
    }
    if (Action.isAction(output)) {
      // Already done, so reconcileTimeout cannot fire.
      const step = afterSuccess(object, run, output);
      if (!isObservable(step)) {
        onEnd();
        return step;
      }
      return step.pipe(finalize(onEnd));
    }
    const settled = output;
    return toActionObservable(() => settled).pipe(
      timeLimit,
      concatMap((action) => {
        const step = afterSuccess(object, run, action);
        return isObservable(step) ? step : of(step);
      }),
      catchError((error: unknown) => afterFailure(object, run, error, startedAt)),
      finalize(onEnd),
    );
  };
}

// A Store answers `get(ref)` with `getByKey(refKey(ref))`: reading by the key the request
// already carries saves building and hashing that string again on every run.
function storeLookUp<K>(store: Pick<Store<K>, 'get'>): (request: KeyedRequest) => K | undefined {
  const byKey = (store as Partial<Store<K>>).getByKey;
  return typeof byKey === 'function'
    ? (request) => byKey.call(store, request.key)
    : (request) => store.get(request.ref);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
