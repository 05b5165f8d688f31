import { classify } from '@kube-rx/core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { ControllerError } from '../controller/controllerError.js';
import type { ReconcileOk } from '../controller/reconcileOk.js';
import type { Result } from '../result.js';

/** Options of {@link ControllerMetrics}. */
export interface ControllerMetricsConfig {
  /**
   * Where the metrics are registered. Default: a new `Registry` of its own (not prom-client's
   * global one, so two instances never clash with "already registered").
   */
  registry?: Registry;
  /** Prefix of every metric name. Default `'kube_rx_'`. */
  prefix?: string;
  /** Buckets of the duration histogram, in seconds. Default `[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]`. */
  buckets?: number[];
  /**
   * Buckets of the histogram of delays added by the retry rate limit, in seconds. Default
   * `[0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300]`.
   */
  rateLimitDelayBuckets?: number[];
}

/** The `result` label of `reconcile_total`. */
export type ReconcileResultLabel = 'success' | 'error' | 'not_found';

/**
 * Prometheus metrics of controllers (prom-client), every series labelled with `controller`:
 *
 * | metric | type | labels |
 * |---|---|---|
 * | `kube_rx_reconcile_total` | counter | `controller`, `result` (`success`/`error`/`not_found`) |
 * | `kube_rx_reconcile_errors_total` | counter | `controller`, `class` (`transient`/`permanent`/`conflict`/`queue`) |
 * | `kube_rx_reconcile_duration_seconds` | histogram | `controller` |
 * | `kube_rx_queue_depth` | gauge | `controller`: keys waiting (scheduled, delayed requeues included, or waiting for a worker) |
 * | `kube_rx_active_workers` | gauge | `controller`: reconciles running now |
 * | `kube_rx_watcher_restarts_total` | counter | `controller`, `watcher` (`main`, `owns:<kind>`, `watches:<kind>`, `trigger`) |
 * | `kube_rx_requeue_rate_limited_total` | counter | `controller`: error-policy requeues that the retry rate limit (`retryRateLimit`) pushed later than the policy asked |
 * | `kube_rx_requeue_rate_limit_delay_seconds` | histogram | `controller`: how much later than the policy asked those requeues run, in seconds |
 *
 * Give one to a controller (`withConfig({ metrics })`) and it maintains all of them; or feed a
 * results stream through {@link ControllerMetrics.observe}. Serve `registry` with
 * `startHealthServer({ metrics })`.
 *
 * @example
 * ```ts
 * const metrics = new ControllerMetrics();
 * new Controller(widgets).withConfig({ metrics }).run(reconcile, policy, ctx).subscribe();
 * await startHealthServer({ port: 8080, metrics, readiness: () => true });
 * ```
 */
export class ControllerMetrics {
  /** The registry holding all eight metrics: `config.registry`, or a new one of its own. */
  readonly registry: Registry;
  /** `<prefix>reconcile_total`: finished reconciles by `result` (`success`/`error`/`not_found`). */
  readonly reconciles: Counter<'controller' | 'result'>;
  /**
   * `<prefix>reconcile_errors_total`: reconcile failures by `classify()` of their cause, and
   * trigger-stream failures as class `queue`.
   */
  readonly errors: Counter<'controller' | 'class'>;
  /**
   * `<prefix>reconcile_duration_seconds`: how long reconciles ran, in seconds, successful and
   * failed ones (not `not_found`, which did not run).
   */
  readonly duration: Histogram<'controller'>;
  /** `<prefix>queue_depth`: keys waiting (scheduled, delayed requeues, or waiting for a worker). */
  readonly queueDepth: Gauge<'controller'>;
  /** `<prefix>active_workers`: reconciles running now. */
  readonly activeWorkers: Gauge<'controller'>;
  /** `<prefix>watcher_restarts_total`: trigger-stream failures retried with backoff, by `watcher`. */
  readonly watcherRestarts: Counter<'controller' | 'watcher'>;
  /**
   * `<prefix>requeue_rate_limited_total`: error-policy requeues delayed by the controller's
   * overall retry rate limit beyond the delay the policy asked for (`retryRateLimit`). A steady
   * rise means many keys are failing at once.
   */
  readonly rateLimitedRequeues: Counter<'controller'>;
  /**
   * `<prefix>requeue_rate_limit_delay_seconds`: for each requeue counted by
   * `rateLimitedRequeues`, the delay the rate limit added to the policy's, in seconds.
   */
  readonly rateLimitDelay: Histogram<'controller'>;

