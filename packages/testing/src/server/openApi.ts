import { createHash } from 'node:crypto';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import type { ResourceRegistry } from '../resources/resourceRegistry.js';
import { supportsDeleteCollection, versionInfo } from './discovery.js';

type Document = Record<string, unknown>;

const WRITE_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
}));

/**
 * The OpenAPI documents for `segments` (`['openapi','v2']`, `['openapi','v3']`,
 * `['openapi','v3', ...groupVersionPath]`), or undefined when there is none.
 *
 * They are minimal but valid and list exactly the served resources: every PATCH operation
 * carries `x-kubernetes-group-version-kind` and the `fieldValidation` parameter, which is how
 * kubectl decides to let the server validate (`kubectl apply` then needs no client-side
 * schema). Object schemas are open (`x-kubernetes-preserve-unknown-fields`) and carry no kind
 * extension, so kubectl builds strategic merge patches from its own types, not from these.
 */
export function openApiDocument(
  segments: readonly string[],
  registry: ResourceRegistry,
): Document | undefined {
  if (segments[0] !== 'openapi') return undefined;
  if (segments.length === 2 && segments[1] === 'v2') return swagger(registry);
  if (segments[1] !== 'v3') return undefined;
  if (segments.length === 2) return openApiRoot(registry);
  const key = segments.slice(2).join('/');
  const definitions = groupVersions(registry).get(key);
  return definitions === undefined ? undefined : groupVersionDocument(definitions);
}

function openApiRoot(registry: ResourceRegistry): Document {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, definitions] of groupVersions(registry)) {
    const hash = createHash('sha512')
      .update(JSON.stringify(groupVersionDocument(definitions)))
      .digest('hex')
      .toUpperCase();
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}

function groupVersions(registry: ResourceRegistry): Map<string, ResourceDefinition[]> {
  const byKey = new Map<string, ResourceDefinition[]>();
  for (const definition of registry.all()) {
    const key =
      definition.group === ''
        ? `api/${definition.version}`
        : `apis/${definition.group}/${definition.version}`;
    byKey.set(key, [...(byKey.get(key) ?? []), definition]);
  }
  return byKey;
}

function groupVersionDocument(definitions: readonly ResourceDefinition[]): Document {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const definition of definitions) {
    const schemaName = definitionName(definition);
    schemas[schemaName] = {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
      'x-kubernetes-preserve-unknown-fields': true,
    };
    const ref = { $ref: `#/components/schemas/${schemaName}` };
    const operation = (action: string, writes: boolean, code = '200') => ({
      operationId: `${action}${definition.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': {
        group: definition.group,
        version: definition.version,
        kind: definition.kind,
      },
      ...(writes ? { parameters: WRITE_PARAMETERS } : {}),
      responses: {
        [code]: { description: 'OK', content: { 'application/json': { schema: ref } } },
      },
    });
    const { collection, item } = resourcePaths(definition);
    paths[collection] = {
      get: operation('list', false),
      post: operation('post', true, '201'),
      ...(supportsDeleteCollection(definition)
        ? { delete: operation('deletecollection', true) }
        : {}),
    };
    const itemOperations = {
      get: operation('get', false),
      put: operation('put', true),
      patch: operation('patch', true),
    };
    paths[item] = { ...itemOperations, delete: operation('delete', true) };
    if (definition.statusSubresource) paths[`${item}/status`] = itemOperations;
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: versionInfo.gitVersion },
    paths,
    components: { schemas },
  };
}

function swagger(registry: ResourceRegistry): Document {
  const paths: Record<string, unknown> = {};
  for (const definition of registry.all()) {
    const gvk = {
      group: definition.group,
      version: definition.version,
      kind: definition.kind,
    };
    const operation = (action: string) => ({
      operationId: `${action}${definition.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      responses: { '200': { description: 'OK' } },
    });
    const { collection, item } = resourcePaths(definition);
    paths[collection] = { get: operation('list'), post: operation('post') };
    paths[item] = { get: operation('get'), put: operation('put'), patch: operation('patch') };
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: versionInfo.gitVersion },
    paths,
    definitions: {},
  };
}

function resourcePaths(definition: ResourceDefinition): { collection: string; item: string } {
  const root =
    definition.group === ''
      ? `/api/${definition.version}`
      : `/apis/${definition.group}/${definition.version}`;
  const scope = definition.namespaced ? '/namespaces/{namespace}' : '';
  const collection = `${root}${scope}/${definition.plural}`;
  return { collection, item: `${collection}/{name}` };
}

// The apiserver's definition names: `io.k8s.api.core.v1.ConfigMap`, `com.example.v1.Widget`.
function definitionName(definition: ResourceDefinition): string {
  if (definition.custom) {
    const reversed = definition.group.split('.').reverse().join('.');
    return `${reversed}.${definition.version}.${definition.kind}`;
  }
  const group = definition.group === '' ? 'core' : (definition.group.split('.')[0] ?? '');
  return `io.k8s.api.${group}.${definition.version}.${definition.kind}`;
}
