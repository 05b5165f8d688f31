import type { KubeConfig } from '@kubernetes/client-node';
import { firstValueFrom, type SchedulerLike } from 'rxjs';
import { ApiError } from '../errors/apiError.js';
import { SerdeError } from '../errors/serdeError.js';
import type { ApiResource } from './apiResource.js';
import { kubeFetch, serverUrl } from './kubeFetch.js';
import { readJsonResponse } from './readJsonResponse.js';

/** The kind to look up: `apiVersion` (`v1`, `apps/v1`, `example.com/v1`) and `kind`. */
export interface DiscoveryTarget {
  /** `v1` for the core group, `group/version` otherwise. */
  apiVersion: string;
  /** The kind, e.g. `Widget`. */
  kind: string;
}

interface DiscoveredResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

// server URL → group version → the resources it serves (a pending or settled lookup).
const cache = new Map<string, Map<string, Promise<DiscoveredResource[]>>>();

/**
 * Resolves a kind to its `ApiResource` (plural and scope) through the discovery endpoint of its
 * group version (`/api/v1` or `/apis/<group>/<version>`). Answers are cached per API server URL
 * and group version; a kind missing from the cached answer refetches it once (a CRD installed
 * since), so the cache never hides a new kind.
 *
 * @throws ApiError 404 when the server does not serve the group version or the kind (and the
 *   errors of the request: `HttpError`, other `ApiError`s, `SerdeError`).
 *
 * @example
 * ```ts
 * const resource = await discoverResource(kc, { apiVersion: 'apps/v1', kind: 'Deployment' }, asyncScheduler);
 * // { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true }
 * ```
 */
export async function discoverResource(
  kubeConfig: KubeConfig,
  target: DiscoveryTarget,
  scheduler: SchedulerLike,
): Promise<ApiResource> {
  const { apiVersion, kind } = target ?? {};
  if (typeof apiVersion !== 'string' || apiVersion === '' || apiVersion.split('/').length > 2) {
    throw new TypeError('Api.discover: apiVersion must be "v1" or "group/version"');
  }
  if (typeof kind !== 'string' || kind === '') {
    throw new TypeError('Api.discover: kind must be a non-empty string');
  }
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const server = serverUrl(kubeConfig);
  let groupVersions = cache.get(server);
  if (!groupVersions) cache.set(server, (groupVersions = new Map()));
  const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  const lookup = (): Promise<DiscoveredResource[]> => {
    const pending = fetchResources(kubeConfig, path, scheduler);
    groupVersions.set(apiVersion, pending);
    // A failed lookup is not cached: the next call asks again.
    pending.catch(() => groupVersions.delete(apiVersion));
    return pending;
  };
  const cached = groupVersions.get(apiVersion);
  let found = (await (cached ?? lookup())).find((resource) => resource.kind === kind);
  if (!found && cached) found = (await lookup()).find((resource) => resource.kind === kind);
  if (!found) {
    throw new ApiError(
      {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: 404,
        reason: 'NotFound',
        message: `the server does not serve kind ${kind} in ${apiVersion}`,
      },
      { method: 'GET', url: `${server}${path}` },
    );
  }
  return Object.freeze({
    group: group as string,
    version: version as string,
    kind,
    plural: found.name,
    namespaced: found.namespaced,
  });
}

async function fetchResources(
  kubeConfig: KubeConfig,
  path: string,
  scheduler: SchedulerLike,
): Promise<DiscoveredResource[]> {
  const body = await firstValueFrom(
    kubeFetch<object>(
      kubeConfig,
      { method: 'GET', path },
      scheduler,
      async (response, out, context) => {
        out.next(await readJsonResponse(response, context));
        out.complete();
      },
    ),
  );
  const resources = (body as { resources?: unknown }).resources;
  if (!Array.isArray(resources)) {
    throw new SerdeError(`GET ${path}: discovery answer has no resources list`, {
      body: JSON.stringify(body),
    });
  }
  return resources.flatMap((entry: { name?: unknown; kind?: unknown; namespaced?: unknown }) =>
    // `pods/status` and other subresources are listed too; only resources have a plain name.
    typeof entry?.name === 'string' && !entry.name.includes('/') && typeof entry.kind === 'string'
      ? [{ name: entry.name, kind: entry.kind, namespaced: entry.namespaced === true }]
      : [],
  );
}
