import { refKey, type ObjectRef } from '@kube-rx/core';
import type { ReconcileReason, ReconcileRequest } from '../reconcileReason.js';

/**
 * A request inside the applier: the {@link ReconcileRequest} with its `refKey`, computed once
 * when it enters and read by the scheduler, the runner and the queue-depth bookkeeping.
 */
export interface KeyedRequest extends ReconcileRequest {
  readonly key: string;
}

/** The key of a request that has one: what the scheduler deduplicates and the runner serializes by. */
export const requestKey = (request: KeyedRequest): string => request.key;

/** A request for `ref`, keyed. */
export function keyedRequest(ref: ObjectRef, reason: ReconcileReason): KeyedRequest {
  return { ref, reason, key: refKey(ref) };
}
