import {
  classify,
  exponentialBackoff,
  objectKey,
  type Backoff,
  type BackoffStrategy,
  type ErrorClassification,
  type KubeObject,
} from '@kube-rx/core';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { Action } from '../action.js';
import type { ErrorPolicyHandlers } from './errorPolicy.js';

/** Options of {@link perKeyBackoff}. */
export interface PerKeyBackoffConfig<K, E = unknown, C = unknown> {
  /**
   * Decides between transient, permanent and conflict. Default: core's `classify` (network
   * failures anywhere in the `cause` chain and unknown errors are `'transient'`; `ApiError` 4xx,
   * `SerdeError` and errors marked with `permanent()` are `'permanent'`).
   */
  classify?: (error: E) => ErrorClassification;
  /**
   * Called (and awaited) for a permanent error before the policy answers
   * `Action.awaitChange()`: typically sets a `Ready=False` condition on the object's status. If
   * it fails, the key is requeued with its backoff instead, so the condition gets written later.
   * Default: none.
   */
  recordCondition?: (object: K, error: E, ctx: C) => void | PromiseLike<void>;
  /** Delay of the quick requeue after a conflict (HTTP 409), in ms. Default `500`. */
  conflictDelay?: number;
  /**
   * After this many conflicts in a row on one key, further conflicts use the key's backoff like
   * transient errors (a server-side-apply field conflict would otherwise retry every
   * `conflictDelay` forever). Default `3`.
   */
  maxQuickConflictRetries?: number;
  /**
   * Upper bound on the number of keys with backoff state; the least recently failed key is
   * forgotten first (it starts again from the first delay). Default `10_000`.
   */
  maxKeys?: number;
  /** Clock handed to the default strategy. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Randomness of the default strategy's jitter. Default `Math.random`. */
  random?: () => number;
}

/** The built-in per-key error policy; see {@link perKeyBackoff}. */
export interface PerKeyBackoffPolicy<K, E = unknown, C = unknown> extends ErrorPolicyHandlers<
  K,
  E,
  C
> {
  /** Number of keys currently holding backoff state (for tests and metrics). */
  readonly size: number;
  /** Forgets every key's state. */
  clear(): void;
}

/**
 * The built-in error policy: each key (`namespace/name`) backs off on its own, and a key's
 * success resets it (through the `onSuccess` hook, which kube-rs lacks).
 *
 * | `classify(error)` | answer |
 * |---|---|
 * | `'transient'` | `Action.requeue(next delay of this key's backoff)`; when the strategy gives up, `Action.awaitChange()` and the key starts afresh |
 * | `'permanent'` | `await recordCondition?.(object, error, ctx)`, then `Action.awaitChange()` |
 * | `'conflict'` | `Action.requeue(conflictDelay)`; after `maxQuickConflictRetries` in a row, like transient |
 *
 * With the default `classify`, every error is retried except Kubernetes errors that retrying
 * cannot fix (4xx other than 408/409/429, `SerdeError`) and errors you wrap in `permanent()` — an
 * invalid spec, say. A reconciler whose external service refuses connections (`TypeError: fetch
 * failed` with cause `ECONNRESET`) is requeued with growing delays, never left waiting for a
 * change. The controller's overall `retryRateLimit` (10 qps, burst 100 by default) bounds how
 * many of these requeues run per second across all keys.
 *
 * `onError` answers synchronously (an `Action`, not a Promise) unless it records a condition,
 * so a controller using it runs in virtual time.
 *
 * The default strategy is `exponentialBackoff({ initialDelay: 1_000, factor: 2, maxDelay:
 * 300_000, jitter: true, resetAfter: Infinity })`: 0.5–1 s, 1–2 s, 2–4 s, ... up to 2.5–5 min.
 * Pass your own `BackoffStrategy` as the first argument to change it. Memory is bounded by
 * `maxKeys`; keys are deleted on success.
 *
 * @example
 * ```ts
 * const policy = perKeyBackoff<Widget, unknown, Ctx>(undefined, {
 *   recordCondition: async (widget, error, ctx) => {
 *     const ready = { type: 'Ready', status: 'False', reason: 'InvalidSpec', message: String(error) } as const;
 *     const conditions = setCondition(widget.status?.conditions, ready);
 *     await lastValueFrom(ctx.widgets.patchStatus(widget.metadata!.name!, Patch.merge({ status: { conditions } })));
 *   },
 * });
 * controller.run(reconcile, policy, ctx);
 * ```
 */
