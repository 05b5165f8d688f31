import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@kube-rx/core';
import type { SchedulerLike } from 'rxjs';
import type { LeaderElectionConfig } from '../leader/leaderElection.js';
import type { ControllerMetrics } from '../metrics/controllerMetrics.js';

/** client-node's `KubeConfig`, as `Api` takes it. */
export type OperatorKubeConfig = NonNullable<LeaderElectionConfig['kubeConfig']>;

/** {@link OperatorConfig.leaderElection}: the shape of `leaderElection()`'s config, and what to do on loss. */
export interface OperatorLeaderElectionConfig {
  /** The Lease every replica competes for. Required. */
  lease: {
    /** Name of the Lease (created when missing); with `sharding`, the base of the shard Leases' names. */
    name: string;
    /** Namespace of the Lease. */
    namespace: string;
  };
  /** This replica's identity. Default: the hostname (the pod name in Kubernetes) + `_` + 8 random hex digits. */
  identity?: string;
  /** Validity of a claim after its last renewal, in ms. Default `15_000` (client-go). */
  leaseDuration?: number;
  /** A leader that could not renew for this long stops, in ms. Default `10_000` (client-go). */
  renewDeadline?: number;
  /** Interval between acquire/renew attempts, in ms. Default `2_000` (client-go). */
  retryPeriod?: number;
  /**
   * What happens when leadership is lost (another replica took the Lease, or renewals failed for
   * `renewDeadline`): reconciles stop at once either way; `'exit'` (client-go's behaviour) then
   * shuts the operator down (`ShuttingDown` with reason `leaderLost`; the pod restarts and comes
   * back as a standby), `'standby'` keeps the caches and competes again. Default `'exit'`.
   */
  onLost?: 'exit' | 'standby';
}

/** {@link OperatorConfig.sharding}. */
export interface OperatorShardingConfig {
  /** Number of shard Leases (`<name>-shard-0` … `<name>-shard-<shards-1>`), an integer ≥ 1. Required. */
  shards: number;
  /**
   * Namespace of the shard and member Leases. Default: `leaderElection.lease.namespace`; one of
   * the two is required.
   */
  namespace?: string;
}

/** Where one of the operator's servers listens. */
export interface OperatorListenConfig {
  /** TCP port; `0` picks a free one (see the `ServersListening` event). Required. */
  port: number;
  /**
   * Address to bind. Default `'0.0.0.0'`: the kubelet probes and Prometheus scrapes the pod IP.
   * Use `'127.0.0.1'` for a server only a sidecar (e.g. kube-rbac-proxy) should reach.
   */
  host?: string;
}

/** {@link OperatorConfig.server}. */
export interface OperatorServerConfig {
  /** `/healthz` and `/readyz`. Default: none. */
  health?: OperatorListenConfig;
  /** `/metrics` on its own port (never on the probe port). Default: none. */
  metrics?: OperatorListenConfig;
}

/** Options of `new Operator(...)`. */
export interface OperatorConfig {
  /** Name of the operator: logs, and the base of shard Lease names. Non-empty. Required. */
  name: string;
  /** Cluster access for Leases. Required. */
  kubeConfig: OperatorKubeConfig;
  /**
   * One leader among the replicas; the others are warm standbys (watching, caches synced, not
   * reconciling). With `sharding`, only its identity and timings are used. Default: none (this
   * replica reconciles everything).
   */
  leaderElection?: OperatorLeaderElectionConfig;
  /**
   * Split the keys among all live replicas through shard Leases; uses the leader-election
   * timings and identity. Default: none.
   */
  sharding?: OperatorShardingConfig;
  /** Probe and metrics servers. Default: none. */
  server?: OperatorServerConfig;
  /**
   * Metrics of every controller that has none of its own (and served by `server.metrics`).
   * Default: a new `ControllerMetrics()` when `server.metrics` is set, otherwise none.
   */
  metrics?: ControllerMetrics;
  /** Where lifecycle lines go, and the logger of every controller without its own. Default `defaultLogger()`. */
  logger?: Logger;
  /**
   * How long running reconciles may go on after a shutdown starts, in ms. Default `25_000`:
   * below Kubernetes' default 30 s grace period, leaving time to release the Lease.
   */
  shutdownTimeout?: number;
  /**
   * Signals that start the graceful shutdown; a second one exits the process at once. `false`:
   * none (call `shutdown()`). Default `['SIGTERM', 'SIGINT']`.
   */
  signals?: readonly NodeJS.Signals[] | false;
  /** Clock and timers. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** A default identity: the hostname (the pod name in Kubernetes) and a random suffix. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomBytes(4).toString('hex')}`;
}

/** Validates an {@link OperatorConfig} (`TypeError` for the first problem). */
export function validateOperatorConfig(config: OperatorConfig): void {
  if (!config || typeof config !== 'object') throw new TypeError('Operator: config is required');
  if (typeof config.name !== 'string' || config.name === '') {
    throw new TypeError('Operator: name must be a non-empty string');
  }
  if (!config.kubeConfig) throw new TypeError('Operator: kubeConfig is required');
  const timeout = config.shutdownTimeout;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout >= 0)) {
    throw new TypeError('Operator: shutdownTimeout must be a number of ms >= 0');
  }
  const election = config.leaderElection;
  if (
    election?.onLost !== undefined &&
    election.onLost !== 'exit' &&
    election.onLost !== 'standby'
  ) {
    throw new TypeError("Operator: leaderElection.onLost must be 'exit' or 'standby'");
  }
  const sharding = config.sharding;
  if (sharding !== undefined) {
    if (!Number.isInteger(sharding.shards) || sharding.shards < 1) {
      throw new TypeError('Operator: sharding.shards must be an integer >= 1');
    }
    if (!(sharding.namespace ?? election?.lease?.namespace)) {
      throw new TypeError(
        'Operator: sharding needs a namespace (or leaderElection.lease.namespace)',
      );
    }
  }
  for (const [which, listen] of Object.entries(config.server ?? {})) {
    if (listen === undefined) continue;
    const port = (listen as OperatorListenConfig).port;
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new TypeError(`Operator: server.${which}.port must be an integer in [0, 65535]`);
    }
  }
  const signals = config.signals;
  if (signals !== undefined && signals !== false && !Array.isArray(signals)) {
    throw new TypeError('Operator: signals must be an array of signal names or false');
  }
}
