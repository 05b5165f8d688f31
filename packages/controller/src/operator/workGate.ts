import type { ObjectRef } from '@kube-rx/core';
import { ignoreElements, NEVER, take, type Observable } from 'rxjs';
import type { ReconcileOutput } from '../reconcileOutput.js';
import type { OperatorEvent } from './operatorEvent.js';

/** The events a {@link WorkGate} reports. */
export type WorkGateEvent = Extract<
  OperatorEvent,
  {
    /** The events a gate reports: leadership, shards and their release. */
    type: 'LeaderAcquired' | 'LeaderLost' | 'ShardsChanged' | 'LeaseReleased';
  }
>;

/**
 * Decides which keys an `Operator` replica may reconcile now: all (no coordination), all or
 * none (leader election), or those of the shards it holds (sharding).
 */
export interface WorkGate {
  /** Whether `ref` may be reconciled now. */
  admits(ref: ObjectRef): boolean;
  /** Emits when `admits` starts accepting keys it rejected before. */
  readonly admitted$: Observable<unknown>;
  /** Runs one reconcile of `ref`, so the gate knows what is in flight (a handover waits for it). */
  track(ref: ObjectRef, run: () => ReconcileOutput): ReconcileOutput;
  /**
   * Starts competing for Leases when subscribed; when `stop$` emits, releases what it holds
   * (awaited) and completes.
   */
  run(stop$: Observable<unknown>): Observable<WorkGateEvent>;
}

/** The gate of an operator without leader election or sharding: everything is admitted. */
export function openGate(): WorkGate {
  return {
    admits: () => true,
    admitted$: NEVER,
    track: (_ref, run) => run(),
    run: (stop$) => stop$.pipe(take(1), ignoreElements()),
  };
}
