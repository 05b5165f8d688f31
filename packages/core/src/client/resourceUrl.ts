import { groupVersionPath, type ApiResource } from './apiResource.js';
import type { ListParams, PatchParams, PostParams, WatchParams } from './types.js';

type QueryValue = string | number | boolean | undefined;

/**
 * The URL path of a resource collection, one object, or one object's subresource:
 * `/api/v1/namespaces/<ns>/configmaps[/<name>[/status]]`, or without the namespace segment for
 * cluster-scoped resources and all-namespace requests. Names are percent-encoded.
 *
 * @example
 * ```ts
 * resourcePath(ConfigMap, 'default', 'app'); // '/api/v1/namespaces/default/configmaps/app'
 * resourcePath(Lease, undefined);            // '/apis/coordination.k8s.io/v1/leases'
 * ```
 */
export function resourcePath(
  resource: ApiResource,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): string {
  let path = groupVersionPath(resource);
  if (namespace !== undefined) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${resource.plural}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource !== undefined) path += `/${subresource}`;
  return path;
}

/**
 * `?a=1&b=2` from the defined entries of `params` (`''` when there are none).
 *
 * @example
 * ```ts
 * queryString({ limit: 10, continue: undefined }); // '?limit=10'
 * ```
 */
export function queryString(params: Readonly<Record<string, QueryValue>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * The query of a LIST.
 *
 * @example
 * ```ts
 * listQuery({ labelSelector: 'app=web', limit: 500 }); // '?labelSelector=app%3Dweb&limit=500'
 * ```
 */
export function listQuery(params: ListParams): string {
  return queryString({
    labelSelector: params.labelSelector,
    fieldSelector: params.fieldSelector,
    limit: params.limit,
    continue: params.continue,
    resourceVersion: params.resourceVersion,
    resourceVersionMatch: params.resourceVersionMatch,
    timeoutSeconds: params.timeoutSeconds,
  });
}

/**
 * The query of a WATCH (`watch=true` plus the parameters that are set).
 *
 * @example
 * ```ts
 * watchQuery({ resourceVersion: '42', allowWatchBookmarks: true });
 * // '?watch=true&resourceVersion=42&allowWatchBookmarks=true'
 * ```
 */
export function watchQuery(params: WatchParams): string {
  return queryString({
    watch: true,
    labelSelector: params.labelSelector,
    fieldSelector: params.fieldSelector,
    resourceVersion: params.resourceVersion,
    resourceVersionMatch: params.resourceVersionMatch,
    timeoutSeconds: params.timeoutSeconds,
    allowWatchBookmarks: params.allowWatchBookmarks || undefined,
    sendInitialEvents: params.sendInitialEvents,
  });
}

/**
 * The query of a CREATE, UPDATE or PATCH: `dryRun=All`, `fieldManager`, and `force` (apply only).
 *
 * @example
 * ```ts
 * writeQuery({ fieldManager: 'my-operator', force: true }); // '?fieldManager=my-operator&force=true'
 * ```
 */
export function writeQuery(params: PostParams & PatchParams): string {
  return queryString({
    dryRun: params.dryRun ? 'All' : undefined,
    fieldManager: params.fieldManager,
    force: params.force,
  });
}
