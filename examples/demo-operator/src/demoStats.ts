import type { ErrorClassification } from '@kube-rx/core';

/** A permanent error the operator recorded as a `Ready=False` condition. */
export interface RecordedCondition {
  key: string;
  reason: string;
  message: string;
  generation: number | undefined;
}

/** Counters the operator keeps while it runs; the summary table is made from them. */
export class DemoStats {
  /** Reconciles that finished (successfully or not). */
  reconciles = 0;
  /** Reconciles that failed, by `classify()` of their error. */
  readonly errors: Record<ErrorClassification, number> = {
    transient: 0,
    permanent: 0,
    conflict: 0,
  };
  /** Calls retried inside the Api client (`retry` policy: 429/503/504). */
  clientRetries = 0;
  /** Requeues the error policy asked for after a failed reconcile. */
  policyRequeues = 0;
  /** Watch stream failures the controller resumed with backoff (`Err(QueueError)`). */
  watchErrors = 0;
  /** Keys whose per-key backoff was reset by a success after failures. */
  backoffResets = 0;
  /** Permanent errors written to the status, in order. */
  readonly conditions: RecordedCondition[] = [];

  /** Total failed reconciles. */
  get failures(): number {
    return this.errors.transient + this.errors.permanent + this.errors.conflict;
  }
}
