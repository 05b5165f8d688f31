import type { KubeObject, ObjectMeta } from '@kube-rx/core';
import { randomUUID } from 'node:crypto';
import { isPlainObject } from '../patch/mergePatch.js';
import { applyCreateDefaults } from '../resources/createDefaults.js';
import { crdResources } from '../resources/crdResources.js';
import {
  apiVersionOfDefinition,
  type ResourceDefinition,
} from '../resources/resourceDefinition.js';
import { alreadyExists, badRequest, invalid, notFound } from '../status.js';
import type { StoredObject } from '../store/storedObject.js';
import { validateKindSpecific } from '../validation/kindValidation.js';
import { generatedName, validateObjectName } from '../validation/objectName.js';
import { timestampNow, type ApiContext } from './apiContext.js';

type Mutable = KubeObject & Record<string, unknown>;

/**
 * POST: validates and stores a new object. Fills uid, creationTimestamp, resourceVersion and
 * (for kinds that track it) generation 1; honours generateName; drops `status` when the kind
 * has a status subresource. Throws 409 AlreadyExists, 422 Invalid, 400 on a namespace mismatch,
 * 404 for a missing namespace unless namespaces are created on first use.
 */
export function createObject(
  context: ApiContext,
  definition: ResourceDefinition,
  namespace: string | undefined,
  body: unknown,
): StoredObject {
  const object = prepareNew(definition, namespace, body);
  if (definition.namespaced && namespace !== undefined) ensureNamespace(context, namespace);
  const metadata = object.metadata ?? {};
  if ((metadata.name === undefined || metadata.name === '') && metadata.generateName) {
    metadata.name = uniqueName(context, definition, namespace, metadata.generateName);
  }
  const nameErrors = validateObjectName(
    metadata.name,
    definition.group === '' && definition.plural === 'namespaces' ? 'label' : 'subdomain',
  );
  if (nameErrors.length > 0) throw invalid(definition, metadata.name ?? '', nameErrors);
  validateKindSpecific(definition, object);
  const name = metadata.name ?? '';
  if (context.store.get(definition, namespace, name) !== undefined) {
    throw alreadyExists(definition, name);
  }
  const now = timestampNow();
  // Server-owned fields are read-only for clients, not for the server that fills them in.
  const meta: { -readonly [F in keyof ObjectMeta]: ObjectMeta[F] } = {
    ...metadata,
    uid: randomUUID(),
    creationTimestamp: now,
  };
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.resourceVersion;
  if (definition.tracksGeneration) meta.generation = 1;
  else delete meta.generation;
  object.metadata = meta;
  if (definition.statusSubresource) delete object.status;
  applyCreateDefaults(definition, object, now, () => context.store.list(definition));
  const stored = context.store.insert(definition, object);
  if (definition.group === 'apiextensions.k8s.io' && !context.store.simulating) {
    for (const config of crdResources(stored.object)) context.registry.register(config);
  }
  return stored;
}

/** Checks the body and gives it the kind, apiVersion and namespace of the request. */
export function prepareNew(
  definition: ResourceDefinition,
  namespace: string | undefined,
  body: unknown,
): Mutable {
  if (!isPlainObject(body)) {
    throw badRequest(`the body of the request was not a ${definition.kind} object`);
  }
  const object = structuredClone(body) as Mutable;
  const metadata = isPlainObject(object.metadata) ? { ...object.metadata } : {};
  if (definition.namespaced) {
    if (
      metadata.namespace !== undefined &&
      metadata.namespace !== '' &&
      metadata.namespace !== namespace
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    metadata.namespace = namespace;
  } else {
    delete metadata.namespace;
  }
  object.kind = definition.kind;
  object.apiVersion = apiVersionOfDefinition(definition);
  Object.assign(object, { metadata });
  return object;
}

function uniqueName(
  context: ApiContext,
  definition: ResourceDefinition,
  namespace: string | undefined,
  prefix: string,
): string {
  for (let attempt = 0; attempt < 8; attempt++) {
    const name = generatedName(prefix);
    if (context.store.get(definition, namespace, name) === undefined) return name;
  }
  return generatedName(prefix);
}

/** Creates the namespace when allowed, or throws 404 `namespaces "x" not found`. */
export function ensureNamespace(context: ApiContext, namespace: string): void {
  const namespaces = context.registry.find('', 'v1', 'namespaces');
  if (namespaces === undefined || context.store.get(namespaces, undefined, namespace)) return;
  if (!context.autoCreateNamespaces) throw notFound(namespaces, namespace);
  createObject(context, namespaces, undefined, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
}
