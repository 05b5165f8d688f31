import type { Registry } from 'prom-client';

/** Options of {@link ControllerMetrics}. */
export interface ControllerMetricsConfig {
  /**
   * Where the metrics are registered (a prom-client `Registry`). Default: a new `Registry` of its
   * own (not prom-client's global one, so two instances never clash with "already registered").
   */
  registry?: Registry;
  /**
   * The `name` label of `leader_election_master_status` and `kube_rx_shards_held` when
   * {@link ControllerMetrics.setLeader} and {@link ControllerMetrics.setShardsHeld} are called
   * without one: the Lease (or operator) name. Default `'kube-rx'`.
   */
  name?: string;
  /**
   * Whether prom-client's default process and Node.js metrics (`process_cpu_seconds_total`,
   * `process_resident_memory_bytes`, `nodejs_eventloop_lag_seconds`, ...) are collected on the
   * registry. Skipped when the registry already has them. Default `true`.
   */
  defaultMetrics?: boolean;
  /**
   * Buckets of `controller_runtime_reconcile_time_seconds`, in seconds. Default:
   * controller-runtime's (0.005 … 60, 40 buckets).
   */
  buckets?: number[];
  /**
   * Buckets of `workqueue_queue_duration_seconds` and `workqueue_work_duration_seconds`, in
   * seconds. Default: client-go's, 10 ns × 10^i for i in 0 … 11 (1e-8 … 1000).
   */
  workqueueBuckets?: number[];
  /**
   * Buckets of `kube_rx_requeue_rate_limit_delay_seconds`, in seconds. Default
   * `[0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300]`.
   */
  rateLimitDelayBuckets?: number[];
}

/** The `result` label of `controller_runtime_reconcile_total`. */
export type ReconcileResultLabel = 'success' | 'error' | 'requeue' | 'requeue_after';

/** @internal controller-runtime's buckets of `controller_runtime_reconcile_time_seconds`. */
export const RECONCILE_TIME_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
  1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
/** @internal client-go's `prometheus.ExponentialBuckets(10e-9, 10, 12)`. */
export const WORKQUEUE_BUCKETS = Array.from({ length: 12 }, (_, index) => Number(`1e${index - 8}`));
/** @internal every `result` label, started at 0 */
export const RESULTS: readonly ReconcileResultLabel[] = [
  'success',
  'error',
  'requeue',
  'requeue_after',
];

/** The labels of the `workqueue_*` metrics: the queue's `name` and its `controller` (the same value). */
export type WorkqueueLabel = 'name' | 'controller';
