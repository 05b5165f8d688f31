import type { RequestVerb } from '../faults/faultRule.js';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import type { ResourceRegistry } from '../resources/resourceRegistry.js';

/** A request for a resource (collection, object or subresource). */
export interface ResourceRoute {
  readonly kind: 'resource';
  readonly definition: ResourceDefinition;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
  readonly verb: RequestVerb;
}

/** A discovery document (`/api`, `/apis/<group>/<version>`, `/version`...). */
export interface DiscoveryRoute {
  readonly kind: 'discovery';
  readonly segments: readonly string[];
}

/** A path the server does not serve (404). */
export interface UnknownRoute {
  readonly kind: 'unknown';
}

export type Route = ResourceRoute | DiscoveryRoute | UnknownRoute;

/**
 * Resolves a request path to what it addresses:
 * `/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]` and the same under
 * `/apis/{group}/{version}`, plus the legacy `/watch/` prefix.
 */
export function resolveRoute(
  method: string,
  pathname: string,
  watch: boolean,
  registry: ResourceRegistry,
): Route {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 2) {
    group = '';
    rest = segments.slice(1);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    group = segments[1] ?? '';
    rest = segments.slice(2);
  } else {
    return { kind: 'discovery', segments };
  }
  const version = rest[0] ?? '';
  let parts = rest.slice(1);
  if (parts.length === 0) return { kind: 'discovery', segments };
  let legacyWatch = false;
  if (parts[0] === 'watch') {
    legacyWatch = true;
    parts = parts.slice(1);
  }
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    const candidate = registry.find(group, version, parts[2] ?? '');
    if (candidate?.namespaced === true) {
      namespace = parts[1];
      parts = parts.slice(2);
    }
  }
  const [plural = '', name, subresource, extra] = parts;
  const definition = registry.find(group, version, plural);
  if (definition === undefined || extra !== undefined) return { kind: 'unknown' };
  if (!definition.namespaced && namespace !== undefined) return { kind: 'unknown' };
  return {
    kind: 'resource',
    definition,
    namespace,
    name,
    subresource,
    verb: verbOf(method, name !== undefined, watch || legacyWatch),
  };
}

function verbOf(method: string, named: boolean, watch: boolean): RequestVerb {
  switch (method) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      if (watch) return 'watch';
      return named ? 'get' : 'list';
  }
}
