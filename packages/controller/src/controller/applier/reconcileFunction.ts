import type { ReconcileOutput } from '../../reconcileOutput.js';
import type { ReconcileInfo } from './reconcileInfo.js';

/**
 * A reconcile function: gets the object (as it is in the store when the run starts), the
 * context, and the run's {@link ReconcileInfo} (its `reconcileID` and a `logger` bound to the
 * run); returns what to do next — an {@link Action}, a Promise of one, or an Observable whose
 * last value is one. Throwing, rejecting or erroring hands the error to the error policy.
 */
export type ReconcileFunction<K, C> = (object: K, ctx: C, run: ReconcileInfo) => ReconcileOutput;

/** Throws the applier's `TypeError` unless `reconcile` is a function. */
export function assertReconcileFunction<K, C>(
  reconcile: unknown,
): asserts reconcile is ReconcileFunction<K, C> {
  if (typeof reconcile !== 'function') throw new TypeError('applier: reconcile must be a function');
}
