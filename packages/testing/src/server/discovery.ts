import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import type { ResourceRegistry } from '../resources/resourceRegistry.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * `/version`. The server reports a release at least as new as the features it serves (watch
 * `sendInitialEvents`, server-side apply, `dryRun`...), so clients that gate behaviour on the
 * version (kubectl, client-go's watch-list) use them. Only the shape follows the v1.20 recording.
 */
export const versionInfo = {
  major: '1',
  minor: '37',
  gitVersion: 'v1.37.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.25.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/**
 * The discovery document for `segments` (`[]`→404, `['api']`, `['api','v1']`, `['apis']`,
 * `['apis',group]`, `['apis',group,version]`, `['version']`), shaped like the apiserver's, or
 * undefined when there is none.
 */
export function discoveryDocument(
  segments: readonly string[],
  registry: ResourceRegistry,
  serverAddress: string,
): unknown {
  const [root, second, third] = segments;
  if (segments.length === 1 && root === 'version') return versionInfo;
  if (root === 'api' && segments.length === 1) {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }
  if (root === 'api' && second === 'v1' && segments.length === 2) {
    return {
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: resourcesOf(registry, '', 'v1'),
    };
  }
  if (root === 'apis' && segments.length === 1) {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: registry.groups().map((g) => group(registry, g)),
    };
  }
  if (root === 'apis' && second !== undefined && segments.length === 2) {
    return registry.groups().includes(second)
      ? { kind: 'APIGroup', apiVersion: 'v1', ...group(registry, second) }
      : undefined;
  }
  if (root === 'apis' && second !== undefined && third !== undefined && segments.length === 3) {
    const resources = resourcesOf(registry, second, third);
    if (resources.length === 0) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: `${second}/${third}`,
      resources,
    };
  }
  return undefined;
}

function group(registry: ResourceRegistry, name: string) {
  const versions = [
    ...new Set(
      registry
        .all()
        .filter((d) => d.group === name)
        .map((d) => d.version),
    ),
  ].map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions, preferredVersion: versions[0] };
}

function resourcesOf(registry: ResourceRegistry, groupName: string, version: string) {
  const definitions = registry
    .all()
    .filter((d) => d.group === groupName && d.version === version)
    .sort((a, b) => a.plural.localeCompare(b.plural));
  return definitions.flatMap((d) => {
    const entries: Record<string, unknown>[] = [resourceEntry(d)];
    if (d.statusSubresource) {
      entries.push({
        name: `${d.plural}/status`,
        singularName: '',
        namespaced: d.namespaced,
        kind: d.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    return entries;
  });
}

/** Whether DELETE on the collection is served: everywhere but namespaces (as the apiserver). */
export function supportsDeleteCollection(definition: ResourceDefinition): boolean {
  return !(definition.group === '' && definition.plural === 'namespaces');
}

function resourceEntry(d: ResourceDefinition): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    name: d.plural,
    singularName: '',
    namespaced: d.namespaced,
    kind: d.kind,
    verbs: supportsDeleteCollection(d) ? VERBS : VERBS.filter((v) => v !== 'deletecollection'),
  };
  if (d.shortNames.length > 0) entry.shortNames = d.shortNames;
  return entry;
}
