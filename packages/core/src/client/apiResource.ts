import type { KubeObject } from './types.js';

declare const objectType: unique symbol;

/**
 * Describes one kind of Kubernetes resource well enough to build its URLs, and carries the type
 * `K` of its objects, so that `Api.namespaced(kubeConfig, ConfigMap, 'default')` is an
 * `Api<ConfigMap>` and a type argument that does not match the resource does not compile.
 *
 * `K` exists only for the type checker (nothing of it is stored at run time). Without a type
 * argument, `ApiResource` is an untyped resource whose objects are whatever the caller says
 * (`Api.namespaced<MyKind>(kc, resource, ns)`): that is how resources written before typed
 * resources keep compiling. Prefer `ApiResource<MyKind>`, or `defineCustomResource`, which
 * derives the type, the CRD and a validator from one schema.
 *
 * @example
 * ```ts
 * interface Widget extends KubeObject {
 *   spec: { size: number };
 * }
 * const Widget: ApiResource<Widget> = {
 *   group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true,
 * };
 * const widgets = Api.namespaced(kc, Widget, 'default'); // Api<Widget>
 * ```
 */
// The default is `any` on purpose: an untyped resource must accept every object type the caller
// names, exactly as before resources carried a type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResource<K extends KubeObject = any> {
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
  /**
   * Checks an object read from the server and returns it as a `K`, or throws a `SerdeError`
   * saying which field does not match (with the JSON path and the object's ref). An `Api` runs
   * it on every object it reads: a single-object call fails with the `SerdeError`, a LIST or
   * WATCH leaves the object out and reports it to `ApiConfig.onInvalidItem`. Absent (builtin
   * kinds): objects are taken as they come. `defineCustomResource` fills it with a compiled
   * validator of the schema.
   */
  readonly decode?: (object: unknown) => K;
  /** Type-level only: the object type of this resource. Never present at run time. */
  readonly [objectType]?: K;
}

/** The object type an {@link ApiResource} carries: `ObjectOf<typeof ConfigMap>` is `ConfigMap`. */
export type ObjectOf<R> = R extends ApiResource<infer K> ? K : never;

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
