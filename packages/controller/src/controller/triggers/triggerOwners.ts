import {
  apiVersionOf,
  type ApiResource,
  type KubeObject,
  type ObjectRef,
  type PartialObjectMetadata,
} from '@kube-rx/core';
import type { WatcherEvent } from '@kube-rx/watcher';
import type { OperatorFunction } from 'rxjs';
import { ReconcileReason, type ReconcileRequest } from '../reconcileReason.js';
import { relatedTrigger } from './relatedTrigger.js';

/** Options of {@link triggerOwners}. */
export interface TriggerOwnersConfig {
  /**
   * Only owner references with `controller: true` trigger (one controlling owner per object).
   * Default `false`: every owner reference of the owner kind triggers.
   */
  controllerOnly?: boolean;
  /**
   * The kind of the watched (owned) objects, for the `related` ref of each request's reason.
   * Default: the `kind`/`apiVersion` the objects carry, if any.
   */
  childResource?: ApiResource;
}

/**
 * The trigger of owned objects (kube-runtime's `trigger_owners`): every watcher event of an owned
 * kind requests a reconcile of each owner named in its `ownerReferences` that is of
 * `ownerResource`'s kind (reason `RelatedObjectUpdated`, with the child as `related`).
 *
 * Beyond a plain mapping: a child whose owner reference was removed still triggers that former
 * owner once; a (re)list triggers at its `InitDone`; and a child deleted while the watch was
 * down (missing from the relist) triggers its owners too, so an owner can recreate it. For that
 * it remembers the owner refs of every child that has any.
 *
 * Works on full objects and on `PartialObjectMetadata` (`metadataWatcher`).
 *
 * @example
 * ```ts
 * const { store, writer } = createStore<Widget>();
 * const requests$ = merge(
 *   watcher(widgets).pipe(defaultBackoff(), reflect(writer), triggerSelf()),
 *   metadataWatcher(configMaps).pipe(defaultBackoff(), triggerOwners(WidgetResource, { controllerOnly: true })),
 * );
 * applier(reconcile, perKeyBackoff(), ctx, store, requests$, { readiness: store.ready$ }).subscribe();
 * ```
 */
export function triggerOwners<O extends KubeObject | PartialObjectMetadata>(
  ownerResource: ApiResource,
  config: TriggerOwnersConfig = {},
): OperatorFunction<WatcherEvent<O>, ReconcileRequest> {
  if (!ownerResource || typeof ownerResource.kind !== 'string') {
    throw new TypeError('triggerOwners: ownerResource must be an ApiResource');
  }
  const { controllerOnly = false, childResource } = config;
  const ownerApiVersion = apiVersionOf(ownerResource);
  const ownerKind = ownerResource.kind;
  const childKind = childResource?.kind;
  const childApiVersion = childResource ? apiVersionOf(childResource) : undefined;
  return relatedTrigger<O>((child) => {
    const metadata = child.metadata;
    const owners = metadata?.ownerReferences;
    if (!owners || owners.length === 0 || !metadata?.name) return [];
    let reason: ReconcileReason | undefined;
    const requests: ReconcileRequest[] = [];
    for (const owner of owners) {
      if (owner.apiVersion !== ownerApiVersion || owner.kind !== ownerKind) continue;
      if (controllerOnly && owner.controller !== true) continue;
      const ref: ObjectRef = {
        name: owner.name,
        kind: owner.kind,
        apiVersion: owner.apiVersion,
        uid: owner.uid,
      };
      if (ownerResource.namespaced && metadata.namespace) ref.namespace = metadata.namespace;
      reason ??= ReconcileReason.relatedObjectUpdated(
        relatedRef(child, childKind, childApiVersion),
      );
      requests.push({ ref, reason });
    }
    return requests;
  });
}

function relatedRef(
  child: KubeObject | PartialObjectMetadata,
  kind: string | undefined,
  apiVersion: string | undefined,
): ObjectRef {
  const metadata = child.metadata;
  const related: ObjectRef = { name: metadata?.name ?? '' };
  const childKind = kind ?? child.kind;
  const childApiVersion = apiVersion ?? child.apiVersion;
  if (childKind) related.kind = childKind;
  if (childApiVersion) related.apiVersion = childApiVersion;
  if (metadata?.namespace) related.namespace = metadata.namespace;
  if (metadata?.uid) related.uid = metadata.uid;
  return related;
}
