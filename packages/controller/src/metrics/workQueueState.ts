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

/** Adds `item` under `label`; returns its removal. */
export function attach<T>(map: Map<string, Set<T>>, label: string, item: T): () => void {
  let items = map.get(label);
  if (items === undefined) map.set(label, (items = new Set()));
  items.add(item);
  // The label stays in the map, so that its gauges read 0 rather than vanish.
  return () => void items.delete(item);
}

/** The sum of `value` over `items`. */
export function sum<T>(items: Iterable<T>, value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}

/** Summed age of the runs in progress of `state`, in seconds. */
export function runningSeconds(state: WorkQueueState): number {
  const now = state.now();
  let total = 0;
  for (const startedAt of state.running.values()) total += now - startedAt;
  return total / 1000;
}

/** Age of the oldest run in progress of any of `states`, in seconds. */
export function longestRunningSeconds(states: Set<WorkQueueState>): number {
  let longest = 0;
  for (const state of states) {
    const now = state.now();
    for (const startedAt of state.running.values()) longest = Math.max(longest, now - startedAt);
  }
  return longest / 1000;
}
