import { refKey, type ObjectRef } from '@kube-rx/core';

/**
 * Why a reconcile was scheduled, as in kube-runtime's `ReconcileReason`. Carried by every
 * {@link ReconcileRequest} and by every result of `Controller.run`, so logs and metrics can say
 * what triggered a run.
 *
 * - `Unknown`: triggered by `reconcileOn` or by a message without a reason.
 * - `ObjectUpdated`: the main object was created or changed.
 * - `RelatedObjectUpdated`: an owned (`owns`) or watched (`watches`) object changed; `related` is it.
 * - `ReconcilerRequestedRetry`: the previous reconcile returned `Action.requeue(ms)`.
 * - `ErrorPolicyRequestedRetry`: the previous reconcile failed and the error policy asked for a requeue.
 * - `BulkReconcile`: `reconcileAllOn` fired.
 * - `Custom`: a reason of your own (e.g. from a custom trigger stream).
 *
 * @example
 * ```ts
 * controller.run(reconcile, policy, ctx).subscribe((result) => {
 *   if (result.ok) console.log(`${refKey(result.val.ref)}: ${formatReconcileReason(result.val.reason)}`);
 * });
 * ```
 */
export type ReconcileReason =
  | {
      /** Triggered by `reconcileOn` or by a message without a reason. */
      readonly type: 'Unknown';
    }
  | {
      /** The main object was created or changed. */
      readonly type: 'ObjectUpdated';
    }
  | {
      /** An owned or watched object changed. */
      readonly type: 'RelatedObjectUpdated';
      /** The owned or watched object that changed (not the object being reconciled). */
      readonly related: ObjectRef;
    }
  | {
      /** The previous reconcile returned `Action.requeue(ms)`. */
      readonly type: 'ReconcilerRequestedRetry';
    }
  | {
      /** The previous reconcile failed and the error policy asked for a requeue. */
      readonly type: 'ErrorPolicyRequestedRetry';
    }
  | {
      /** `reconcileAllOn` fired. */
      readonly type: 'BulkReconcile';
    }
  | {
      /** A reason of your own. */
      readonly type: 'Custom';
      /** Free text, reported as is by {@link formatReconcileReason}. */
      readonly reason: string;
    };

const UNKNOWN: ReconcileReason = Object.freeze({ type: 'Unknown' });
const OBJECT_UPDATED: ReconcileReason = Object.freeze({ type: 'ObjectUpdated' });
const RECONCILER_RETRY: ReconcileReason = Object.freeze({ type: 'ReconcilerRequestedRetry' });
const ERROR_POLICY_RETRY: ReconcileReason = Object.freeze({ type: 'ErrorPolicyRequestedRetry' });
const BULK: ReconcileReason = Object.freeze({ type: 'BulkReconcile' });

/**
 * Constructors for {@link ReconcileReason} values (the parameterless ones are shared frozen objects).
 *
 * @example
 * ```ts
 * const reason = ReconcileReason.relatedObjectUpdated({ namespace: 'default', name: 'cm' });
 * ```
 */
export const ReconcileReason = {
  /** `{ type: 'Unknown' }` (shared frozen object). */
  unknown: (): ReconcileReason => UNKNOWN,
  /** `{ type: 'ObjectUpdated' }` (shared frozen object). */
  objectUpdated: (): ReconcileReason => OBJECT_UPDATED,
  /** `{ type: 'RelatedObjectUpdated', related }`, frozen; `related` is the changed object. */
  relatedObjectUpdated: (related: ObjectRef): ReconcileReason =>
    Object.freeze({ type: 'RelatedObjectUpdated', related }),
  /** `{ type: 'ReconcilerRequestedRetry' }` (shared frozen object). */
  reconcilerRequestedRetry: (): ReconcileReason => RECONCILER_RETRY,
  /** `{ type: 'ErrorPolicyRequestedRetry' }` (shared frozen object). */
  errorPolicyRequestedRetry: (): ReconcileReason => ERROR_POLICY_RETRY,
  /** `{ type: 'BulkReconcile' }` (shared frozen object). */
  bulkReconcile: (): ReconcileReason => BULK,
  /** `{ type: 'Custom', reason }`, frozen; `reason` is shown as is in logs. */
  custom: (reason: string): ReconcileReason => Object.freeze({ type: 'Custom', reason }),
} as const;

/**
 * A human-readable form of a {@link ReconcileReason}, the same words kube-runtime uses:
 * `object updated`, `related object updated: ns/name`, `reconciler requested retry`,
 * `error policy requested retry`, `bulk reconcile requested`, `unknown`, or the custom text.
 *
 * @example
 * ```ts
 * formatReconcileReason(ReconcileReason.objectUpdated()); // 'object updated'
 * ```
 */
export function formatReconcileReason(reason: ReconcileReason): string {
  switch (reason.type) {
    case 'Unknown':
      return 'unknown';
    case 'ObjectUpdated':
      return 'object updated';
    case 'RelatedObjectUpdated': {
      const kind = reason.related.kind ? `${reason.related.kind} ` : '';
      return `related object updated: ${kind}${refKey(reason.related)}`;
    }
    case 'ReconcilerRequestedRetry':
      return 'reconciler requested retry';
    case 'ErrorPolicyRequestedRetry':
      return 'error policy requested retry';
    case 'BulkReconcile':
      return 'bulk reconcile requested';
    case 'Custom':
      return reason.reason;
  }
}

/**
 * One request to reconcile an object: its ref and why. The controller's scheduler deduplicates
 * requests by `refKey(ref)`; when several requests for one key are merged, the one that runs
 * first wins (its reason is the one reported).
 *
 * @example
 * ```ts
 * const request: ReconcileRequest = { ref: { namespace: 'default', name: 'w1' }, reason: ReconcileReason.unknown() };
 * ```
 */
export interface ReconcileRequest {
  /** The object to reconcile; requests are deduplicated by `refKey(ref)`. */
  readonly ref: ObjectRef;
  /** Why it is scheduled; reported with the run's result. */
  readonly reason: ReconcileReason;
}
