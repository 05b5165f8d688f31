import { load, YAML11_SCHEMA } from 'js-yaml';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRule, Faults } from '../faults/faults.js';
import type { ApiContext } from '../operations/apiContext.js';
import { createObject } from '../operations/createObject.js';
import { deleteObject } from '../operations/deleteObject.js';
import { getObject } from '../operations/getObject.js';
import { listObjects } from '../operations/listObjects.js';
import { patchObject, type PatchRequest } from '../operations/patchObject.js';
import { updateObject } from '../operations/updateObject.js';
import { apiVersionOfDefinition } from '../resources/resourceDefinition.js';
import {
  badRequest,
  methodNotAllowed,
  notAcceptable,
  pathNotFound,
  statusForCode,
  StatusError,
  unauthorized,
  unsupportedBodyMediaType,
} from '../status.js';
import type { WatchHub } from '../watch/watchHub.js';
import { discoveryDocument, supportsDeleteCollection } from './discovery.js';
import { isDryRun } from './dryRun.js';
import { isHealthCheck } from './healthCheck.js';
import { acceptsJson, mediaTypesOf } from './mediaTypes.js';
import { openApiDocument } from './openApi.js';
import { Exchange } from './exchange.js';
import { sendList } from './listResponse.js';
import type { RequestLogEntry } from './requestLog.js';
import { resolveRoute, type ResourceRoute } from './route.js';
import { startWatch } from './startWatch.js';
import { sendTable, wantsTable } from './tableResponse.js';

/** What the request handler needs from the server. */
export interface RequestHandlerDependencies {
  readonly context: ApiContext;
  readonly faults: Faults;
  readonly hub: WatchHub;
  readonly log: RequestLogEntry[];
  readonly bookmarkIntervalMs: number;
  /** How streaming lists are served (see `TestApiServerConfig.watchList`). */
  readonly watchList: 'Enabled' | 'Disabled' | 'Ignored';
  /** When set, requests must carry `Authorization: Bearer <token>` (else 401). */
  readonly requiredToken: string | undefined;
  readonly serverAddress: () => string;
  /** Runs `callback` after `ms` unless the server closes first (then the request is dropped). */
  readonly delay: (ms: number) => Promise<boolean>;
}

/**
 * Serves one HTTP request: logs it, applies faults, routes it to discovery or to the API
 * operation of its verb, and answers (errors as `Status` bodies).
 */
export function createRequestHandler(
  dependencies: RequestHandlerDependencies,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    void handle(dependencies, request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        const status = statusForCode(500);
        status.status.message = `Internal error occurred: ${(error as Error).message}`;
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify(status.status));
      } else {
        response.destroy();
      }
    });
  };
}

async function handle(
  dependencies: RequestHandlerDependencies,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { context, faults, log } = dependencies;
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const query = Object.fromEntries(url.searchParams);
  const watch = query.watch === '1' || query.watch === 'true';
  const route = resolveRoute(request.method ?? 'GET', url.pathname, watch, context.registry);
  const entry: RequestLogEntry = {
    verb: route.kind === 'resource' ? route.verb : 'get',
    resource: route.kind === 'resource' ? route.definition.plural : '',
    group: route.kind === 'resource' ? route.definition.group : '',
    path: url.pathname,
    query,
    status: 0,
    startedAt: Date.now(),
    durationMs: 0,
  };
  if (route.kind === 'resource') {
    if (route.namespace !== undefined) entry.namespace = route.namespace;
    if (route.name !== undefined) entry.name = route.name;
    if (route.subresource !== undefined) entry.subresource = route.subresource;
  }
  log.push(entry);
  const exchange = new Exchange(request, response, entry);
  if (dependencies.requiredToken !== undefined) {
    if (request.headers.authorization !== `Bearer ${dependencies.requiredToken}`) {
      exchange.sendError(unauthorized());
      return;
    }
  }
  const decision = faults.decide({
    verb: entry.verb,
    resource: entry.resource,
    group: entry.group,
    namespace: entry.namespace,
    name: entry.name,
    subresource: entry.subresource,
  });
  if (decision.reset === 'request') {
    exchange.reset();
    return;
  }
  if (decision.delayMs > 0 && !(await dependencies.delay(decision.delayMs))) return;
  if (decision.response !== undefined) {
    sendFault(exchange, decision.response);
    return;
  }
  try {
    if (route.kind === 'discovery') {
      serveNonResource(dependencies, exchange, route.segments);
    } else if (route.kind === 'unknown') {
      throw pathNotFound();
    } else {
      await serveResource(dependencies, exchange, route, query, decision.reset === 'body');
    }
  } catch (error) {
    if (!(error instanceof StatusError)) throw error;
    if (response.headersSent) response.destroy();
    else exchange.sendError(error);
  }
}

function serveNonResource(
  dependencies: RequestHandlerDependencies,
  exchange: Exchange,
  segments: readonly string[],
): void {
  if (isHealthCheck(segments)) {
    exchange.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    exchange.response.end('ok');
    return;
  }
  const { registry } = dependencies.context;
  const document =
    openApiDocument(segments, registry) ??
    discoveryDocument(segments, registry, dependencies.serverAddress());
  if (document === undefined) throw pathNotFound();
  if (!acceptsJson(exchange.request.headers.accept ?? '')) throw notAcceptable();
  exchange.sendJson(200, JSON.stringify(document));
}

