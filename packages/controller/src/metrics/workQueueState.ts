/**
 * The live state of one controller's work queue, read by {@link ControllerMetrics} when its
 * registry is scraped (`workqueue_depth`, `controller_runtime_active_workers`, the unfinished
 * work gauges), so that nothing is computed per request.
 *
 * @internal kept by the applier
 */
export interface WorkQueueState {
  /** Keys due and waiting for a worker → when each became due (`now()` ms). */
  readonly ready: ReadonlyMap<string, number>;
  /** Keys whose run is in progress → when it started (`now()` ms). */
  readonly running: ReadonlyMap<string, number>;
  /** Reconciles in progress (runs whose object was found). */
  active(): number;
  /** The controller's clock. */
  now(): number;
}
