import { CoreV1Api } from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { call, collectWatch, type Json } from './support.js';

const PATH = '/api/v1/namespaces/default/configmaps';

async function failure(promise: Promise<unknown>): Promise<Json> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

/** Reads a watch response line by line until `count` lines arrived (or the stream ends). */
async function readLines(response: Response, count: number): Promise<string[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const lines: string[] = [];
  while (lines.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) !== -1) {
      lines.push(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
  }
  await reader.cancel();
  return lines;
}

describe('faults', () => {
  let server: TestApiServer;
  let core: CoreV1Api;
  beforeEach(async () => {
    server = await startTestApiServer();
    core = server.kubeConfig().makeApiClient(CoreV1Api);
    server.seed({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'default' },
    });
  });
  afterEach(() => server.close());

  it('inject: a status with Retry-After, `times` times, for matching requests only', async () => {
    const fault = server.faults.inject({
      verb: 'list',
      resource: 'configmaps',
      status: 503,
      retryAfterSeconds: 2,
      times: 2,
    });
    const first = await call(server.url, 'GET', PATH);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(first.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server is currently unable to handle the request',
      reason: 'ServiceUnavailable',
      details: { retryAfterSeconds: 2 },
      code: 503,
    });
    expect((await call(server.url, 'GET', `${PATH}/a`)).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/namespaces/default/secrets')).status).toBe(200);
    const error = await failure(core.listNamespacedConfigMap({ namespace: 'default' }));
    expect(error.code).toBe(503);
    expect(fault.hits).toBe(2);
    expect((await call(server.url, 'GET', PATH)).status).toBe(200);
  });

  it('inject: 429 and 500 bodies, a custom body, namespace/name matching, remove()', async () => {
    server.faults.inject({ verb: 'get', name: 'a', status: 429 });
    const custom = server.faults.inject({
      namespace: 'other',
      status: 500,
      body: { hello: 'world' },
    });
    expect((await call(server.url, 'GET', `${PATH}/a`)).body.reason).toBe('TooManyRequests');
    expect((await call(server.url, 'GET', '/api/v1/namespaces/other/configmaps')).body).toEqual({
      hello: 'world',
    });
    custom.remove();
    expect((await call(server.url, 'GET', '/api/v1/namespaces/other/configmaps')).status).toBe(200);
    server.faults.clear();
    expect((await call(server.url, 'GET', `${PATH}/a`)).status).toBe(200);
  });

  it('inject: delayMs alone delays, then serves normally', async () => {
    server.faults.inject({ verb: 'get', delayMs: 150, times: 1 });
    const response = await call(server.url, 'GET', `${PATH}/a`);
    expect(response.status).toBe(200);
    expect(server.requests.at(-1)!.durationMs).toBeGreaterThanOrEqual(140);
  });

  it('inject rejects invalid rules with TypeError', () => {
    expect(() => server.faults.inject({ verb: 'get' })).toThrow(TypeError);
    expect(() => server.faults.inject({ status: 42 })).toThrow(TypeError);
    expect(() => server.faults.inject({ status: 500, times: 0 })).toThrow(TypeError);
  });

  it('resetConnections(rule): the socket is destroyed before the response', async () => {
    server.faults.resetConnections({ verb: 'list', times: 1 });
    const error = await failure(core.listNamespacedConfigMap({ namespace: 'default' }));
    expect(String(error.cause?.code ?? error.code ?? error.message)).toMatch(
      /ECONNRESET|UND_ERR_SOCKET|socket|terminated/i,
    );
    expect(server.requests.at(-1)).toMatchObject({ verb: 'list', status: 0 });
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(list.items).toHaveLength(1);
  });

  it("resetConnections({ stage: 'body' }): a LIST breaks mid-body, a WATCH after its initial events", async () => {
    server.faults.resetConnections({ verb: 'list', stage: 'body', times: 1 });
    await expect(fetch(server.url + PATH).then((r) => r.text())).rejects.toThrow();
    server.faults.resetConnections({ verb: 'watch', stage: 'body', times: 1 });
    const watch = await collectWatch(server.kubeConfig(), PATH);
    const ended = await watch.done;
    expect(watch.events.map((e) => e.type)).toEqual(['ADDED']);
    expect(ended).not.toBeNull();
  });

  it('resetConnections(): destroys the open connections once', async () => {
    const watch = await collectWatch(server.kubeConfig(), PATH, {
      resourceVersion: server.resourceVersion,
    });
    await server.waitForWatches(1);
    server.faults.resetConnections();
    expect(await watch.done).not.toBeNull();
    expect(server.openWatches()).toBe(0);
    expect((await call(server.url, 'GET', PATH)).status).toBe(200);
  });

  it('dropWatches(): open watches end abruptly (no terminating chunk); a new watch works', async () => {
    const watches = await Promise.all(
      [1, 2].map(() =>
        collectWatch(server.kubeConfig(), PATH, { resourceVersion: server.resourceVersion }),
      ),
    );
    await server.waitForWatches(2, 'configmaps');
    server.faults.dropWatches();
    for (const watch of watches) expect(await watch.done).not.toBeNull();
    const again = await collectWatch(server.kubeConfig(), PATH, {
      resourceVersion: server.resourceVersion,
    });
    await server.waitForWatches(1);
    server.seed({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b', namespace: 'default' },
    });
    await again.waitFor(1);
    again.abort();
    expect(server.requests.filter((r) => r.verb === 'watch')).toHaveLength(3);
    expect(server.requests.filter((r) => r.verb === 'list')).toHaveLength(0);
  });

  it('malformedWatchLine(): the next line of each open watch is garbage, followed by the real event', async () => {
    const response = await fetch(
      `${server.url}${PATH}?watch=1&resourceVersion=${server.resourceVersion}`,
    );
    await server.waitForWatches(1);
    server.faults.malformedWatchLine();
    server.seed({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b', namespace: 'default' },
    });
    const [garbage, event] = await readLines(response, 2);
    expect(() => JSON.parse(garbage!)).toThrow(SyntaxError);
    expect(JSON.parse(event!)).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'b' } },
    });
  });

  it('refuseConnections(true) gives ECONNREFUSED until refuseConnections(false) re-listens on the same port', async () => {
    await server.faults.refuseConnections(true);
    const error = await failure(fetch(server.url + PATH));
    expect(error.cause.code).toBe('ECONNREFUSED');
    await server.faults.refuseConnections(false);
    expect((await call(server.url, 'GET', PATH)).status).toBe(200);
  });

  it('records every request: verb, resource, namespace, name, subresource, path, query, status, timing', async () => {
    await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'x=y', limit: 5 });
    await failure(core.readNamespacedPodStatus({ namespace: 'default', name: 'nope' }));
    const [list, status] = server.requests;
    expect(list).toMatchObject({
      verb: 'list',
      resource: 'configmaps',
      namespace: 'default',
      path: PATH,
      query: { labelSelector: 'x=y', limit: '5' },
      status: 200,
    });
    expect(status).toMatchObject({
      verb: 'get',
      resource: 'pods',
      name: 'nope',
      subresource: 'status',
      status: 404,
    });
    expect(list!.startedAt).toBeLessThanOrEqual(Date.now());
    expect(list!.durationMs).toBeGreaterThanOrEqual(0);
    server.clearRequests();
    expect(server.requests).toHaveLength(0);
  });

  it('restart(): connections close, the port and the store survive; dropHistory makes old resourceVersions 410', async () => {
    const before = server.resourceVersion;
    const watch = await collectWatch(server.kubeConfig(), PATH, { resourceVersion: before });
    await server.waitForWatches(1);
    await server.restart();
    expect(await watch.done).not.toBeNull();
    expect(
      (await core.readNamespacedConfigMap({ namespace: 'default', name: 'a' })).metadata
        ?.resourceVersion,
    ).toBe(before);
    const resumed = await collectWatch(server.kubeConfig(), PATH, { resourceVersion: '1' });
    await resumed.waitFor(1);
    expect(resumed.events[0]!.type).toBe('ADDED');
    resumed.abort();
    await server.restart({ dropHistory: true });
    const expired = await collectWatch(server.kubeConfig(), PATH, { resourceVersion: '1' });
    await expired.done;
    expect(expired.events[0]!.object.code).toBe(410);
  });

  it('close() rejects pending waitForWatches and is idempotent', async () => {
    const waiting = server.waitForWatches(5);
    await server.close();
    await expect(waiting).rejects.toThrow('closed');
    await server.close();
  });
});
