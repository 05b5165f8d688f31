import type { ObjectRef } from '@kube-rx/core';
import type { Action } from '../action.js';
import type { ReconcileReason } from './reconcileReason.js';

/**
 * A successful reconcile, as emitted (inside `Ok`) by `Controller.run` and `applier`.
 *
 * @example
 * ```ts
 * controller.run(reconcile, policy, ctx).subscribe((result) => {
 *   if (result.ok) logger.info('reconciled', { durationMs: result.val.durationMs });
 * });
 * ```
 */
export interface ReconcileOk {
  /** The reconciled object. */
  readonly ref: ObjectRef;
  /** What the reconciler returned. */
  readonly action: Action;
  /** Why this run was scheduled. */
  readonly reason: ReconcileReason;
  /** How long the reconcile took in milliseconds (scheduler time). */
  readonly durationMs: number;
}
