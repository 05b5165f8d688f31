import type { ControllerMetrics } from '../metrics/controllerMetrics.js';
import { startHealthServer, type HealthServer } from '../metrics/healthServer.js';
import type { OperatorListenConfig, OperatorServerConfig } from './operatorConfig.js';
import type { OperatorEvent } from './operatorEvent.js';

/** The servers an `Operator` started, and the event that announces them. */
export interface OperatorServers {
  /** Every server started (close them all to stop). */
  readonly servers: HealthServer[];
  /** `ServersListening`, or `undefined` when no server is configured. */
  readonly event: Extract<OperatorEvent, { type: 'ServersListening' }> | undefined;
}

/**
 * Starts an operator's servers: probes (`/healthz`, `/readyz` answering `ready()`) on `health`,
 * `/metrics` alone on `metrics`. Hosts default to `0.0.0.0` (the kubelet and Prometheus reach
 * the pod IP). If one fails to listen, those already started are closed and the error thrown.
 */
export async function startOperatorServers(
  config: OperatorServerConfig,
  metrics: ControllerMetrics | undefined,
  ready: () => boolean,
): Promise<OperatorServers> {
  const { health, metrics: metricsListen } = config;
  const address = (listen: OperatorListenConfig) => ({
    port: listen.port,
    host: listen.host ?? '0.0.0.0',
  });
  const servers: HealthServer[] = [];
  let healthUrl: string | undefined;
  let metricsUrl: string | undefined;
  try {
    if (health) {
      const server = await startHealthServer({ ...address(health), readiness: ready });
      servers.push(server);
      healthUrl = server.url;
    }
    if (metricsListen && metrics) {
      const server = await startHealthServer({ ...address(metricsListen), metrics, probes: false });
      servers.push(server);
      metricsUrl = server.url;
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }
  if (servers.length === 0) return { servers, event: undefined };
  return {
    servers,
    event: {
      type: 'ServersListening',
      ...(healthUrl ? { health: healthUrl } : {}),
      ...(metricsUrl ? { metrics: metricsUrl } : {}),
    },
  };
}
