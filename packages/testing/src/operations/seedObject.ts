import type { KubeObject } from '@kube-rx/core';
import { randomUUID } from 'node:crypto';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import { crdResources } from '../resources/crdResources.js';
import type { StoredObject } from '../store/storedObject.js';
import { invalid } from '../status.js';
import { validateObjectName } from '../validation/objectName.js';
import { timestampNow, type ApiContext } from './apiContext.js';
import { ensureNamespace, prepareNew } from './createObject.js';

/**
 * Puts an object into the store as given (status included), filling only what the server
 * owns: uid, creationTimestamp (when absent), resourceVersion, generation. An existing object of
 * the same name is replaced. Watchers see ADDED or MODIFIED.
 */
export function seedObject(
  context: ApiContext,
  definition: ResourceDefinition,
  object: KubeObject,
): StoredObject {
  const namespace = definition.namespaced ? (object.metadata?.namespace ?? 'default') : undefined;
  const prepared = prepareNew(definition, namespace, object);
  const metadata = prepared.metadata ?? {};
  const errors = validateObjectName(metadata.name, 'subdomain');
  if (errors.length > 0) throw invalid(definition, metadata.name ?? '', errors);
  if (namespace !== undefined) ensureNamespace(context, namespace);
  const previous = context.store.get(definition, namespace, metadata.name ?? '');
  prepared.metadata = {
    ...metadata,
    uid: previous?.object.metadata?.uid ?? metadata.uid ?? randomUUID(),
    creationTimestamp: metadata.creationTimestamp ?? timestampNow(),
    ...(definition.tracksGeneration ? { generation: metadata.generation ?? 1 } : {}),
  };
  const stored =
    previous === undefined
      ? context.store.insert(definition, prepared)
      : context.store.replace(previous, prepared);
  if (definition.group === 'apiextensions.k8s.io') {
    for (const config of crdResources(stored.object)) context.registry.register(config);
  }
  return stored;
}