export function perKeyBackoff<K extends KubeObject, E = unknown, C = unknown>(
  strategy?: BackoffStrategy,
  config: PerKeyBackoffConfig<K, E, C> = {},
): PerKeyBackoffPolicy<K, E, C> {
  if (strategy !== undefined && typeof strategy !== 'function') {
    throw new TypeError('perKeyBackoff: strategy must be a BackoffStrategy function');
  }
  const conflictDelay = config.conflictDelay ?? 500;
  if (!Number.isFinite(conflictDelay) || conflictDelay < 0) {
    throw new TypeError(`perKeyBackoff: conflictDelay must be >= 0, got ${String(conflictDelay)}`);
  }
  const maxQuickConflictRetries = config.maxQuickConflictRetries ?? 3;
  if (!Number.isInteger(maxQuickConflictRetries) || maxQuickConflictRetries < 0) {
    throw new TypeError('perKeyBackoff: maxQuickConflictRetries must be an integer >= 0');
  }
  const maxKeys = config.maxKeys ?? 10_000;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) {
    throw new TypeError('perKeyBackoff: maxKeys must be an integer >= 1');
  }
  const classifyError = config.classify ?? (classify as (error: E) => ErrorClassification);
  const makeBackoff: BackoffStrategy =
    strategy ??
    exponentialBackoff({
      initialDelay: 1_000,
      factor: 2,
      maxDelay: 300_000,
      jitter: true,
      // Only a success resets a key: with a 5-minute cap, failures are naturally more than the
      // default 2 minutes apart, which must not count as "the trouble is over".
      resetAfter: Number.POSITIVE_INFINITY,
      scheduler: config.scheduler ?? asyncScheduler,
      ...(config.random ? { random: config.random } : {}),
    });

  interface KeyState {
    backoff: Backoff;
    conflicts: number;
  }
  const states = new Map<string, KeyState>();

  const stateOf = (key: string): KeyState => {
    let state = states.get(key);
    if (state) {
      // Re-insert to keep the Map in least-recently-failed order.
      states.delete(key);
    } else {
      state = { backoff: makeBackoff(), conflicts: 0 };
      while (states.size >= maxKeys) {
        const oldest = states.keys().next().value;
        if (oldest === undefined) break;
        states.delete(oldest);
      }
    }
    states.set(key, state);
    return state;
  };

  const backoffAction = (key: string, state: KeyState): Action => {
    const delay = state.backoff.next();
    if (delay === undefined) {
      states.delete(key);
      return Action.awaitChange();
    }
    return Action.requeue(delay);
  };

  const recordThenAwaitChange = async (
    recordCondition: NonNullable<PerKeyBackoffConfig<K, E, C>['recordCondition']>,
    key: string,
    object: K,
    error: E,
    ctx: C,
  ): Promise<Action> => {
    try {
      await recordCondition(object, error, ctx);
    } catch {
      return backoffAction(key, stateOf(key));
    }
    return Action.awaitChange();
  };

  return {
    get size() {
      return states.size;
    },
    clear: () => states.clear(),
    onSuccess: (object) => {
      const key = objectKey(object);
      if (key !== undefined) states.delete(key);
    },
    // Synchronous unless a condition is recorded, so that a controller using it keeps working in
    // virtual time (an awaited Promise would resolve outside the TestScheduler's flush).
    onError: (object, error, ctx) => {
      const key = objectKey(object) ?? '';
      const classification = classifyError(error);
      if (classification === 'permanent') {
        return config.recordCondition
          ? recordThenAwaitChange(config.recordCondition, key, object, error, ctx)
          : Action.awaitChange();
      }
      const state = stateOf(key);
      if (classification === 'conflict' && state.conflicts < maxQuickConflictRetries) {
        state.conflicts += 1;
        return Action.requeue(conflictDelay);
      }
      if (classification !== 'conflict') state.conflicts = 0;
      return backoffAction(key, state);
    },
  };
}
