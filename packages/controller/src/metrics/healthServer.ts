import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { ControllerMetrics } from './controllerMetrics.js';

/** Options of {@link startHealthServer}. */
export interface HealthServerConfig {
  /** TCP port; `0` picks a free one (see `HealthServer.port`). Default `8080`. */
  port?: number;
  /**
   * Address to listen on. Default `'0.0.0.0'`: the kubelet probes the pod IP, so a probe server
   * must listen there. Pass `'127.0.0.1'` for a server only the pod itself should reach.
   */
  host?: string;
  /** Served at `/metrics` (a prom-client `Registry` or {@link ControllerMetrics}). Default: none (404). */
  metrics?: Registry | ControllerMetrics;
  /** `/readyz` answers 200 when it returns true, 503 otherwise. Default: always ready. */
  readiness?: () => boolean | PromiseLike<boolean>;
  /** `/healthz` answers 200 when it returns true, 503 otherwise. Default: always live. */
  liveness?: () => boolean | PromiseLike<boolean>;
  /**
   * Serve `/healthz` and `/readyz`. `false` makes a metrics-only server (they answer 404), as an
   * `Operator` runs on its own metrics port. Default `true`.
   */
  probes?: boolean;
}

/** A running health server. */
export interface HealthServer {
  /** `http://host:port`. */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  /** Stops listening and closes every open connection; resolves when nothing is left open. */
  close(): Promise<void>;
}

/**
 * Serves Kubernetes probes and Prometheus metrics over `node:http`:
 *
 * - `GET /healthz` — liveness: 200 `ok` (or 503 when `liveness()` is false or throws);
 * - `GET /readyz` — readiness: 200 `ok` when `readiness()` is true, 503 otherwise, asked at each
 *   request, so it turns false again when the check does — typically "all stores synced and not
 *   shutting down" (with leader election, standbys are ready too: their caches are warm);
 * - `GET /metrics` — the registry in Prometheus text format (404 without `metrics`).
 *
 * Anything else is 404; methods other than GET/HEAD are 405. `close()` leaves no socket or timer
 * behind.
 *
 * @example
 * ```ts
 * const health = await startHealthServer({
 *   port: 8080,
 *   metrics,
 *   readiness: () => controller.store.isReady,
 * });
 * process.on('SIGTERM', () => void health.close());
 * ```
 */
export async function startHealthServer(config: HealthServerConfig = {}): Promise<HealthServer> {
  const port = config.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(`startHealthServer: port must be an integer in [0, 65535], got ${port}`);
  }
  const host = config.host ?? '0.0.0.0';
  const registry =
    config.metrics === undefined
      ? undefined
      : 'registry' in config.metrics
        ? config.metrics.registry
        : config.metrics;

  const server = createServer((request, response) => {
    handle(request, response, config, registry).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const displayHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${displayHost === '0.0.0.0' ? '127.0.0.1' : displayHost}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  config: HealthServerConfig,
  registry: Registry | undefined,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  switch (path) {
    case '/healthz':
      if (config.probes === false) break;
      return probe(response, config.liveness);
    case '/readyz':
      if (config.probes === false) break;
      return probe(response, config.readiness);
    case '/metrics': {
      if (!registry) break;
      const body = await registry.metrics();
      response.writeHead(200, { 'content-type': registry.contentType }).end(body);
      return;
    }
  }
  response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
}

async function probe(
  response: ServerResponse,
  check: (() => boolean | PromiseLike<boolean>) | undefined,
): Promise<void> {
  let ok: boolean;
  try {
    ok = check === undefined ? true : await check();
  } catch {
    ok = false;
  }
  response
    .writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' })
    .end(ok ? 'ok\n' : 'not ok\n');
}
