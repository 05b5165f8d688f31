/**
 * Describes one kind of Kubernetes resource well enough to build its URLs.
 *
 * @example
 * ```ts
 * const Widget: ApiResource = {
 *   group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true,
 * };
 * ```
 */
export interface ApiResource {
  /** API group; `''` for the core group (`/api/v1`). */
  group: string;
  /** API version within the group, e.g. `v1`; must not be empty. */
  version: string;
  /**
   * `kind` of the objects, e.g. `ConfigMap`. Filled into objects that `create`/`replace` send
   * without `apiVersion`/`kind`, and used in error messages.
   */
  kind: string;
  /** Lower-case plural used in URLs, e.g. `configmaps`. */
  plural: string;
  /** Whether objects of this kind live in a namespace. */
  namespaced: boolean;
}

/** `apiVersion` of a resource: `v1` for the core group, `group/version` otherwise. */
export function apiVersionOf(resource: ApiResource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** URL prefix of a resource's group version: `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPath(resource: ApiResource): string {
  return resource.group === ''
    ? `/api/${resource.version}`
    : `/apis/${resource.group}/${resource.version}`;
}

const core = (kind: string, plural: string, namespaced = true): ApiResource =>
  Object.freeze({ group: '', version: 'v1', kind, plural, namespaced });

/** core/v1 Namespace (cluster-scoped). */
export const Namespace: ApiResource = core('Namespace', 'namespaces', false);
/** core/v1 Pod. */
export const Pod: ApiResource = core('Pod', 'pods');
/** core/v1 ConfigMap. */
export const ConfigMap: ApiResource = core('ConfigMap', 'configmaps');
/** core/v1 Secret. */
export const Secret: ApiResource = core('Secret', 'secrets');
/** core/v1 Service. */
export const Service: ApiResource = core('Service', 'services');
/** core/v1 ServiceAccount. */
export const ServiceAccount: ApiResource = core('ServiceAccount', 'serviceaccounts');
/** core/v1 Event (the legacy event API; see {@link EventsV1Event} for events.k8s.io/v1). */
export const Event: ApiResource = core('Event', 'events');
/** core/v1 Node (cluster-scoped). */
export const Node: ApiResource = core('Node', 'nodes', false);
/** apps/v1 Deployment. */
export const Deployment: ApiResource = Object.freeze({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
});
/** coordination.k8s.io/v1 Lease (leader election). */
export const Lease: ApiResource = Object.freeze({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
});
/** events.k8s.io/v1 Event (what `Recorder` writes). */
export const EventsV1Event: ApiResource = Object.freeze({
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
});
/** apiextensions.k8s.io/v1 CustomResourceDefinition (cluster-scoped). */
export const CustomResourceDefinition: ApiResource = Object.freeze({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
});
