import { objectRef, subscribeWithin, type KubeObject } from '@kube-rx/core';
import { appliedObjects, type WatcherEvent } from '@kube-rx/watcher';
import { Observable, type OperatorFunction } from 'rxjs';
import { ReconcileReason, type ReconcileRequest } from '../reconcileReason.js';

/**
 * The trigger of a controller's main kind (kube-runtime's `trigger_self`): one request
 * (reason `ObjectUpdated`) per object that a watcher event lists or changes; deletions trigger
 * nothing (use a finalizer to act on them). Objects without a name are skipped.
 *
 * Place it after `reflect(writer)` of the store the reconciles read: the objects of a (re)list
 * trigger together at its `InitDone`, once the store holds them (see `appliedObjects`), so a
 * relist is always reconciled against the relisted cache, never the old one.
 *
 * @example
 * ```ts
 * const { store, writer } = createStore<Widget>();
 * const requests$ = watcher(widgets).pipe(defaultBackoff(), reflect(writer), triggerSelf());
 * applier(reconcile, perKeyBackoff(), ctx, store, requests$, { readiness: store.ready$ }).subscribe();
 * ```
 */
export function triggerSelf<K extends KubeObject>(): OperatorFunction<
  WatcherEvent<K>,
  ReconcileRequest
> {
  const reason = ReconcileReason.objectUpdated();
  return (source) => {
    const objects$ = source.pipe(appliedObjects());
    // One stage rather than filter + map: it runs once per object of every (re)list.
    return new Observable<ReconcileRequest>((subscriber) =>
      subscribeWithin(subscriber, objects$, {
        next: (object) => {
          // An object without a name cannot be reconciled (nor stored); the watcher reports it.
          if (!object.metadata?.name) return;
          subscriber.next({ ref: objectRef(object), reason });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
  };
}
