import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/** One request as the scripted server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** Resolves when the request's connection closes (client abort or normal end). */
  closed: Promise<void>;
}

export type ScriptedHandler = (
  request: RecordedRequest,
  response: ServerResponse,
) => void | Promise<void>;

/** A node:http server whose answers each test scripts, recording every request. */
export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  /** Answers the next requests with `handler` (replaces the previous one). */
  handle(handler: ScriptedHandler): void;
  /** A KubeConfig pointing at the server with a bearer token. */
  kubeConfig(token?: string): KubeConfig;
  close(): Promise<void>;
}

export const TEST_TOKEN = 'kube-rx-test-token.5f0c1d2e3a4b';

/** Starts a local HTTP server on 127.0.0.1 for client integration tests. */
export async function startScriptedServer(): Promise<ScriptedServer> {
  let handler: ScriptedHandler = (_request, response) => {
    response.writeHead(500).end('no handler');
  };
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    const closed = new Promise<void>((resolve) => response.on('close', resolve));
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://localhost');
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        closed,
      };
      requests.push(request);
      Promise.resolve(handler(request, response)).catch((error: unknown) => {
        response.destroy(error as Error);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    handle: (next) => {
      handler = next;
    },
    kubeConfig: (token = TEST_TOKEN) => kubeConfigFor(url, token),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A KubeConfig for a plain-HTTP test server (client-node requires skipTLSVerify for http:). */
export function kubeConfigFor(url: string, token = TEST_TOKEN): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'test', server: url, skipTLSVerify: true }],
    users: [{ name: 'test', token }],
    contexts: [{ name: 'test', cluster: 'test', user: 'test' }],
    currentContext: 'test',
  });
  return kubeConfig;
}

/** Sends `body` as JSON with `status`. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
