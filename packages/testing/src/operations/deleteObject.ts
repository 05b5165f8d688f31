import type { KubeObject, Status } from '@kube-rx/core';
import { isPlainObject } from '../patch/mergePatch.js';
import { propagationPolicyOf } from '../gc/propagationPolicy.js';
import { deleteReturnsObject } from '../resources/createDefaults.js';
import { crdResources } from '../resources/crdResources.js';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import { IMMORTAL_NAMESPACES } from '../resources/defaultNamespaces.js';
import { conflict, deletedStatus, forbidden, notFound } from '../status.js';
import type { StoredObject } from '../store/storedObject.js';
import { timestampNow, type ApiContext } from './apiContext.js';

/** What a DELETE answers: the object, or a `Status` for kinds that return one. */
export type DeleteResult = { object: StoredObject } | { status: Status };

/**
 * DELETE. With finalizers the object is only marked (deletionTimestamp,
 * deletionGracePeriodSeconds 0, one MODIFIED) and returned; a repeated DELETE returns it
 * unchanged; it goes away when its last finalizer is removed. Without finalizers it is removed
 * at once. Deleting a namespace deletes what it holds (`default`, `kube-system` and `kube-public`
 * may not be deleted: 403); deleting a CRD unregisters its resource.
 * DeleteOptions `preconditions` (uid, resourceVersion) are checked (409). `propagationPolicy`
 * (default Background) decides what happens to dependents, see `GarbageCollector`:
 * Foreground marks the object and returns it while its dependents go.
 */
export function deleteObject(
  context: ApiContext,
  definition: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  options: unknown,
): DeleteResult {
  const previous = context.store.get(definition, namespace, name);
  if (previous === undefined) throw notFound(definition, name);
  checkPreconditions(definition, previous, options);
  if (definition.group === '' && definition.plural === 'namespaces') {
    if (IMMORTAL_NAMESPACES.has(name)) {
      throw forbidden(definition, name, 'this namespace may not be deleted');
    }
    deleteNamespaceContents(context, name);
  }
  const policy = propagationPolicyOf(options);
  if (policy === 'Orphan') context.garbageCollector.orphanDependents(previous);
  const metadata = previous.object.metadata ?? {};
  if (policy === 'Foreground' && metadata.deletionTimestamp === undefined) {
    const marked = context.garbageCollector.startForegroundDeletion(previous);
    if (marked !== undefined) return { object: marked };
  }
  if ((metadata.finalizers ?? []).length > 0) {
    if (metadata.deletionTimestamp !== undefined) return { object: previous };
    const marked = previous.clone() as KubeObject;
    marked.metadata = {
      ...marked.metadata,
      deletionTimestamp: timestampNow(),
      deletionGracePeriodSeconds: 0,
    };
    return { object: context.store.replace(previous, marked) };
  }
  const removed = context.store.remove(previous);
  if (definition.group === 'apiextensions.k8s.io' && !context.store.simulating) {
    removeCustomResources(context, previous);
  }
  if (deleteReturnsObject(definition)) return { object: removed };
  return { status: deletedStatus(definition, name, metadata.uid ?? '') };
}

function checkPreconditions(
  definition: ResourceDefinition,
  object: StoredObject,
  options: unknown,
): void {
  const preconditions =
    isPlainObject(options) && isPlainObject(options.preconditions) ? options.preconditions : {};
  const { uid, resourceVersion } = preconditions;
  const metadata = object.object.metadata ?? {};
  if (typeof uid === 'string' && uid !== metadata.uid) {
    throw conflict(
      definition,
      object.name,
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${metadata.uid ?? ''}`,
    );
  }
  if (typeof resourceVersion === 'string' && resourceVersion !== metadata.resourceVersion) {
    throw conflict(
      definition,
      object.name,
      `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${metadata.resourceVersion ?? ''}`,
    );
  }
}

function deleteNamespaceContents(context: ApiContext, namespace: string): void {
  for (const definition of context.registry.all()) {
    if (!definition.namespaced) continue;
    for (const object of context.store.list(definition, namespace)) {
      deleteObject(context, definition, namespace, object.name, undefined);
    }
  }
}

function removeCustomResources(context: ApiContext, crd: StoredObject): void {
  for (const config of crdResources(crd.object)) {
    const definition = context.registry.find(config.group, config.version, config.plural);
    if (definition === undefined) continue;
    for (const object of context.store.list(definition)) {
      if (context.store.get(definition, object.namespace, object.name) !== undefined) {
        context.store.remove(object);
      }
    }
    context.registry.unregister(config.group, config.version, config.plural);
  }
}
