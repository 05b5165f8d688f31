// The HTTP transport under Api: node:http for direct connections (nodeRequest), undici through a
// proxy. Real sockets against scripted servers.
import {
  Agent,
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
} from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { Api, ConfigMap, isHttpError, toKubeError, type KubeObject } from '@kube-rx/core';
import { Agent as HttpsAgent } from 'node:https';
import { RequestContext } from '@kubernetes/client-node';
import { applyPooledAuthentication } from '../src/client/applyPooledAuthentication.js';
import { nodeRequest } from '../src/client/nodeRequest.js';
import { sendJson, startScriptedServer, type ScriptedServer } from './scriptedServer.js';

const configMap = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'fx', resourceVersion: '1' },
});

let server: ScriptedServer;
beforeEach(async () => {
  server = await startScriptedServer();
});
afterEach(async () => {
  await server.close();
});

const request = (agent: Agent, signal: AbortSignal, idleTimeoutMs?: number) =>
  nodeRequest(`${server.url}/api/v1/namespaces/fx/configmaps`, {
    method: 'GET',
    headers: {},
    body: undefined,
    signal,
    agent,
    ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
  });

describe('applyPooledAuthentication: the transport of a request', () => {
  const authenticate = async (kubeConfig: ReturnType<ScriptedServer['kubeConfig']>) => {
    const context = new RequestContext(`${server.url}/api/v1/namespaces`, 'GET');
    const result = await applyPooledAuthentication(kubeConfig, context);
    return { ...result, dispatcher: context.getDispatcher(), headers: context.getHeaders() };
  };

  it('a direct connection gets a pooled node:http agent and no undici dispatcher', async () => {
    const kubeConfig = server.kubeConfig('a-token');
    const first = await authenticate(kubeConfig);
    const second = await authenticate(kubeConfig);
    expect(first.agent).toBeInstanceOf(Agent);
    expect(first.agent).not.toBeInstanceOf(HttpsAgent);
    expect(first.dispatcher).toBeUndefined();
    expect(first.pooled).toBe(true);
    expect(second.agent).toBe(first.agent);
    expect(second.headers.Authorization).toBe('Bearer a-token');
  });

  it('new TLS material retires the old agent for a new one', async () => {
    const kubeConfig = server.kubeConfig();
    const before = (await authenticate(kubeConfig)).agent!;
    const user = kubeConfig.getCurrentUser() as { certData?: string; keyData?: string };
    user.certData = Buffer.from('certificate-1').toString('base64');
    user.keyData = Buffer.from('key-1').toString('base64');
    const after = (await authenticate(kubeConfig)).agent!;
    expect(after).toBeInstanceOf(Agent);
    expect(after).not.toBe(before);
    // Retired: sockets it frees from now on are closed instead of kept.
    expect((before as Agent & { keepAlive: boolean }).keepAlive).toBe(false);
    expect((after as Agent & { keepAlive: boolean }).keepAlive).toBe(true);
  });

  it("an https server gets an https agent; a proxy gets client-node's undici dispatcher", async () => {
    const secure = server.kubeConfig();
    (secure.getCurrentCluster() as { server: string }).server = 'https://127.0.0.1:1';
    expect((await authenticate(secure)).agent).toBeInstanceOf(HttpsAgent);

    const proxied = server.kubeConfig();
    (proxied.getCurrentCluster() as { proxyUrl?: string }).proxyUrl = 'http://127.0.0.1:1';
    const viaProxy = await authenticate(proxied);
    expect(viaProxy.agent).toBeUndefined();
    expect(viaProxy.dispatcher).toBeDefined();
    expect(viaProxy.pooled).toBe(true);
  });
});

