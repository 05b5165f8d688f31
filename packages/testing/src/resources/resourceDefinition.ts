import { CustomResourceSchema } from '../validation/customResourceSchema.js';

/**
 * Everything the test server knows about one kind of resource: how it is addressed, whether it
 * is namespaced, which subresources and lifecycle rules apply.
 */
export interface ResourceDefinition {
  /** API group; `''` for core. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  /** Whether `/status` exists: main-resource writes then ignore `.status`, `/status` writes change only `.status`. */
  readonly statusSubresource: boolean;
  /**
   * Whether `metadata.generation` is maintained (1 on create, +1 when anything but metadata and
   * status changes). Off for kinds the apiserver does not version this way (ConfigMap, Lease...).
   */
  readonly tracksGeneration: boolean;
  /** Custom resources: no strategic merge patch, and list items keep `kind`/`apiVersion`. */
  readonly custom: boolean;
  readonly shortNames: readonly string[];
  /** Custom resources with an `openAPIV3Schema`: prunes and validates every write. */
  readonly schema?: CustomResourceSchema;
}

/** The definition a runtime-registered custom resource gets. */
export interface CustomResourceConfig {
  /** API group, e.g. `example.com`; non-empty (custom resources never live in the core group). */
  group: string;
  /** Served version, e.g. `v1`; non-empty. Register each version separately. */
  version: string;
  /** `kind` of the objects, e.g. `Widget`; non-empty. */
  kind: string;
  /** Lower-case plural used in URLs, e.g. `widgets`; non-empty. */
  plural: string;
  /** Whether objects live in a namespace (`Namespaced` scope) or are cluster-scoped. */
  namespaced: boolean;
  /** Serve `/status` as a subresource. Default `false`. */
  statusSubresource?: boolean;
  /** Default: `kind.toLowerCase()`. */
  singular?: string;
  /** Default: `` `${kind}List` ``. */
  listKind?: string;
  /** Default: none. */
  shortNames?: string[];
  /**
   * The version's `openAPIV3Schema` (as in a CRD's `spec.versions[].schema`). When given, every
   * write is pruned of unknown fields (except under `x-kubernetes-preserve-unknown-fields`),
   * defaulted and validated (422 Invalid with causes). Default: none (anything is kept).
   */
  schema?: Record<string, unknown>;
}

/** `apiVersion` of a definition: `v1` or `group/version`. */
export function apiVersionOfDefinition(definition: ResourceDefinition): string {
  return definition.group === '' ? definition.version : `${definition.group}/${definition.version}`;
}

function builtin(
  group: string,
  kind: string,
  plural: string,
  options: Partial<ResourceDefinition> = {},
): ResourceDefinition {
  return Object.freeze({
    group,
    version: 'v1',
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    statusSubresource: false,
    tracksGeneration: false,
    custom: false,
    shortNames: [],
    ...options,
  });
}

/** The built-in resources every server serves. */
export const builtinResources: readonly ResourceDefinition[] = [
  builtin('', 'Namespace', 'namespaces', {
    namespaced: false,
    statusSubresource: true,
    shortNames: ['ns'],
  }),
  builtin('', 'Pod', 'pods', { statusSubresource: true, shortNames: ['po'] }),
  builtin('', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  builtin('', 'Secret', 'secrets'),
  builtin('', 'Service', 'services', { statusSubresource: true, shortNames: ['svc'] }),
  builtin('', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  builtin('', 'Node', 'nodes', { namespaced: false, statusSubresource: true, shortNames: ['no'] }),
  builtin('', 'Event', 'events', { shortNames: ['ev'] }),
  builtin('apps', 'Deployment', 'deployments', {
    statusSubresource: true,
    tracksGeneration: true,
    shortNames: ['deploy'],
  }),
  builtin('coordination.k8s.io', 'Lease', 'leases'),
  builtin('events.k8s.io', 'Event', 'events', { shortNames: ['ev'] }),
  builtin('apiextensions.k8s.io', 'CustomResourceDefinition', 'customresourcedefinitions', {
    namespaced: false,
    statusSubresource: true,
    tracksGeneration: true,
    shortNames: ['crd', 'crds'],
  }),
];

/** Builds (and validates) the definition of a custom resource. */
export function customResourceDefinition(config: CustomResourceConfig): ResourceDefinition {
  for (const field of ['group', 'version', 'kind', 'plural'] as const) {
    if (typeof config[field] !== 'string' || config[field] === '') {
      throw new TypeError(`registerCustomResource: ${field} must be a non-empty string`);
    }
  }
  if (typeof config.namespaced !== 'boolean') {
    throw new TypeError('registerCustomResource: namespaced must be a boolean');
  }
  return Object.freeze({
    group: config.group,
    version: config.version,
    kind: config.kind,
    listKind: config.listKind ?? `${config.kind}List`,
    plural: config.plural,
    singular: config.singular ?? config.kind.toLowerCase(),
    namespaced: config.namespaced,
    statusSubresource: config.statusSubresource ?? false,
    tracksGeneration: true,
    custom: true,
    shortNames: config.shortNames ?? [],
    ...(config.schema === undefined ? {} : { schema: new CustomResourceSchema(config.schema) }),
  });
}
