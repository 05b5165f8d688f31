import { gzipSync } from 'node:zlib';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { firstValueFrom, lastValueFrom, toArray, type Observable } from 'rxjs';
import {
  Api,
  ConfigMap,
  Patch,
  classify,
  createLogger,
  isApiError,
  isHttpError,
  isSerdeError,
  type ApiError,
  type HttpError,
  type KubeObject,
} from '@kube-rx/core';
import {
  TEST_TOKEN,
  kubeConfigFor,
  sendJson,
  startScriptedServer,
  type ScriptedServer,
} from './scriptedServer.js';

interface ConfigMapObject extends KubeObject {
  data?: Record<string, string>;
}

const configMap = (name: string, resourceVersion = '1', data = {}): ConfigMapObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'fx', resourceVersion },
  data,
});

// The 404 body a v1.20 apiserver sends (fixtures/kube-apiserver-v1.20/04-get-missing.json).
const notFound = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'configmaps "missing" not found',
  reason: 'NotFound',
  details: { name: 'missing', kind: 'configmaps' },
  code: 404,
};

async function failure(source: Observable<unknown>): Promise<unknown> {
  try {
    await lastValueFrom(source);
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

const silentLogger = () => createLogger({ silent: true });

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let server: ScriptedServer;
let api: Api<ConfigMapObject>;

beforeEach(async () => {
  server = await startScriptedServer();
  api = Api.namespaced<ConfigMapObject>(server.kubeConfig(), ConfigMap, 'fx');
});

afterEach(async () => {
  await server.close();
});

describe('Api verbs over HTTP', () => {
  it('get reads one object with the kubeconfig bearer token', async () => {
    server.handle((_request, response) => sendJson(response, 200, configMap('app')));
    const object = await firstValueFrom(api.get('app'));
    expect(object.metadata?.name).toBe('app');
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'GET', path: '/api/v1/namespaces/fx/configmaps/app' });
    expect(request?.headers.authorization).toBe(`Bearer ${TEST_TOKEN}`);
    expect(request?.headers.accept).toBe('application/json');
  });

  it('is cold: nothing is sent before subscribing, one request per subscription', async () => {
    server.handle((_request, response) => sendJson(response, 200, configMap('app')));
    const get$ = api.get('app');
    await tick();
    expect(server.requests).toHaveLength(0);
    await firstValueFrom(get$);
    await firstValueFrom(get$);
    expect(server.requests).toHaveLength(2);
  });

  it('list sends its parameters and returns items and list metadata', async () => {
    server.handle((_request, response) =>
      sendJson(response, 200, {
        kind: 'ConfigMapList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '42', continue: 'next-page' },
        items: [configMap('a'), configMap('b')],
      }),
    );
    const list = await firstValueFrom(
      api.list({
        labelSelector: 'app=web',
        fieldSelector: 'metadata.name!=x',
        limit: 2,
        continue: 'token',
        resourceVersion: '0',
        resourceVersionMatch: 'NotOlderThan',
        timeoutSeconds: 30,
      }),
    );
    expect(list.items.map((item) => item.metadata?.name)).toEqual(['a', 'b']);
    expect(list.metadata.continue).toBe('next-page');
    expect(Object.fromEntries(server.requests[0]?.query ?? [])).toEqual({
      labelSelector: 'app=web',
      fieldSelector: 'metadata.name!=x',
      limit: '2',
      continue: 'token',
      resourceVersion: '0',
      resourceVersionMatch: 'NotOlderThan',
      timeoutSeconds: '30',
    });
  });

  it('list decodes a gzipped body, as the apiserver sends large lists', async () => {
    const items = Array.from({ length: 300 }, (_, i) => configMap(`cm-${i}`, String(i + 1)));
    const body = {
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '301' },
      items,
    };
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(JSON.stringify(body)));
    });
    const list = await firstValueFrom(api.list());
    expect(list.items).toEqual(items);
    expect(list.metadata.resourceVersion).toBe('301');
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip');
  });

  it('a corrupt gzipped body fails with an HttpError at stage body', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(Buffer.from('certainly not gzip'));
    });
    const error = await failure(api.list());
    expect(error).toMatchObject({ kind: 'Http', stage: 'body' });
  });

  it('list of all namespaces and of a cluster-scoped kind use collection paths', async () => {
    server.handle((_request, response) => sendJson(response, 200, { metadata: {}, items: null }));
    const everywhere = Api.all<ConfigMapObject>(server.kubeConfig(), ConfigMap);
    expect((await firstValueFrom(everywhere.list())).items).toEqual([]);
    expect(server.requests[0]?.path).toBe('/api/v1/configmaps');
  });

  it('create posts the object (filling apiVersion/kind) with dryRun and fieldManager', async () => {
    server.handle((request, response) =>
      sendJson(response, 201, {
        ...JSON.parse(request.body),
        metadata: { name: 'new', uid: 'u1' },
      }),
    );
    const created = await firstValueFrom(
      api.create({ metadata: { name: 'new' }, data: { k: 'v' } } as ConfigMapObject, {
        dryRun: true,
        fieldManager: 'tests',
      }),
    );
    expect(created.metadata?.uid).toBe('u1');
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/fx/configmaps' });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'new' },
      data: { k: 'v' },
    });
    expect(request?.query.get('dryRun')).toBe('All');
    expect(request?.query.get('fieldManager')).toBe('tests');
  });

  it('create in an all-namespaces Api goes to the object namespace', async () => {
    server.handle((request, response) => sendJson(response, 201, JSON.parse(request.body)));
    const everywhere = Api.all<ConfigMapObject>(server.kubeConfig(), ConfigMap);
    await firstValueFrom(everywhere.create(configMap('x')));
    expect(server.requests[0]?.path).toBe('/api/v1/namespaces/fx/configmaps');
  });

  it('replace and replaceStatus PUT the object and its status subresource', async () => {
    server.handle((request, response) => sendJson(response, 200, JSON.parse(request.body)));
    await firstValueFrom(api.replace('app', configMap('app', '7')));
    await firstValueFrom(api.replaceStatus('app', configMap('app', '8')));
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'PUT /api/v1/namespaces/fx/configmaps/app',
      'PUT /api/v1/namespaces/fx/configmaps/app/status',
    ]);
    expect(JSON.parse(server.requests[0]?.body ?? '').metadata.resourceVersion).toBe('7');
  });

  it.each([
    ['merge', Patch.merge({ data: { a: '1' } }), 'application/merge-patch+json'],
    [
      'json',
      Patch.json([{ op: 'test', path: '/metadata/resourceVersion', value: '1' }]),
      'application/json-patch+json',
    ],
    ['strategic', Patch.strategic({ data: { a: '1' } }), 'application/strategic-merge-patch+json'],
  ])('patch %s sends its content type and body', async (_type, patch, contentType) => {
    server.handle((_request, response) => sendJson(response, 200, configMap('app', '2')));
    await firstValueFrom(api.patch('app', patch));
    const [request] = server.requests;
    expect(request?.method).toBe('PATCH');
    expect(request?.headers['content-type']).toBe(contentType);
    expect(JSON.parse(request?.body ?? '')).toEqual(patch.body);
  });

  it('apply patch sends apply-patch+yaml (JSON body), fieldManager and force', async () => {
    server.handle((_request, response) => sendJson(response, 200, configMap('app', '3')));
    const desired = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app' },
      data: { a: '1' },
    };
    await firstValueFrom(
      api.patchStatus('app', Patch.apply(desired), { fieldManager: 'kube-rx-tests', force: true }),
    );
    const [request] = server.requests;
    expect(request?.path).toBe('/api/v1/namespaces/fx/configmaps/app/status');
    expect(request?.headers['content-type']).toBe('application/apply-patch+yaml');
    expect(JSON.parse(request?.body ?? '')).toEqual(desired);
    expect(request?.query.get('fieldManager')).toBe('kube-rx-tests');
    expect(request?.query.get('force')).toBe('true');
  });

  it('an apply patch without fieldManager throws a TypeError before any request', () => {
    expect(() => api.patch('app', Patch.apply({}))).toThrow(TypeError);
    expect(() => api.patch('app', Patch.merge({}), { force: true })).toThrow(TypeError);
    expect(server.requests).toHaveLength(0);
  });

  it('delete sends DeleteOptions and returns the object or a Status', async () => {
    server.handle((_request, response) => sendJson(response, 200, configMap('app')));
    const pending = await firstValueFrom(
      api.delete('app', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, dryRun: true }),
    );
    expect(pending).toMatchObject({ kind: 'ConfigMap' });
    expect(server.requests[0]?.method).toBe('DELETE');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Foreground',
      gracePeriodSeconds: 0,
      dryRun: ['All'],
    });

    server.handle((_request, response) =>
      sendJson(response, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', details: {} }),
    );
    expect(await firstValueFrom(api.delete('app'))).toMatchObject({
      kind: 'Status',
      status: 'Success',
      code: 200,
    });
  });

  it('listMetadata and watchMetadata ask for PartialObjectMetadata', async () => {
    server.handle((request, response) => {
      if (request.query.get('watch') === 'true') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } }) + '\n');
      } else {
        sendJson(response, 200, { kind: 'PartialObjectMetadataList', metadata: {}, items: [] });
      }
    });
    await firstValueFrom(api.listMetadata());
    await lastValueFrom(api.watchMetadata().pipe(toArray()));
    expect(server.requests[0]?.headers.accept).toBe(
      'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
    );
    expect(server.requests[1]?.headers.accept).toBe(
      'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json',
    );
  });
});

