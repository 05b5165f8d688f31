import { firstValueFrom, defer, finalize, tap, type Observable } from 'rxjs';
import type { Api } from '@kube-rx/core';
import { isApiError, Patch, refKey, objectRef } from '@kube-rx/core';
import { Action, finalizer } from '@kube-rx/controller';
import {
  childName,
  FIELD_MANAGER,
  FINALIZER,
  type ConfigMapObject,
  type WidgetObject,
} from './soakResources.js';

/** What the soak's reconciler observed, for the invariants. */
export interface ReconcileLedger {
  /** The resourceVersion (and uid) each key's last successful reconcile saw. */
  readonly lastSuccess: Map<string, { resourceVersion: string; uid: string }>;
  /** Keys running now. */
  readonly running: Set<string>;
  /** Runs that started while the same key was running. */
  overlaps: number;
  /** Runs started. */
  runs: number;
  /** Cleanups that succeeded. */
  cleanups: number;
  /** Malformed items the Api skipped and reported. */
  invalidItems: number;
}

export function newLedger(): ReconcileLedger {
  return {
    lastSuccess: new Map(),
    running: new Set(),
    overlaps: 0,
    runs: 0,
    cleanups: 0,
    invalidItems: 0,
  };
}

/**
 * The soak's reconciler: through `finalizer()`, Apply server-side-applies the Widget's ConfigMap
 * (owned by it, `data.size` = `spec.size`); Cleanup deletes the ConfigMap. Every run is recorded
 * in `ledger`.
 */
export function widgetReconciler(
  widgets: Api<WidgetObject>,
  configMaps: Api<ConfigMapObject>,
  ledger: ReconcileLedger,
): (widget: WidgetObject) => Observable<Action> {
  return (object) => {
    const key = refKey(objectRef(object));
    const { resourceVersion = '', uid = '' } = object.metadata ?? {};
    return defer(() => {
      ledger.runs++;
      if (ledger.running.has(key)) ledger.overlaps++;
      ledger.running.add(key);
      return finalizer(widgets, FINALIZER, object, async (event) => {
        const metadata = event.object.metadata!;
        if (event.type === 'Apply') {
          await firstValueFrom(
            configMaps.patch(
              childName(metadata.name!),
              Patch.apply({
                apiVersion: 'v1',
                kind: 'ConfigMap',
                metadata: {
                  name: childName(metadata.name!),
                  namespace: metadata.namespace!,
                  ownerReferences: [
                    {
                      apiVersion: 'soak.kube-rx.dev/v1',
                      kind: 'Widget',
                      name: metadata.name!,
                      uid: metadata.uid!,
                      controller: true,
                      blockOwnerDeletion: true,
                    },
                  ],
                },
                data: { size: String(event.object.spec?.size ?? 0) },
              }),
              { fieldManager: FIELD_MANAGER, force: true },
            ),
          );
          return Action.awaitChange();
        }
        try {
          await firstValueFrom(configMaps.delete(childName(metadata.name!)));
        } catch (error) {
          if (!isApiError(error, 404)) throw error;
        }
        ledger.cleanups++;
        return Action.awaitChange();
      }).pipe(
        tap({ complete: () => ledger.lastSuccess.set(key, { resourceVersion, uid }) }),
        finalize(() => ledger.running.delete(key)),
      );
    });
  };
}
