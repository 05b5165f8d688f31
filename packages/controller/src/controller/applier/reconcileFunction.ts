import type { ReconcileOutput } from '../../reconcileOutput.js';

/**
 * A reconcile function: gets the object (as it is in the store when the run starts) and the
 * context, returns what to do next — an {@link Action}, a Promise of one, or an Observable whose
 * last value is one. Throwing, rejecting or erroring hands the error to the error policy.
 */
export type ReconcileFunction<K, C> = (object: K, ctx: C) => ReconcileOutput;

/** Throws the applier's `TypeError` unless `reconcile` is a function. */
export function assertReconcileFunction<K, C>(
  reconcile: unknown,
): asserts reconcile is ReconcileFunction<K, C> {
  if (typeof reconcile !== 'function') throw new TypeError('applier: reconcile must be a function');
}