describe('Api errors over HTTP', () => {
  it('404 → permanent ApiError with the server Status; getOpt → undefined', async () => {
    server.handle((_request, response) => sendJson(response, 404, notFound));
    const error = (await failure(api.get('missing'))) as ApiError;
    expect(isApiError(error, 404)).toBe(true);
    expect(error.status).toEqual(notFound);
    expect(error.method).toBe('GET');
    expect(classify(error)).toBe('permanent');
    expect(await firstValueFrom(api.getOpt('missing'))).toBeUndefined();
  });

  it('a non-Status error body gets a Status synthesised from the status line', async () => {
    server.handle((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>bad gateway</html>');
    });
    const error = (await failure(api.get('app'))) as ApiError;
    expect(error.status).toMatchObject({
      kind: 'Status',
      code: 502,
      message: '<html>bad gateway</html>',
    });
  });

  it('429 with Retry-After → retryAfterSeconds, not retried by default', async () => {
    server.handle((_request, response) =>
      sendJson(
        response,
        429,
        { kind: 'Status', code: 429, reason: 'TooManyRequests', message: 'slow down' },
        { 'retry-after': '2' },
      ),
    );
    const error = (await failure(api.get('app'))) as ApiError;
    expect(isApiError(error, 429)).toBe(true);
    expect(error.retryAfterSeconds).toBe(2);
    expect(classify(error)).toBe('transient');
    expect(server.requests).toHaveLength(1);
  });

  it('with retry enabled a 429 is retried and the call succeeds', async () => {
    let calls = 0;
    server.handle((_request, response) => {
      calls += 1;
      if (calls === 1) {
        sendJson(response, 429, { kind: 'Status', code: 429 }, { 'retry-after': '0' });
      } else {
        sendJson(response, 200, configMap('app'));
      }
    });
    const retries: number[] = [];
    const retrying = Api.namespaced<ConfigMapObject>(server.kubeConfig(), ConfigMap, 'fx', {
      retry: {
        strategy: () => ({ next: () => 20, reset: () => undefined }),
        onRetry: (_error, attempt) => retries.push(attempt),
      },
      logger: silentLogger(),
    });
    expect((await firstValueFrom(retrying.get('app'))).metadata?.name).toBe('app');
    expect(server.requests).toHaveLength(2);
    expect(retries).toEqual([1]);
  });

  it('retry is not applied to watch', async () => {
    server.handle((_request, response) => sendJson(response, 503, { kind: 'Status', code: 503 }));
    const retrying = Api.namespaced<ConfigMapObject>(server.kubeConfig(), ConfigMap, 'fx', {
      retry: { strategy: () => ({ next: () => 1, reset: () => undefined }) },
      logger: silentLogger(),
    });
    expect(isApiError(await failure(retrying.watch()), 503)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('connection refused → transient HttpError ECONNREFUSED at stage request', async () => {
    const port = await freePort();
    const refused = Api.namespaced<ConfigMapObject>(
      kubeConfigFor(`http://127.0.0.1:${port}`),
      ConfigMap,
      'fx',
    );
    const error = (await failure(refused.get('app'))) as HttpError;
    expect(isHttpError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', stage: 'request', method: 'GET' });
    expect(classify(error)).toBe('transient');
    expect(isHttpError(await failure(refused.watch()))).toBe(true);
  });

  it('malformed JSON in a 2xx body → SerdeError', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"kind":"ConfigMap",');
    });
    const error = await failure(api.get('app'));
    expect(isSerdeError(error)).toBe(true);
    expect(classify(error)).toBe('permanent');
  });

  it('the bearer token is sent but never appears in errors', async () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJrdWJlLXJ4In0.c2lnbmF0dXJl';
    const withToken = Api.namespaced<ConfigMapObject>(server.kubeConfig(token), ConfigMap, 'fx');
    server.handle((request, response) =>
      sendJson(response, 401, {
        kind: 'Status',
        code: 401,
        reason: 'Unauthorized',
        message: `rejected Authorization: ${String(request.headers.authorization)}`,
      }),
    );
    const unauthorized = await failure(withToken.get('app'));
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
    server.handle((_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`token=${token}`);
    });
    const echoed = await failure(withToken.list());
    for (const error of [unauthorized, echoed]) {
      expect(isApiError(error)).toBe(true);
      for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10 })]) {
        expect(text).not.toContain(token);
      }
    }
  });
});

