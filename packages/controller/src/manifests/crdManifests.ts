import {
  customResourceDefinition,
  type CustomResource,
  type CustomResourceDefinition,
  type KubeObject,
} from '@kube-rx/core';

/** Whether `value` is a custom resource made by `defineCustomResource`. */
export function isCustomResource(value: unknown): value is CustomResource<KubeObject> {
  const candidate = value as Partial<CustomResource<KubeObject>> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.crdManifest === 'function' &&
    typeof candidate.decode === 'function' &&
    typeof candidate.openAPIV3Schema === 'object' &&
    typeof candidate.config === 'object'
  );
}

/**
 * The CustomResourceDefinitions of every custom resource among `values` (e.g. a module's
 * exports): versions of the same kind (same CRD name) become one CRD with several versions;
 * the same definition exported twice counts once. Sorted by CRD name.
 *
 * @throws TypeError when versions of one kind disagree (see `customResourceDefinition`).
 *
 * @example
 * ```ts
 * const Gizmo = defineCustomResource({
 *   group: 'example.com', version: 'v1', kind: 'Gizmo', namespaced: true, spec: Type.Object({}),
 * });
 * const crds = crdManifests([Gizmo, 'not a resource', 42]); // [the gizmos.example.com CRD]
 * ```
 */
export function crdManifests(values: Iterable<unknown>): CustomResourceDefinition[] {
  const byName = new Map<string, Set<CustomResource<KubeObject>>>();
  for (const value of values) {
    if (!isCustomResource(value)) continue;
    const name = `${value.plural}.${value.group}`;
    const versions = byName.get(name) ?? new Set();
    versions.add(value);
    byName.set(name, versions);
  }
  return [...byName.keys()].sort().map((name) => customResourceDefinition(...byName.get(name)!));
}
