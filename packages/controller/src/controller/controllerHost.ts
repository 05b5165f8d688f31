import type { BackoffStrategy, Logger, ObjectRef } from '@kube-rx/core';
import type {
  ListWatchApi,
  MetadataListWatchApi,
  WatcherConfig,
  WatcherEvent,
} from '@kube-rx/watcher';
import type { Observable, SchedulerLike } from 'rxjs';
import type { ControllerMetrics } from '../metrics/controllerMetrics.js';

/** A watch a controller asks its host for: what `watcher()`/`metadataWatcher()` would open. */
export type HostedWatch =
  | {
      /** A full-object watcher (`new Controller(api)`, `watches`). */
      readonly kind: 'object';
      /** The `Api` to watch. */
      readonly api: ListWatchApi<unknown>;
      /** The watcher's settings (selectors, page size, …). */
      readonly config: WatcherConfig;
    }
  | {
      /** A metadata watcher (`owns`). */
      readonly kind: 'metadata';
      /** The `Api` whose metadata to watch. */
      readonly api: MetadataListWatchApi;
      /** The watcher's settings (selectors, page size, …). */
      readonly config: WatcherConfig;
    };

/** How a controller wants a hosted watch retried; see {@link ControllerHost.watch}. */
export interface HostedWatchRetry {
  /** The backoff between attempts. */
  readonly strategy: BackoffStrategy;
  /**
   * Called with every failure of the watch, the delay before the next attempt and the attempt
   * number, as `backoff`'s `onError` (counted, logged and reported as `QueueError`).
   */
  readonly onError: (error: unknown, delayMs: number | undefined, attempt: number) => void;
}

/**
 * What a host (an `Operator`) supplies to a controller it runs through `Controller.runWithin`:
 * shared watch streams, when reconciles may run, a shutdown signal and defaults. A controller
 * run with plain `run` has no host and opens its own watchers.
 */
export interface ControllerHost {
  /**
   * The event stream for `watch` — typically one shared by every controller that watches the
   * same resource with the same selectors. The host retries it (with `retry.strategy`, the
   * controller's trigger backoff, when it is the first to open that watch) and reports each
   * failure to `retry.onError`, so a dropped watch resumes once for everyone (one WATCH, no
   * LIST); the stream itself should not error.
   */
  watch(watch: HostedWatch, retry: HostedWatchRetry): Observable<WatcherEvent<unknown>>;
  /**
   * Whether the host lets `ref` be reconciled now (leadership, shards held); combined with the
   * controller's own `shard`. Asked when a request comes in and when its run would start.
   */
  admits(ref: ObjectRef): boolean;
  /**
   * Emits when `admits` starts accepting keys it rejected before (leadership acquired, a shard
   * taken over): the controller then requests a reconcile of every cached object it now accepts,
   * since requests for them were dropped while they were not admitted.
   */
  readonly admitted$: Observable<unknown>;
  /** Graceful shutdown: stop taking work, let running reconciles finish. */
  readonly shutdown$: Observable<unknown>;
  /** Deadline for running reconciles after `shutdown$`, in ms; overrides the controller's. */
  readonly shutdownTimeout: number;
  /** Metrics, used when the controller has none of its own. */
  readonly metrics?: ControllerMetrics;
  /** Logger, used when the controller has none of its own. */
  readonly logger?: Logger;
  /** Clock and timers, used when the controller has none of its own. */
  readonly scheduler?: SchedulerLike;
}