describe('Api.watch over HTTP', () => {
  const lines = [
    { type: 'ADDED', object: configMap('a', '10', { text: 'plain' }) },
    { type: 'MODIFIED', object: configMap('a', '11', { text: 'grüße → 世界 😀' }) },
    { type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '12' } } },
    { type: 'DELETED', object: configMap('a', '13') },
    { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' } },
  ];
  const payload = Buffer.from(lines.map((line) => JSON.stringify(line) + '\n').join(''), 'utf8');

  it('streams events split across chunks at odd byte boundaries (inside UTF-8 characters)', async () => {
    const emoji = payload.indexOf(Buffer.from('😀'));
    const cuts = [1, 7, 13, 61, emoji + 1, emoji + 3, payload.indexOf(Buffer.from('世')) + 2];
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      let start = 0;
      for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
        response.write(payload.subarray(start, cut));
        start = cut;
        await tick(3);
      }
      response.end(payload.subarray(start));
    });
    const events = await lastValueFrom(
      api
        .watch({ resourceVersion: '9', allowWatchBookmarks: true, timeoutSeconds: 5 })
        .pipe(toArray()),
    );
    expect(events).toEqual(lines);
    expect(Object.fromEntries(server.requests[0]?.query ?? [])).toEqual({
      watch: 'true',
      resourceVersion: '9',
      allowWatchBookmarks: 'true',
      timeoutSeconds: '5',
    });
  });

  it('asks for gzip and decodes a gzipped watch stream split anywhere', async () => {
    const zipped = gzipSync(payload);
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      for (let start = 0; start < zipped.length; start += 17) {
        response.write(zipped.subarray(start, start + 17));
        if (start % 85 === 0) await tick(1);
      }
      response.end();
    });
    const events = await lastValueFrom(api.watch({ resourceVersion: '9' }).pipe(toArray()));
    expect(events).toEqual(lines);
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip');
  });

  it('emits each event as soon as its line arrives (not buffered to the end)', async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(JSON.stringify(lines[0]) + '\n');
      await finished;
      response.end();
    });
    const first = await firstValueFrom(api.watch());
    expect(first).toEqual(lines[0]);
    finish();
  });

  it('a malformed line is reported to onInvalidItem and skipped; the lines after it are kept', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(payload.subarray(0, payload.indexOf('\n') + 1));
      response.end(
        '{"type":"MODIFIED","object":{"kind":"ConfigMap"}}\n' + JSON.stringify(lines[3]) + '\n',
      );
    });
    const reported: unknown[] = [];
    const reporting = Api.namespaced<ConfigMapObject>(server.kubeConfig(), ConfigMap, 'fx', {
      onInvalidItem: (error) => reported.push(error),
    });
    const received = await lastValueFrom(reporting.watch().pipe(toArray()));
    expect(received).toEqual([lines[0], lines[3]]);
    expect(reported).toHaveLength(1);
    expect(isSerdeError(reported[0])).toBe(true);
  });

  it('a non-2xx watch answer → ApiError', async () => {
    server.handle((_request, response) =>
      sendJson(response, 403, { kind: 'Status', code: 403, reason: 'Forbidden' }),
    );
    expect(isApiError(await failure(api.watch()), 403)).toBe(true);
  });

  it('a stream that breaks mid-way → HttpError at stage body', async () => {
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(JSON.stringify(lines[0]) + '\n');
      await tick(10);
      response.socket?.destroy();
    });
    const received: unknown[] = [];
    const error = await new Promise<unknown>((resolve) => {
      api.watch().subscribe({ next: (event) => received.push(event), error: resolve });
    });
    expect(received).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'Http', stage: 'body' });
  });

  it('unsubscribing aborts the request: the server sees the connection close', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(JSON.stringify(lines[0]) + '\n');
    });
    const first = await firstValueFrom(api.watch());
    expect(first.type).toBe('ADDED');
    await server.requests[0]?.closed;
  });

  it('unsubscribing before the response arrives aborts the request too', async () => {
    let answered = false;
    server.handle(async (_request, response) => {
      await tick(200);
      answered = true;
      sendJson(response, 200, configMap('late'));
    });
    const subscription = api.get('late').subscribe();
    while (server.requests.length === 0) await tick();
    subscription.unsubscribe();
    await server.requests[0]?.closed;
    expect(answered).toBe(false);
  });
});

