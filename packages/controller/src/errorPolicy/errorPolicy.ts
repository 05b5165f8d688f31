import type { Action } from '../action.js';

/**
 * Decides what to do after a failed reconcile: `(object, error, ctx) => Action`, synchronously
 * or asynchronously (kube-rs's `error_policy` is sync-only). The error is whatever the reconcile
 * threw, rejected or errored with (or an RxJS `TimeoutError` when `reconcileTimeout` fired).
 */
export type ErrorPolicyFunction<K, E = unknown, C = unknown> = (
  object: K,
  error: E,
  ctx: C,
) => Action | PromiseLike<Action>;

/**
 * An error policy with an optional success hook. `onSuccess(object, ctx)` runs after every
 * successful reconcile (before the next run of that key can start) — where per-key state such as
 * a backoff is reset (kube-rs has no such hook).
 */
export interface ErrorPolicyHandlers<K, E = unknown, C = unknown> {
  /**
   * Called after each failed reconcile with the object, the error and the context; the
   * {@link Action} it returns (or resolves to) decides when the key runs again. If it throws or
   * rejects, the key is requeued after `policyFailureRequeue`.
   */
  onError(object: K, error: E, ctx: C): Action | PromiseLike<Action>;
  /**
   * Called after each successful reconcile, before the next run of that key can start; a
   * returned promise is awaited. Failures are logged and otherwise ignored. Optional.
   */
  onSuccess?(object: K, ctx: C): void | PromiseLike<void>;
}

/**
 * What `Controller.run` and `applier` accept as error policy: a plain function (see
 * {@link ErrorPolicyFunction}) or an object with `onError` and an optional `onSuccess` (see
 * {@link ErrorPolicyHandlers}). If the policy itself throws or rejects, the controller logs it
 * and falls back to requeueing the key after `policyFailureRequeue`.
 *
 * @example
 * ```ts
 * class SpecError extends Error {
 *   constructor(readonly kind: 'MissingField' | 'Unreachable') { super(kind); }
 * }
 * const policy: ErrorPolicy<Widget, SpecError, Ctx> = (widget, error) =>
 *   error.kind === 'MissingField' ? Action.awaitChange() : Action.requeue(5_000);
 * const withReset: ErrorPolicy<Widget> = perKeyBackoff();
 * ```
 */
export type ErrorPolicy<K, E = unknown, C = unknown> =
  ErrorPolicyFunction<K, E, C> | ErrorPolicyHandlers<K, E, C>;

/**
 * Turns either form of {@link ErrorPolicy} into {@link ErrorPolicyHandlers} (done once, when a
 * controller starts). Throws a `TypeError` for anything else.
 *
 * @example
 * ```ts
 * const { onError, onSuccess } = normalizeErrorPolicy(policy);
 * ```
 */
export function normalizeErrorPolicy<K, E, C>(
  policy: ErrorPolicy<K, E, C>,
): Required<Pick<ErrorPolicyHandlers<K, E, C>, 'onError'>> & ErrorPolicyHandlers<K, E, C> {
  if (typeof policy === 'function') {
    return { onError: policy };
  }
  if (typeof policy === 'object' && policy !== null && typeof policy.onError === 'function') {
    if (policy.onSuccess !== undefined && typeof policy.onSuccess !== 'function') {
      throw new TypeError('error policy: onSuccess must be a function');
    }
    const handlers: ErrorPolicyHandlers<K, E, C> = {
      onError: (object, error, ctx) => policy.onError(object, error, ctx),
    };
    if (policy.onSuccess) {
      const onSuccess = policy.onSuccess;
      handlers.onSuccess = (object, ctx) => onSuccess.call(policy, object, ctx);
    }
    return handlers;
  }
  throw new TypeError('error policy must be a function or an object with an onError method');
}
