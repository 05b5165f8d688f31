import type { KubeObject } from './types.js';

/**
 * Identifies one object. `namespace` is absent for cluster-scoped objects. `uid`, `kind` and
 * `apiVersion` are informational: two refs are the same object when namespace and name match
 * (see {@link refKey}).
 */
export interface ObjectRef {
  /** `metadata.namespace`; absent (never `''`) for cluster-scoped objects. */
  namespace?: string;
  /** `metadata.name`; always set. */
  name: string;
  /** `metadata.uid`, when known; distinguishes a re-created object from its predecessor. */
  uid?: string;
  /** The object's `kind`, e.g. `ConfigMap`, when known. */
  kind?: string;
  /** The object's `apiVersion`, e.g. `v1` or `apps/v1`, when known. */
  apiVersion?: string;
}

/**
 * The ref of an object. Throws a `TypeError` if the object has no `metadata.name`.
 *
 * @example
 * ```ts
 * const configMap = await firstValueFrom(configMaps.get('app'));
 * const ref = objectRef(configMap); // { namespace: 'default', name: 'app', uid: '…', kind: 'ConfigMap', apiVersion: 'v1' }
 * ```
 */
export function objectRef(object: KubeObject): ObjectRef {
  const metadata = object.metadata;
  if (!metadata?.name) throw new TypeError('object has no metadata.name');
  const ref: ObjectRef = { name: metadata.name };
  if (metadata.namespace) ref.namespace = metadata.namespace;
  if (metadata.uid) ref.uid = metadata.uid;
  if (object.kind) ref.kind = object.kind;
  if (object.apiVersion) ref.apiVersion = object.apiVersion;
  return ref;
}

/**
 * A string key for a ref: `namespace/name`, or `name` for cluster-scoped objects (as client-go's
 * `MetaNamespaceKeyFunc`). Used by stores and schedulers to deduplicate.
 */
export function refKey(ref: ObjectRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

/** {@link refKey} of an object, or `undefined` when it has no name. Cheaper than `refKey(objectRef(o))`. */
export function objectKey(object: KubeObject): string | undefined {
  const metadata = object.metadata;
  if (!metadata?.name) return undefined;
  return metadata.namespace ? `${metadata.namespace}/${metadata.name}` : metadata.name;
}