describe('Api connections', () => {
  // The client port of each request's connection, in order.
  const recordPorts = (): number[] => {
    const ports: number[] = [];
    server.handle((_request, response) => {
      ports.push(response.socket?.remotePort ?? -1);
      sendJson(response, 200, configMap('app'));
    });
    return ports;
  };

  // One turn of the event loop for a finished response's connection to be back in its pool.
  const idle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it('back-to-back calls share at most two connections', async () => {
    const ports = recordPorts();
    for (let i = 0; i < 10; i++) await firstValueFrom(api.get('app'));
    expect(ports).toHaveLength(10);
    expect(new Set(ports).size).toBeLessThanOrEqual(2);
  });

  it('calls reuse one keep-alive connection, with headers computed per request', async () => {
    const ports = recordPorts();
    const kubeConfig = server.kubeConfig('first-token');
    const first = Api.namespaced<ConfigMapObject>(kubeConfig, ConfigMap, 'fx');
    const other = Api.namespaced<ConfigMapObject>(kubeConfig, ConfigMap, 'other');
    await firstValueFrom(first.get('app'));
    // A refreshed credential (as exec and OIDC authenticators produce) is sent on the same connection.
    (kubeConfig.getCurrentUser() as { token?: string }).token = 'refreshed-token';
    await idle();
    await firstValueFrom(first.get('app'));
    await idle();
    await firstValueFrom(other.list());
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(1);
    expect(server.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer first-token',
      'Bearer refreshed-token',
      'Bearer refreshed-token',
    ]);
  });

  it('an aborted watch closes only its own connection; later calls still work', async () => {
    const ports: number[] = [];
    server.handle((request, response) => {
      ports.push(response.socket?.remotePort ?? -1);
      if (request.query.get('watch') === 'true') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write(JSON.stringify({ type: 'ADDED', object: configMap('a') }) + '\n');
      } else {
        sendJson(response, 200, configMap('app'));
      }
    });
    await firstValueFrom(api.get('app'));
    await idle();
    await firstValueFrom(api.watch());
    await server.requests[1]?.closed;
    await firstValueFrom(api.get('app'));
    await idle();
    await firstValueFrom(api.get('app'));
    expect(ports).toHaveLength(4);
    // The watch reused the idle connection of the first get; aborting it closed that one.
    expect(ports[1]).toBe(ports[0]);
    expect(ports[2]).not.toBe(ports[1]);
    expect(ports[3]).toBe(ports[2]);
  });

  it('other TLS material or another user gets its own connections', async () => {
    const ports = recordPorts();
    const kubeConfig = server.kubeConfig();
    const user = kubeConfig.getCurrentUser() as { certData?: string; keyData?: string };
    const cms = Api.namespaced<ConfigMapObject>(kubeConfig, ConfigMap, 'fx');
    await firstValueFrom(cms.get('app'));
    // A rotated client certificate (inline here; files are re-read per request too).
    user.certData = Buffer.from('certificate-1').toString('base64');
    user.keyData = Buffer.from('key-1').toString('base64');
    await firstValueFrom(cms.get('app'));
    await idle();
    await firstValueFrom(cms.get('app'));
    user.certData = Buffer.from('certificate-2').toString('base64');
    await firstValueFrom(cms.get('app'));
    const otherUser = Api.namespaced<ConfigMapObject>(server.kubeConfig(), ConfigMap, 'fx');
    await firstValueFrom(otherUser.get('app'));
    expect(ports).toHaveLength(5);
    expect(ports[2]).toBe(ports[1]);
    expect(new Set([ports[0], ports[1], ports[3], ports[4]]).size).toBe(4);
  });
});

