import {
  backoff,
  defaultBackoffStrategy,
  type ApiResource,
  type BackoffStrategy,
  type KubeObject,
} from '@kube-rx/core';
import {
  metadataWatcher,
  shareWatcher,
  watcher,
  type ListWatchApi,
  type SharedWatcher,
  type WatcherConfig,
  type WatcherEvent,
} from '@kube-rx/watcher';
import { asyncScheduler, finalize, Observable, type SchedulerLike } from 'rxjs';
import type { HostedWatch, HostedWatchRetry } from '../controller/controllerHost.js';

/** Retry of a watch given without one: the default backoff, failures ignored. */
const DEFAULT_RETRY: HostedWatchRetry = {
  strategy: defaultBackoffStrategy(),
  onError: () => undefined,
};

/** Options of {@link SharedCacheRegistry}. */
export interface SharedCacheRegistryConfig {
  /** Clock and timers of the watchers and of the deliveries to subscribers. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

interface Entry {
  readonly shared: SharedWatcher<never>;
  /** The error hooks of the current subscribers. */
  readonly onError: Set<HostedWatchRetry['onError']>;
  subscribers: number;
}

/**
 * One watch per resource and watch settings for every controller of an `Operator`:
 * kube-runtime's shared reflector, keyed and reference-counted.
 *
 * - Two watches are the same when they have the same kind of watcher (objects or metadata), the
 *   same group/version/plural, namespace (none: all namespaces), cluster URL, label selector,
 *   field selector and other watcher settings. Watches of an `Api` without `resource` are never
 *   shared.
 * - The first subscriber opens the watch (`watcher` or `metadataWatcher`, shared with
 *   `shareWatcher`), the last one to leave closes it and forgets its cache.
 * - A subscriber that joins an open watch gets the current cache first (`Init`, one `InitApply`
 *   per object, `InitDone` — a relist for its reflector, without a LIST request), then live events.
 * - The shared watch is retried once for everyone, before it is shared (`backoff` with the
 *   strategy of the subscriber that opened it), and every subscriber's `onError` hears of each
 *   failure. So a dropped watch resumes with one WATCH from its last resourceVersion and no LIST,
 *   and the subscribers never see an error.
 *
 * @example
 * ```ts
 * const registry = new SharedCacheRegistry();
 * const a$ = registry.watch({ kind: 'object', api: widgets, config: { labelSelector: 'app=x' } });
 * const b$ = registry.watch({ kind: 'object', api: widgets, config: { labelSelector: 'app=x' } });
 * merge(a$, b$).subscribe(); // one WATCH request between them
 * ```
 */
export class SharedCacheRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly scheduler: SchedulerLike;

  constructor(config: SharedCacheRegistryConfig = {}) {
    this.scheduler = config.scheduler ?? asyncScheduler;
  }

  /** How many shared watches are open (have at least one subscriber). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The events of `watch`, shared with every other subscriber of the same watch (see the class).
   * Cold: nothing opens before it is subscribed.
   */
  watch<K>(
    watch: HostedWatch,
    retry: HostedWatchRetry = DEFAULT_RETRY,
  ): Observable<WatcherEvent<K>> {
    const key = watchKey(watch);
    if (key === undefined) {
      return this.open(watch, retry.strategy, retry.onError) as Observable<WatcherEvent<K>>;
    }
    return new Observable<WatcherEvent<K>>((subscriber) => {
      let entry = this.entries.get(key);
      if (entry === undefined) {
        const onError = new Set<HostedWatchRetry['onError']>();
        const source = this.open(watch, retry.strategy, (error, delayMs, attempt) => {
          for (const hook of onError) hook(error, delayMs, attempt);
        });
        entry = {
          shared: shareWatcher(source, { scheduler: this.scheduler }),
          onError,
          subscribers: 0,
        };
        this.entries.set(key, entry);
      }
      const current = entry;
      current.subscribers += 1;
      const hook: HostedWatchRetry['onError'] = (error, delayMs, attempt) =>
        retry.onError(error, delayMs, attempt);
      current.onError.add(hook);
      return (current.shared.events$ as Observable<WatcherEvent<K>>)
        .pipe(
          finalize(() => {
            current.onError.delete(hook);
            current.subscribers -= 1;
            if (current.subscribers === 0 && this.entries.get(key) === current) {
              this.entries.delete(key);
            }
          }),
        )
        .subscribe(subscriber);
    });
  }

  private open(
    watch: HostedWatch,
    strategy: BackoffStrategy,
    onError: HostedWatchRetry['onError'],
  ): Observable<WatcherEvent<never>> {
    const { scheduler } = this;
    const config = { scheduler, ...watch.config };
    const source =
      watch.kind === 'object'
        ? watcher(watch.api as ListWatchApi<KubeObject>, config)
        : metadataWatcher(watch.api, config);
    return (source as Observable<WatcherEvent<never>>).pipe(
      backoff(strategy, { scheduler, onError }),
    );
  }
}

/** The identity of a watch, or `undefined` when it cannot be shared (its resource is unknown). */
export function watchKey(watch: HostedWatch): string | undefined {
  const api = watch.api as {
    resource?: ApiResource;
    namespace?: string;
    kubeConfig?: { getCurrentCluster?(): { server?: string } | null };
  };
  const resource = api.resource;
  if (resource === undefined) return undefined;
  const server = api.kubeConfig?.getCurrentCluster?.()?.server ?? '';
  const { scheduler: _scheduler, ...settings } = watch.config as WatcherConfig & {
    scheduler?: unknown;
  };
  const sorted = Object.fromEntries(
    Object.entries(settings)
      .filter(([, value]) => value !== undefined && typeof value !== 'function')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return JSON.stringify([
    watch.kind,
    server,
    resource.group,
    resource.version,
    resource.plural,
    api.namespace ?? '',
    sorted,
  ]);
}
