import type { CustomResourceDefinition } from '../client/builtinResources.js';
import type { KubeObject } from '../client/types.js';
import type { CustomResource } from './defineCustomResource.js';

/**
 * The apiextensions.k8s.io/v1 CustomResourceDefinition of one or several versions of a kind
 * (each a {@link defineCustomResource} of the same group, kind, plural and scope): names,
 * scope, and per version its structural `openAPIV3Schema`, status subresource (when it has a
 * `status` schema) and printer columns. Names, short names and categories come from the first.
 * With several versions exactly one has `storage: true`; conversion between versions is the
 * default `None` (no webhook: out of scope), so their schemas must accept each other's objects.
 *
 * @throws TypeError when the versions disagree on group, kind, plural or scope, repeat a
 *   version, or do not have exactly one storage version.
 *
 * @example
 * ```ts
 * const v1 = defineCustomResource({ group: 'example.com', version: 'v1', kind: 'Widget', namespaced: true,
 *   spec: Type.Object({ size: Type.Integer() }), storage: true });
 * const v2 = defineCustomResource({ group: 'example.com', version: 'v2', kind: 'Widget', namespaced: true,
 *   spec: Type.Object({ size: Type.Integer(), color: Type.Optional(Type.String()) }), storage: false });
 * const crd = customResourceDefinition(v1, v2); // one CRD, versions v1 (stored) and v2
 * ```
 */
export function customResourceDefinition(
  ...resources: ReadonlyArray<CustomResource<KubeObject>>
): CustomResourceDefinition {
  const [first] = resources;
  if (first === undefined)
    throw new TypeError('customResourceDefinition: give at least one custom resource');
  const versions = new Set<string>();
  for (const resource of resources) {
    if (
      resource.group !== first.group ||
      resource.kind !== first.kind ||
      resource.plural !== first.plural ||
      resource.namespaced !== first.namespaced
    ) {
      throw new TypeError(
        `customResourceDefinition: ${resource.kind}.${resource.group} ${resource.version} differs from ${first.kind}.${first.group} ${first.version} in group, kind, plural or scope`,
      );
    }
    if (versions.has(resource.version)) {
      throw new TypeError(
        `customResourceDefinition: version ${resource.version} of ${first.kind} given twice`,
      );
    }
    versions.add(resource.version);
  }
  const storage =
    resources.length === 1
      ? [first]
      : resources.filter((resource) => resource.config.storage === true);
  if (storage.length !== 1) {
    throw new TypeError(
      `customResourceDefinition: ${first.kind} has ${resources.length} versions; exactly one must have storage: true (found ${storage.length})`,
    );
  }
  const config = first.config;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${first.plural}.${first.group}` },
    spec: {
      group: first.group,
      scope: first.namespaced ? 'Namespaced' : 'Cluster',
      names: {
        kind: first.kind,
        listKind: `${first.kind}List`,
        plural: first.plural,
        singular: first.singular,
        ...(config.shortNames?.length ? { shortNames: [...config.shortNames] } : {}),
        ...(config.categories?.length ? { categories: [...config.categories] } : {}),
      },
      versions: resources.map((resource) => ({
        name: resource.version,
        served: resource.config.served ?? true,
        storage: resource === storage[0],
        ...(resource.config.deprecated ? { deprecated: true } : {}),
        schema: { openAPIV3Schema: resource.openAPIV3Schema },
        ...(resource.config.status === undefined ? {} : { subresources: { status: {} } }),
        ...(resource.config.printerColumns?.length
          ? {
              additionalPrinterColumns: resource.config.printerColumns.map((column) => ({
                ...column,
              })),
            }
          : {}),
      })),
    },
  } as CustomResourceDefinition;
}
