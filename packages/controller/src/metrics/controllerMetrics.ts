import { classify } from '@kube-rx/core';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { ControllerError } from '../controller/controllerError.js';
import type { ReconcileOk } from '../controller/reconcileOk.js';
import type { Result } from '../result.js';
import { loadPromClient } from './loadPromClient.js';
import {
  RECONCILE_TIME_BUCKETS,
  RESULTS,
  WORKQUEUE_BUCKETS,
  type ControllerMetricsConfig,
  type WorkqueueLabel,
} from './controllerMetricsConfig.js';
import {
  attach,
  longestRunningSeconds,
  runningSeconds,
  sum,
  type WorkQueueState,
} from './workQueueState.js';

/**
 * Prometheus metrics of controllers with controller-runtime's names, labels and meanings, so
 * that dashboards and alerts written for controller-runtime operators work unchanged; plus
 * kube-rx's own (`kube_rx_*`) and prom-client's default process metrics. docs/metrics.md has the
 * table and the few places where kube-rx differs.
 *
 * Give one to a controller (`withConfig({ metrics })`) and it maintains the controller and
 * workqueue metrics; an `Operator` also calls {@link setLeader} and {@link setShardsHeld}. Serve
 * `registry` (e.g. `startHealthServer({ metrics })`). Gauges of state (`workqueue_depth`,
 * `controller_runtime_active_workers`, `workqueue_unfinished_work_seconds`,
 * `workqueue_longest_running_processor_seconds`, `kube_rx_cache_objects`) are computed when the
 * registry is read, so the reconcile path pays only for counters and histograms.
 *
 * prom-client is loaded by this constructor, not by importing `@kube-rx/controller`: an
 * application without metrics never loads it.
 *
 * @throws TypeError for a bad option (`prefix` is no longer supported: names are fixed).
 *
 * @example
 * ```ts
 * const metrics = new ControllerMetrics();
 * new Controller(widgets).withConfig({ metrics }).run(reconcile, policy, ctx).subscribe();
 * await startHealthServer({ port: 8080, metrics, readiness: () => true });
 * ```
 */
export class ControllerMetrics {
  /** The registry holding every metric: `config.registry`, or a new one of its own. */
  readonly registry: Registry;
  /** `controller_runtime_reconcile_total{controller,result}`: reconciles by {@link ReconcileResultLabel}. */
  readonly reconcileTotal: Counter<'controller' | 'result'>;
  /** `controller_runtime_reconcile_errors_total{controller}`: failed reconciles (terminal ones included). */
  readonly reconcileErrors: Counter<'controller'>;
  /**
   * `controller_runtime_terminal_reconcile_errors_total{controller}`: failed reconciles whose
   * error is permanent (`classify()`: `permanent()`, 4xx `ApiError`s, `SerdeError`).
   */
  readonly terminalReconcileErrors: Counter<'controller'>;
  /** `controller_runtime_reconcile_time_seconds{controller}`: time of each reconcile and its error policy. */
  readonly reconcileTime: Histogram<'controller'>;
  /** `controller_runtime_active_workers{controller}`: reconciles in progress (computed when read). */
  readonly activeWorkers: Gauge<'controller'>;
  /** `controller_runtime_max_concurrent_reconciles{controller}`: `concurrency` (`+Inf` when unbounded). */
  readonly maxConcurrentReconciles: Gauge<'controller'>;
  /** `workqueue_depth{name,controller}`: keys due and waiting for a worker; delayed requeues are not counted. */
  readonly workqueueDepth: Gauge<WorkqueueLabel>;
  /** `workqueue_adds_total{name,controller}`: keys that became due and were not already waiting. */
  readonly workqueueAdds: Counter<WorkqueueLabel>;
  /** `workqueue_queue_duration_seconds{name,controller}`: from due to the start of its run. */
  readonly workqueueQueueDuration: Histogram<WorkqueueLabel>;
  /** `workqueue_work_duration_seconds{name,controller}`: from the start of a run to its end. */
  readonly workqueueWorkDuration: Histogram<WorkqueueLabel>;
  /** `workqueue_retries_total{name,controller}`: requeues (`Action.requeue` and error-policy retries). */
  readonly workqueueRetries: Counter<WorkqueueLabel>;
  /** `workqueue_unfinished_work_seconds{name,controller}`: summed age of the runs in progress. */
  readonly workqueueUnfinishedWork: Gauge<WorkqueueLabel>;
  /** `workqueue_longest_running_processor_seconds{name,controller}`: age of the oldest run in progress. */
  readonly workqueueLongestRunningProcessor: Gauge<WorkqueueLabel>;
  /** `leader_election_master_status{name}`: 1 while leading the Lease `name`, 0 on standby. */
  readonly leaderElectionMasterStatus: Gauge<'name'>;
  /** `kube_rx_shards_held{name}`: shard Leases this replica holds. */
  readonly shardsHeld: Gauge<'name'>;
  /** `kube_rx_watcher_restarts_total{kind}`: watch (trigger stream) failures retried with backoff. */
  readonly watcherRestarts: Counter<'kind'>;
  /** `kube_rx_cache_objects{kind}`: objects in the caches given to {@link trackCache} (computed when read). */
  readonly cacheObjects: Gauge<'kind'>;
  /** `kube_rx_reconcile_not_found_total{controller}`: runs skipped because the object had left the cache. */
  readonly reconcileNotFound: Counter<'controller'>;
  /** `kube_rx_requeue_rate_limited_total{controller}`: error-policy requeues delayed by `retryRateLimit`. */
  readonly rateLimitedRequeues: Counter<'controller'>;
  /** `kube_rx_requeue_rate_limit_delay_seconds{controller}`: the delay `retryRateLimit` added to those. */
  readonly rateLimitDelay: Histogram<'controller'>;