function sendFault(exchange: Exchange, rule: FaultRule): void {
  const status = rule.status ?? 500;
  const generated = statusForCode(status, rule.retryAfterSeconds);
  if (rule.body === undefined) {
    exchange.sendError(generated);
    return;
  }
  const body = typeof rule.body === 'string' ? rule.body : JSON.stringify(rule.body);
  exchange.sendJson(status, body, generated.headers);
}

async function serveResource(
  dependencies: RequestHandlerDependencies,
  exchange: Exchange,
  route: ResourceRoute,
  query: Record<string, string>,
  resetMidBody: boolean,
): Promise<void> {
  const { context } = dependencies;
  const { definition, namespace, name, subresource } = route;
  if (subresource !== undefined && (subresource !== 'status' || !definition.statusSubresource)) {
    throw pathNotFound();
  }
  const accept = exchange.request.headers.accept ?? '';
  if (!acceptsJson(accept)) throw notAcceptable();
  const metadataOnly = /as=PartialObjectMetadata/.test(accept);
  const target = subresource === 'status' ? 'status' : 'main';
  const send = (code: number, json: string) => {
    if (resetMidBody) {
      exchange.writeHead(code, { 'content-type': 'application/json' });
      exchange.response.write(json.slice(0, Math.ceil(json.length / 2)));
      setImmediate(() => exchange.reset());
      return;
    }
    exchange.sendJson(code, json);
  };
  // A dry run runs the real operation against a throw-away overlay of the store.
  const write = <T>(dryRun: boolean, operation: () => T): T =>
    dryRun ? context.store.simulate(operation) : operation();
  switch (route.verb) {
    case 'watch':
      if (name !== undefined) throw methodNotAllowed();
      startWatch(exchange, context, dependencies.hub, {
        definition,
        namespace,
        query,
        metadataOnly,
        bookmarkIntervalMs: dependencies.bookmarkIntervalMs,
        watchList: dependencies.watchList,
        resetAfterStart: resetMidBody,
      });
      return;
    case 'list': {
      const page = listObjects(context, definition, namespace, query);
      if (wantsTable(accept)) sendTable(exchange, page.items, page);
      else if (resetMidBody) send(200, '{"kind":"' + definition.listKind + '","items":[');
      else sendList(exchange, definition, page, metadataOnly);
      return;
    }
    case 'get': {
      const object = getObject(context, definition, namespace, name ?? '', query);
      if (wantsTable(accept)) {
        sendTable(exchange, [object], { resourceVersion: object.resourceVersion });
      } else send(200, metadataOnly ? object.metadataJson : object.json);
      return;
    }
    case 'create': {
      if (name !== undefined) throw methodNotAllowed();
      const dryRun = isDryRun('create', query);
      const body = parseBody(exchange, await exchange.readBody());
      send(201, write(dryRun, () => createObject(context, definition, namespace, body)).json);
      return;
    }
    case 'update': {
      const dryRun = isDryRun('update', query);
      const body = parseBody(exchange, await exchange.readBody());
      const updated = write(dryRun, () =>
        updateObject(context, definition, namespace, name ?? '', body, target),
      );
      send(200, updated.json);
      return;
    }
    case 'patch': {
      const dryRun = isDryRun('patch', query);
      const request: PatchRequest = {
        namespace,
        name: name ?? '',
        contentType: exchange.request.headers['content-type'] ?? '',
        body: await exchange.readBody(),
        query,
        target,
      };
      const result = write(dryRun, () => patchObject(context, definition, request));
      send(result.created ? 201 : 200, result.object.json);
      return;
    }
    case 'delete': {
      const text = await exchange.readBody();
      const options = text.trim() === '' ? undefined : parseJson(text);
      const dryRun = isDryRun('delete', query, options);
      if (name === undefined) {
        if (!supportsDeleteCollection(definition)) throw methodNotAllowed();
        const page = listObjects(context, definition, namespace, {
          ...query,
          limit: '',
          continue: '',
        });
        write(dryRun, () => {
          for (const object of page.items) {
            deleteObject(context, definition, object.namespace, object.name, options);
          }
        });
        const items = page.items.map((o) => o.itemJson).join(',');
        send(
          200,
          `{"kind":"${definition.listKind}","apiVersion":"${apiVersionOfDefinition(definition)}","metadata":{"resourceVersion":"${context.store.currentResourceVersion}"},"items":[${items}]}`,
        );
        return;
      }
      const result = write(dryRun, () =>
        deleteObject(context, definition, namespace, name, options),
      );
      send(200, 'object' in result ? result.object.json : JSON.stringify(result.status));
      return;
    }
  }
}

// JSON and YAML bodies are understood; anything else (protobuf, CBOR) is 415: decoding them
// needs the kinds' protobuf schemas, which this server does not have.
function parseBody(exchange: Exchange, text: string): unknown {
  const [mediaType = ''] = mediaTypesOf(exchange.request.headers['content-type'] ?? '');
  if (mediaType === 'application/yaml') {
    try {
      return load(text, { schema: YAML11_SCHEMA });
    } catch (error) {
      throw badRequest(`the request body is not valid YAML: ${(error as Error).message}`);
    }
  }
  if (mediaType !== 'application/json' && mediaType !== '') throw unsupportedBodyMediaType();
  return parseJson(text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
  }
}