describe('nodeRequest', () => {
  it('dropping a watch whose response has fully arrived keeps its connection for the next call', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    const ports: number[] = [];
    server.handle((request, response) => {
      ports.push(response.socket?.remotePort ?? -1);
      if (request.query.get('watch') === 'true') {
        // One event, then the end of the body in the same write: the client may have the whole
        // response before it handles the event.
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ type: 'ADDED', object: configMap('a') }) + '\n');
      } else {
        sendJson(response, 200, configMap('app'));
      }
    });
    try {
      const api = Api.namespaced(server.kubeConfig(), ConfigMap, 'fx');
      // firstValueFrom unsubscribes inside the first event.
      expect((await firstValueFrom(api.watch())).type).toBe('ADDED');
      // An error from the dropped body would surface within a turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      await firstValueFrom(api.get('app'));
      expect(uncaught).toEqual([]);
      expect(ports).toHaveLength(2);
      expect(ports[1]).toBe(ports[0]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('aborting before the headers rejects with an AbortError that maps to ABORT_ERR', async () => {
    server.handle(() => undefined);
    const agent = new Agent({ keepAlive: true });
    const controller = new AbortController();
    const pending = request(agent, controller.signal);
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const error = await pending.catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('AbortError');
    const mapped = toKubeError(error);
    expect(isHttpError(mapped) && mapped.code).toBe('ABORT_ERR');
    await server.requests[0]?.closed;
    agent.destroy();
  });

  it('aborting while the body is read fails the body and closes that connection', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"type":"ADDED"');
    });
    const agent = new Agent({ keepAlive: true });
    const controller = new AbortController();
    const response = await request(agent, controller.signal);
    const failed = new Promise<Error>((resolve) => response.body.on('error', resolve));
    controller.abort();
    expect((await failed).name).toBe('AbortError');
    await server.requests[0]?.closed;
    agent.destroy();
  });

  it('fails with ETIMEDOUT when the server stays silent, before the headers or in the body', async () => {
    const agent = new Agent({ keepAlive: true });
    server.handle(() => undefined);
    const beforeHeaders = await request(agent, new AbortController().signal, 50).catch(
      (caught: unknown) => caught,
    );
    expect((beforeHeaders as { code?: string }).code).toBe('ETIMEDOUT');
    const mapped = toKubeError(beforeHeaders);
    expect(isHttpError(mapped) && mapped.timedOut).toBe(true);

    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{');
    });
    const response = await request(agent, new AbortController().signal, 50);
    const inBody = await new Promise<Error>((resolve) => response.body.on('error', resolve));
    expect((inBody as { code?: string }).code).toBe('ETIMEDOUT');
    agent.destroy();
  });
});

describe('Api through an HTTP proxy (proxy-url)', () => {
  it("sends every call through the proxy (undici, client-node's dispatcher)", async () => {
    const seen: string[] = [];
    const sockets = new Set<Socket>();
    // A forward proxy: absolute-form requests are relayed, CONNECT is tunnelled.
    const proxy = createHttpServer((incoming, outgoing) => {
      seen.push(`${incoming.method} ${incoming.url}`);
      const relay = httpRequest(
        incoming.url ?? '',
        { method: incoming.method, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      relay.on('error', () => outgoing.destroy());
      incoming.pipe(relay);
    });
    proxy.on('connection', (socket: Socket) => sockets.add(socket));
    proxy.on('connect', (incoming: IncomingMessage, client: Socket) => {
      seen.push(`CONNECT ${incoming.url}`);
      const [host, port] = (incoming.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    server.handle((_request, response) => sendJson(response, 200, configMap('app')));
    try {
      const kubeConfig = server.kubeConfig();
      const cluster = kubeConfig.getCurrentCluster() as { proxyUrl?: string };
      cluster.proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const api = Api.namespaced(kubeConfig, ConfigMap, 'fx');
      expect((await firstValueFrom(api.get('app'))).metadata?.name).toBe('app');
      expect((await firstValueFrom(api.get('app'))).metadata?.name).toBe('app');
      expect(server.requests).toHaveLength(2);
      const target = new URL(server.url).host;
      const path = '/api/v1/namespaces/fx/configmaps/app';
      // Relayed (absolute-form) or tunnelled, every exchange went through the proxy.
      expect(seen.length).toBeGreaterThanOrEqual(1);
      for (const line of seen) {
        expect([`GET http://${target}${path}`, `CONNECT ${target}`]).toContain(line);
      }
      if (seen.every((line) => line.startsWith('GET'))) expect(seen).toHaveLength(2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