describe('Api scope', () => {
  it('rejects a scope that does not fit the resource', () => {
    const kubeConfig = kubeConfigFor('http://127.0.0.1:1');
    const Namespace = {
      group: '',
      version: 'v1',
      kind: 'Namespace',
      plural: 'namespaces',
      namespaced: false,
    };
    expect(() => Api.namespaced(kubeConfig, Namespace, 'fx')).toThrow(TypeError);
    expect(() => Api.cluster(kubeConfig, ConfigMap)).toThrow(TypeError);
    expect(() => Api.all(kubeConfig, Namespace).inNamespace('fx')).toThrow(TypeError);
    expect(() => Api.namespaced(kubeConfig, ConfigMap, '')).toThrow(TypeError);
    expect(() => Api.all(kubeConfig, ConfigMap).get('x')).toThrow(TypeError);
    expect(() => Api.namespaced(kubeConfig, ConfigMap, 'fx').get('..')).toThrow(TypeError);
    expect(() => Api.namespaced(kubeConfig, ConfigMap, '..')).toThrow(TypeError);
    expect(() => Api.all(kubeConfig, ConfigMap, { retry: { maxRetries: -1 } })).toThrow(TypeError);
    const inFx = Api.all<ConfigMapObject>(kubeConfig, ConfigMap).inNamespace('fx');
    expect(inFx.namespace).toBe('fx');
    expect(Api.cluster(kubeConfig, Namespace).namespace).toBeUndefined();
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
