import { subscribeWithin, type ObjectRef } from '@kube-rx/core';
import { Observable, ReplaySubject, Subject, type SchedulerLike } from 'rxjs';
import type { ScheduleRequest } from '../../scheduler.js';
import type { ReconcileRequest } from '../reconcileReason.js';
import { keyedRequest, type KeyedRequest } from './keyedRequest.js';

/** What {@link applierInput} works with. */
export interface ApplierInputConfig {
  /** Only requests whose ref passes are let in; `undefined`: all. */
  readonly shard: ((ref: ObjectRef) => boolean) | undefined;
  /** Clock of the trigger requests' `runAt` (now). */
  readonly scheduler: SchedulerLike;
  /** Called when `requests$` errors, before the input closes. */
  readonly onRequestsError: (error: unknown) => void;
}

/** The input of one subscription to an applier; see {@link applierInput}. */
export interface ApplierInput {
  /**
   * The trigger requests (due now) and the requeues, until the input closes. Subscribe it once:
   * it subscribes `requests$`.
   */
  readonly input$: Observable<ScheduleRequest<KeyedRequest>>;
  /** Whether the input has closed: requeues are dropped from then on. */
  readonly closed: boolean;
  /** Queues a requeue (ignored once closed). */
  requeue(request: ScheduleRequest<KeyedRequest>): void;
  /** Closes the input: `input$` completes and `requests$` is unsubscribed. Idempotent. */
  close(): void;
}

/**
 * Merges the trigger requests with the requeues of one subscription to an applier, keyed, and
 * ends them when the input closes: on {@link ApplierInput.close} (a shutdown signal), or when
 * `requests$` completes or errors — the end of the trigger stream ends the controller, but what
 * was requested still runs.
 */
export function applierInput(
  requests$: Observable<ReconcileRequest>,
  config: ApplierInputConfig,
): ApplierInput {
  const { shard, scheduler, onRequestsError } = config;
  const requeues$ = new Subject<ScheduleRequest<KeyedRequest>>();
  // Replaying: a close that happens before input$ is subscribed must still be seen.
  const stop$ = new ReplaySubject<void>(1);
  let closed = false;

  const close = (): void => {
    if (closed) return;
    closed = true;
    stop$.next();
    stop$.complete();
    requeues$.complete();
  };

  // One hand-written stage instead of catchError/tap/filter/map/merge/takeUntil: it runs once
  // per request.
  const input$ = new Observable<ScheduleRequest<KeyedRequest>>((scheduled) => {
    const stop = stop$.subscribe(() => scheduled.complete());
    if (scheduled.closed) return stop;
    // Requeues first: a synchronous requests$ can run reconciles (and so ask for requeues)
    // before its subscribe call returns, and a Subject drops what nobody listens to yet.
    scheduled.add(requeues$.subscribe((request) => scheduled.next(request)));
    // Within `scheduled`, so that a synchronous requests$ stops when the applier is unsubscribed.
    subscribeWithin(scheduled, requests$, {
      next: (request) => {
        try {
          if (shard !== undefined && !shard(request.ref)) return;
          const message = keyedRequest(request.ref, request.reason);
          scheduled.next({ message, runAt: scheduler.now() });
        } catch (error) {
          scheduled.error(error);
        }
      },
      error: (error: unknown) => {
        onRequestsError(error);
        close();
      },
      complete: close,
    });
    return stop;
  });

  return {
    input$,
    get closed() {
      return closed;
    },
    requeue: (request) => {
      if (closed) return;
      requeues$.next(request);
    },
    close,
  };
}
