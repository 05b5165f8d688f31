import type { ApiResource, KubeObject } from '@kube-rx/core';
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
import type { HostedWatch } from '../controller/controllerHost.js';

/** Options of {@link SharedCacheRegistry}. */
export interface SharedCacheRegistryConfig {
  /** Clock and timers of the watchers and of the deliveries to subscribers. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

interface Entry {
  readonly shared: SharedWatcher<never>;
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
 * - Errors of the shared watch reach every subscriber (each controller's trigger backoff counts
 *   and reports them); the first to re-subscribe resumes it.
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
  watch<K>(watch: HostedWatch): Observable<WatcherEvent<K>> {
    const key = watchKey(watch);
    if (key === undefined) return this.open(watch) as Observable<WatcherEvent<K>>;
    return new Observable<WatcherEvent<K>>((subscriber) => {
      let entry = this.entries.get(key);
      if (entry === undefined) {
        entry = {
          shared: shareWatcher(this.open(watch), { scheduler: this.scheduler }),
          subscribers: 0,
        };
        this.entries.set(key, entry);
      }
      const current = entry;
      current.subscribers += 1;
      return (current.shared.events$ as Observable<WatcherEvent<K>>)
        .pipe(
          finalize(() => {
            current.subscribers -= 1;
            if (current.subscribers === 0 && this.entries.get(key) === current) {
              this.entries.delete(key);
            }
          }),
        )
        .subscribe(subscriber);
    });
  }

  private open(watch: HostedWatch): Observable<WatcherEvent<never>> {
    const config = { scheduler: this.scheduler, ...watch.config };
    return (
      watch.kind === 'object'
        ? watcher(watch.api as ListWatchApi<KubeObject>, config)
        : metadataWatcher(watch.api, config)
    ) as Observable<WatcherEvent<never>>;
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
