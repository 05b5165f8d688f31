import { asyncScheduler, filter, take, timeout, type Observable, type SchedulerLike } from 'rxjs';
import {
  backoff,
  defaultBackoffStrategy,
  type BackoffStrategy,
  type KubeObject,
} from '@kube-rx/core';
import type { ListWatchApi } from './watcher.js';
import { watchObject } from './watchObject.js';

/** Options of {@link awaitCondition}. */
export interface AwaitConditionConfig {
  /**
   * Milliseconds to wait before failing with RxJS's `TimeoutError` (the watch is then stopped).
   * Default: no limit.
   */
  timeout?: number;
  /**
   * Backoff between attempts when the watch fails (dropped connection, 410, 503, ...): the wait
   * survives them. Default: `defaultBackoffStrategy()` of `@kube-rx/core` (800 ms ×2 up to 30 s).
   */
  strategy?: BackoffStrategy;
  /** Scheduler of the timeout and of the backoff waits. Default: `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Waits until `condition` holds for the named object: an Observable that emits the object (or
 * `undefined`, for conditions about absence) the first time `condition` returns true, then
 * completes. `condition` sees `undefined` while the object does not exist. Use `firstValueFrom`
 * for a Promise.
 *
 * Watch failures are retried with backoff (`strategy`); only `timeout` ends the wait with an
 * error. For a namespaced kind, pass an `Api` scoped to the object's namespace.
 *
 * @example
 * ```ts
 * const isRunning = (pod: Pod | undefined) => pod?.status?.phase === 'Running';
 * const pod = await firstValueFrom(awaitCondition(pods, 'web-0', isRunning, { timeout: 60_000 }));
 *
 * const isGone = (cm: ConfigMap | undefined) => cm === undefined;
 * await firstValueFrom(awaitCondition(configMaps, 'scratch', isGone));
 * ```
 */
export function awaitCondition<K extends KubeObject>(
  api: ListWatchApi<K>,
  name: string,
  condition: (object: K | undefined) => boolean,
  config: AwaitConditionConfig = {},
): Observable<K | undefined> {
  if (typeof condition !== 'function')
    throw new TypeError('awaitCondition: condition must be a function');
  if (config.timeout !== undefined && !(config.timeout > 0)) {
    throw new TypeError(
      `awaitCondition: timeout must be a positive number of ms, got ${config.timeout}`,
    );
  }
  const scheduler = config.scheduler ?? asyncScheduler;
  const strategy = config.strategy ?? defaultBackoffStrategy({ scheduler });
  const found$ = watchObject(api, name, { scheduler }).pipe(
    backoff(strategy, { scheduler }),
    filter((object) => condition(object)),
    take(1),
  );
  return config.timeout === undefined
    ? found$
    : found$.pipe(timeout({ first: config.timeout, scheduler }));
}