  private readonly name: string;
  private readonly queues = new Map<string, Set<WorkQueueState>>();
  private readonly caches = new Map<string, Set<{ readonly size: number }>>();

  constructor(config: ControllerMetricsConfig = {}) {
    if ('prefix' in config) {
      throw new TypeError(
        'ControllerMetrics: `prefix` is no longer supported; the names are controller-runtime’s (see docs/metrics.md)',
      );
    }
    const name = config.name ?? 'kube-rx';
    if (typeof name !== 'string' || name === '') {
      throw new TypeError('ControllerMetrics: name must be a non-empty string');
    }
    this.name = name;
    const prom = loadPromClient();
    this.registry = config.registry ?? new prom.Registry();
    const registers = [this.registry];
    const counter = <L extends string>(metric: string, help: string, labelNames: L[]) =>
      new prom.Counter<L>({ name: metric, help, labelNames, registers });
    const histogram = <L extends string>(
      metric: string,
      help: string,
      labelNames: L[],
      buckets: number[],
    ) => new prom.Histogram<L>({ name: metric, help, labelNames, buckets, registers });
    const gauge = <L extends string>(
      metric: string,
      help: string,
      labelNames: L[],
      collect?: (gauge: Gauge<L>) => void,
    ) =>
      new prom.Gauge<L>({
        name: metric,
        help,
        labelNames,
        registers,
        ...(collect
          ? {
              collect: function (this: Gauge<L>) {
                collect(this);
              },
            }
          : {}),
      });
    const queueLabels: WorkqueueLabel[] = ['name', 'controller'];
    const workqueueBuckets = config.workqueueBuckets ?? WORKQUEUE_BUCKETS;

    this.reconcileTotal = counter(
      'controller_runtime_reconcile_total',
      'Total number of reconciliations per controller',
      ['controller', 'result'],
    );
    this.reconcileErrors = counter(
      'controller_runtime_reconcile_errors_total',
      'Total number of reconciliation errors per controller',
      ['controller'],
    );
    this.terminalReconcileErrors = counter(
      'controller_runtime_terminal_reconcile_errors_total',
      'Total number of terminal reconciliation errors per controller',
      ['controller'],
    );
    this.reconcileTime = histogram(
      'controller_runtime_reconcile_time_seconds',
      'Length of time per reconciliation per controller',
      ['controller'],
      config.buckets ?? RECONCILE_TIME_BUCKETS,
    );
    this.activeWorkers = gauge(
      'controller_runtime_active_workers',
      'Number of currently used workers per controller',
      ['controller'],
      (g) => this.collectQueues(g, (states) => sum(states, (s) => s.active()), false),
    );
    this.maxConcurrentReconciles = gauge(
      'controller_runtime_max_concurrent_reconciles',
      'Maximum number of concurrent reconciles per controller',
      ['controller'],
    );
    this.workqueueDepth = gauge('workqueue_depth', 'Current depth of workqueue', queueLabels, (g) =>
      this.collectQueues(g, (states) => sum(states, (s) => s.ready.size), true),
    );
    this.workqueueAdds = counter(
      'workqueue_adds_total',
      'Total number of adds handled by workqueue',
      queueLabels,
    );
    this.workqueueQueueDuration = histogram(
      'workqueue_queue_duration_seconds',
      'How long in seconds an item stays in workqueue before being requested',
      queueLabels,
      workqueueBuckets,
    );
    this.workqueueWorkDuration = histogram(
      'workqueue_work_duration_seconds',
      'How long in seconds processing an item from workqueue takes.',
      queueLabels,
      workqueueBuckets,
    );
    this.workqueueRetries = counter(
      'workqueue_retries_total',
      'Total number of retries handled by workqueue',
      queueLabels,
    );
    this.workqueueUnfinishedWork = gauge(
      'workqueue_unfinished_work_seconds',
      'How many seconds of work has been done that is in progress and has not been observed by work_duration.',
      queueLabels,
      (g) => this.collectQueues(g, (states) => sum(states, runningSeconds), true),
    );
    this.workqueueLongestRunningProcessor = gauge(
      'workqueue_longest_running_processor_seconds',
      'How many seconds has the longest running processor for workqueue been running.',
      queueLabels,
      (g) => this.collectQueues(g, longestRunningSeconds, true),
    );
    this.leaderElectionMasterStatus = gauge(
      'leader_election_master_status',
      'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.',
      ['name'],
    );
    this.shardsHeld = gauge('kube_rx_shards_held', 'Shard Leases held by this replica.', ['name']);
    this.watcherRestarts = counter(
      'kube_rx_watcher_restarts_total',
      'Watch failures retried with backoff, by kind.',
      ['kind'],
    );
    this.cacheObjects = gauge(
      'kube_rx_cache_objects',
      'Objects in the caches, by kind.',
      ['kind'],
      (g) => {
        for (const [kind, caches] of this.caches)
          g.set(
            { kind },
            sum(caches, (cache) => cache.size),
          );
      },
    );
    this.reconcileNotFound = counter(
      'kube_rx_reconcile_not_found_total',
      'Runs skipped because the object was no longer in the cache.',
      ['controller'],
    );
    this.rateLimitedRequeues = counter(
      'kube_rx_requeue_rate_limited_total',
      'Error-policy requeues delayed by the retry rate limit beyond the policy delay.',
      ['controller'],
    );
    this.rateLimitDelay = histogram(
      'kube_rx_requeue_rate_limit_delay_seconds',
      'Delay the retry rate limit added to error-policy requeues.',
      ['controller'],
      config.rateLimitDelayBuckets ?? [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    );
    if (
      (config.defaultMetrics ?? true) &&
      this.registry.getSingleMetric('process_cpu_user_seconds_total') === undefined
    ) {
      prom.collectDefaultMetrics({ register: this.registry });
    }
  }

  /**
   * Counts one result of `Controller.run`/`applier` as controller-runtime does:
   * `controller_runtime_reconcile_total` with `result` `success` (`Action.awaitChange()`),
   * `requeue` (`Action.requeue(0)`), `requeue_after` (`Action.requeue(ms)`, ms > 0) or `error`
   * (the reconcile failed, whatever the error policy did); for errors also
   * `controller_runtime_reconcile_errors_total` and, when `classify()` says `permanent`,
   * `controller_runtime_terminal_reconcile_errors_total`; the reconcile time. `ObjectNotFound`
   * counts in `kube_rx_reconcile_not_found_total` only; `QueueError`s are not reconciles.
   *
   * @example
   * ```ts
   * controller.run(reconcile, policy, ctx).subscribe((result) => metrics.recordResult('widgets', result));
   * ```
   */
  recordResult(controller: string, result: Result<ReconcileOk, ControllerError>): void {
    if (result.ok) {
      const after = result.val.action.requeueAfter;
      const label = after === undefined ? 'success' : after > 0 ? 'requeue_after' : 'requeue';
      this.reconcileTotal.inc({ controller, result: label });
      this.reconcileTime.observe({ controller }, result.val.durationMs / 1000);
      return;
    }
    const error = result.val;
    if (error.kind === 'ObjectNotFound') {
      this.reconcileNotFound.inc({ controller });
      return;
    }
    if (error.kind === 'QueueError') return;
    this.reconcileTotal.inc({ controller, result: 'error' });
    this.reconcileErrors.inc({ controller });
    if (classify(error.cause) === 'permanent') this.terminalReconcileErrors.inc({ controller });
    if (error.durationMs !== undefined) {
      this.reconcileTime.observe({ controller }, error.durationMs / 1000);
    }
  }

  /**
   * An operator that records every result passing through (see {@link recordResult}), for an
   * `applier` run without `metrics` in its config.
   *
   * @example
   * ```ts
   * const requests$ = watcher(widgets).pipe(defaultBackoff(), reflect(writer), triggerSelf());
   * applier(reconcile, policy, ctx, store, requests$).pipe(metrics.observe('widgets')).subscribe();
   * ```
   */
  observe(controller: string): MonoTypeOperatorFunction<Result<ReconcileOk, ControllerError>> {
    return tap((result) => this.recordResult(controller, result));
  }

  /**
   * Sets `leader_election_master_status{name}`: 1 when this replica leads the Lease, 0 on
   * standby. `name` defaults to `config.name`.
   *
   * @example
   * ```ts
   * const lease = { name: 'widgets-operator', namespace: 'ops' };
   * leaderElection({ kubeConfig: kc, lease, identity: podName }).subscribe((leading) =>
   *   metrics.setLeader(leading, lease.name),
   * );
   * ```
   */
  setLeader(isLeader: boolean, name: string = this.name): void {
    if (typeof isLeader !== 'boolean') {
      throw new TypeError('ControllerMetrics.setLeader: isLeader must be a boolean');
    }
    this.leaderElectionMasterStatus.set({ name }, isLeader ? 1 : 0);
  }

  /**
   * Sets `kube_rx_shards_held{name}` to the number of shard Leases this replica holds. `name`
   * defaults to `config.name`.
   *
   * @example
   * ```ts
   * metrics.setShardsHeld(2);
   * ```
   */
  setShardsHeld(count: number, name: string = this.name): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new TypeError(
        `ControllerMetrics.setShardsHeld: count must be an integer >= 0, got ${String(count)}`,
      );
    }
    this.shardsHeld.set({ name }, count);
  }

  /**
   * Reports the size of `cache` (a `Store`) in `kube_rx_cache_objects{kind}`, read when the
   * registry is scraped, until the returned function is called. Caches of one kind add up.
   * A `Controller` with metrics tracks its main store while it runs.
   *
   * @example
   * ```ts
   * const untrack = metrics.trackCache('Widget', controller.store);
   * ```
   */
  trackCache(kind: string, cache: { readonly size: number }): () => void {
    return attach(this.caches, kind, cache);
  }

  /**
   * Starts the series of one controller (`controller_runtime_*` at 0, as controller-runtime
   * does, so that `rate()` sees the first increase) and reports its work queue until the
   * returned function is called.
   *
   * @internal used by the applier
   */
  attachQueue(controller: string, concurrency: number, state: WorkQueueState): () => void {
    for (const result of RESULTS) this.reconcileTotal.inc({ controller, result }, 0);
    this.reconcileErrors.inc({ controller }, 0);
    this.terminalReconcileErrors.inc({ controller }, 0);
    const labels = { name: controller, controller };
    this.workqueueAdds.inc(labels, 0);
    this.workqueueRetries.inc(labels, 0);
    this.maxConcurrentReconciles.set({ controller }, concurrency);
    return attach(this.queues, controller, state);
  }

  private collectQueues<L extends string>(
    gauge: Gauge<L>,
    value: (states: Set<WorkQueueState>) => number,
    queueLabels: boolean,
  ): void {
    for (const [controller, states] of this.queues) {
      const labels = (queueLabels
        ? { name: controller, controller }
        : { controller }) as unknown as Partial<Record<L, string>>;
      gauge.set(labels, value(states));
    }
  }
}