  constructor(config: ControllerMetricsConfig = {}) {
    const prefix = config.prefix ?? 'kube_rx_';
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$|^$/.test(prefix)) {
      throw new TypeError(
        `ControllerMetrics: invalid metric name prefix ${JSON.stringify(prefix)}`,
      );
    }
    this.registry = config.registry ?? new Registry();
    const registers = [this.registry];
    this.reconciles = new Counter({
      name: `${prefix}reconcile_total`,
      help: 'Reconciles finished, by result.',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.errors = new Counter({
      name: `${prefix}reconcile_errors_total`,
      help: 'Reconcile and trigger-stream errors, by classification.',
      labelNames: ['controller', 'class'],
      registers,
    });
    this.duration = new Histogram({
      name: `${prefix}reconcile_duration_seconds`,
      help: 'How long reconciles took.',
      labelNames: ['controller'],
      buckets: config.buckets ?? [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.queueDepth = new Gauge({
      name: `${prefix}queue_depth`,
      help: 'Keys waiting to be reconciled (scheduled, delayed or waiting for a worker).',
      labelNames: ['controller'],
      registers,
    });
    this.activeWorkers = new Gauge({
      name: `${prefix}active_workers`,
      help: 'Reconciles running now.',
      labelNames: ['controller'],
      registers,
    });
    this.watcherRestarts = new Counter({
      name: `${prefix}watcher_restarts_total`,
      help: 'Watcher (trigger stream) failures retried with backoff.',
      labelNames: ['controller', 'watcher'],
      registers,
    });
    this.rateLimitedRequeues = new Counter({
      name: `${prefix}requeue_rate_limited_total`,
      help: 'Error-policy requeues delayed by the retry rate limit beyond the policy delay.',
      labelNames: ['controller'],
      registers,
    });
    this.rateLimitDelay = new Histogram({
      name: `${prefix}requeue_rate_limit_delay_seconds`,
      help: 'Delay the retry rate limit added to error-policy requeues.',
      labelNames: ['controller'],
      buckets: config.rateLimitDelayBuckets ?? [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
  }

  /**
   * Counts one result of `Controller.run`/`applier`: `reconcile_total`, the duration and, for
   * errors, `reconcile_errors_total` with `classify()` of the cause.
   *
   * @example
   * ```ts
   * controller.run(reconcile, policy, ctx).subscribe((result) => metrics.recordResult('widgets', result));
   * ```
   */
  recordResult(controller: string, result: Result<ReconcileOk, ControllerError>): void {
    if (result.ok) {
      this.reconciles.inc({ controller, result: 'success' });
      this.duration.observe({ controller }, result.val.durationMs / 1000);
      return;
    }
    const error = result.val;
    if (error.kind === 'ObjectNotFound') {
      this.reconciles.inc({ controller, result: 'not_found' });
      return;
    }
    if (error.kind === 'QueueError') {
      this.errors.inc({ controller, class: 'queue' });
      return;
    }
    this.reconciles.inc({ controller, result: 'error' });
    this.errors.inc({ controller, class: classify(error.cause) });
    if (error.durationMs !== undefined) {
      this.duration.observe({ controller }, error.durationMs / 1000);
    }
  }

  /**
   * An operator that records every result passing through (see {@link recordResult}).
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
}
