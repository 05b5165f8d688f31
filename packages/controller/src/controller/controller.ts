import {
  backoff,
  defaultBackoffStrategy,
  defaultLogger,
  objectRef,
  type Logger,
  type ApiResource,
  type BackoffStrategy,
  type KubeObject,
  type ObjectRef,
} from '@kube-rx/core';
import {
  createStore,
  finalizers,
  metadataWatcher,
  predicateFilter,
  reflect,
  watcher,
  type ListWatchApi,
  type MetadataListWatchApi,
  type Predicate,
  type PredicateFilterConfig,
  type Store,
  type WatcherConfig,
  type WatcherEvent,
} from '@kube-rx/watcher';
import {
  asyncScheduler,
  defer,
  finalize,
  from,
  isObservable,
  map,
  merge,
  mergeMap,
  Observable,
  Subject,
  take,
  tap,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import type { Result } from '../result.js';
import { accessTo, type ResourceAccess } from '../manifests/resourceAccess.js';
import { normalizeErrorPolicy, type ErrorPolicy } from '../errorPolicy/errorPolicy.js';
import { DEFAULT_RUNNER_CONCURRENCY } from '../runner.js';
import { applier } from './applier.js';
import type { ApplierConfig } from './applier/applierConfig.js';
import { assertReconcileFunction, type ReconcileFunction } from './applier/reconcileFunction.js';
import { resolveApplierConfig } from './applier/resolveApplierConfig.js';
import type { ControllerError } from './controllerError.js';
import type { ReconcileOk } from './reconcileOk.js';
import type { ControllerHost, HostedWatch } from './controllerHost.js';
import { ReconcileReason, type ReconcileRequest } from './reconcileReason.js';
import { triggerOthers } from './triggers/triggerOthers.js';
import { triggerOwners } from './triggers/triggerOwners.js';
import { triggerSelf } from './triggers/triggerSelf.js';

/** What `new Controller(api)` needs of an `Api<K>`: list/watch and its resource. */
export type ControllerApi<K> = ListWatchApi<K> & {
  /**
   * The main kind: `owns` matches `ownerReferences` against its `kind` and `apiVersion`, and
   * its `plural` is the default controller name (metrics, logs).
   */
  readonly resource: ApiResource;
};

/** What `owns` needs of an `Api`: metadata list/watch and its resource. */
export type OwnedApi = MetadataListWatchApi & {
  /** The owned kind: its `kind` and `apiVersion` go into the `related` ref of each request. */
  readonly resource: ApiResource;
};

/** What `watches` needs of an `Api<O>`: list/watch (and, for metrics labels, its resource). */
export type WatchedApi<O> = ListWatchApi<O> & {
  /**
   * The watched kind, when known: labels its trigger stream's errors and fills `related.kind`
   * for objects that arrive without `kind`. Absent: the label says `object`.
   */
  readonly resource?: ApiResource;
};

/** Options of {@link Controller.owns}. */
export interface OwnsConfig extends WatcherConfig {
  /**
   * Only follow owner references with `controller: true`. Default `false`: every owner
   * reference whose `apiVersion` and `kind` are the controller's main kind triggers (as
   * kube-runtime's `owns`).
   */
  controllerOnly?: boolean;
}

/** Options of {@link Controller.withConfig}: the {@link ApplierConfig} plus trigger-stream settings. */
export interface ControllerConfig extends Omit<
  ApplierConfig,
  'readiness' | 'shutdown' | 'queueErrors'
> {
  /**
   * Backoff of every trigger stream (watchers and `reconcileOn` streams) when it fails; their
   * errors are also emitted as `Err(QueueError)`. Default `defaultBackoffStrategy()` (800 ms ×2
   * up to 30 s, jittered).
   */
  triggerBackoff?: BackoffStrategy;
}

/**
 * One trigger stream of a controller: `source` (a watcher, or the user's stream) gets the trigger
 * backoff, then `toRequests` turns what it emits into requests. `label` names it in metrics.
 */
interface Trigger {
  readonly label: string;
  readonly source: (scheduler: SchedulerLike) => Observable<unknown>;
  readonly toRequests: OperatorFunction<unknown, ReconcileRequest>;
  /** The watch `source` opens, when it is one: a host may supply a shared stream instead. */
  readonly watch?: HostedWatch;
}

/** Builds a {@link Trigger} with its types checked, stored without them. */
function trigger<T>(
  label: string,
  source: (scheduler: SchedulerLike) => Observable<T>,
  toRequests: OperatorFunction<T, ReconcileRequest>,
  watch?: HostedWatch,
): Trigger {
  return {
    label,
    source,
    toRequests: toRequests as OperatorFunction<unknown, ReconcileRequest>,
    ...(watch ? { watch } : {}),
  };
}

/**
 * A controller, built like kube-runtime's: it watches a main kind into a `Store` (`@kube-rx/watcher`),
 * reconciles each object when it (or something related) changes, and reports every run as a
 * `Result<ReconcileOk, ControllerError>`.
 *
 * ```
 * watcher(api) → backoff → reflect(store) → appliedObjects ─┐
 * owns(api): metadataWatcher → ownerReferences ────────────┤
 * watches(api, cfg, mapper) ───────────────────────────────┼→ scheduler({debounce}) → runner({concurrency, readiness}) → Result
 * reconcileOn / reconcileAllOn ────────────────────────────┤            ▲                      │
 * requeues (Action.requeue, error policy) ─────────────────┘            └──────────────────────┘
 * ```
 *
 * - Deletions of the main object do not trigger reconciles (the object is gone from the store);
 *   use {@link finalizer} for cleanup.
 * - Nothing runs before the main store is ready (first list complete). The object is read from
 *   the store when its run starts, so a run always sees the newest cached version.
 * - Every trigger stream gets a backoff; a failing watcher never ends the controller (its
 *   errors show up as `Err(QueueError)`). One failing reconcile never ends it either.
 * - The builder methods configure this instance and return it; `run` may be called once per
 *   subscription (each subscription starts its own watchers).
 *
 * @example
 * ```ts
 * const widgets = Api.namespaced<Widget>(kc, WidgetResource, 'default');
 * const configMaps = Api.namespaced<ConfigMap>(kc, ConfigMap, 'default');
 * new Controller(widgets)
 *   .owns(configMaps)
 *   .withConfig({ concurrency: 8, debounce: 500 })
 *   .shutdownOnSignal()
 *   .run(reconcile, perKeyBackoff(), { widgets, configMaps })
 *   .subscribe((result) => {
 *     if (result.err) console.warn(result.val.message);
 *   });
 * ```
 */
export class Controller<K extends KubeObject> {
  /** The cache of the main kind, filled while `run` is subscribed. */
  readonly store: Store<K>;
  private readonly resource: ApiResource | undefined;
  private readonly triggers: Trigger[] = [];
  // What the triggers read (for describeAccess); the main resource is added from `resource`.
  private readonly watched: Array<{ resource: ApiResource; owned: boolean }> = [];
  private mainPredicate:
    ((source: Observable<WatcherEvent<K>>) => Observable<WatcherEvent<K>>) | undefined;
  private readonly shutdownSignals: Array<Observable<unknown>> = [];
  private config: ControllerConfig = {};

  /**
   * A controller for the objects `api` lists and watches (an `Api<K>`), with `watcherConfig`
   * for its watcher (label selector etc.).
   */
  constructor(api: ControllerApi<K>, watcherConfig?: WatcherConfig);
  /** @internal used by {@link Controller.forStream} */
  constructor(api: undefined, watcherConfig: undefined, stream: StreamSource<K>);
  constructor(
    api: ControllerApi<K> | undefined,
    watcherConfig?: WatcherConfig,
    stream?: StreamSource<K>,
  ) {
    if (stream) {
      this.store = stream.store;
      this.resource = stream.resource;
      this.triggers.push(
        trigger(
          'main',
          () => stream.objects$,
          map((object: K) => ({ ref: objectRef(object), reason: ReconcileReason.objectUpdated() })),
        ),
      );
      return;
    }
    if (!api || typeof api.watch !== 'function' || typeof api.list !== 'function') {
      throw new TypeError('Controller: api must be an Api<K> (list and watch)');
    }
    const { store, writer } = createStore<K>();
    this.store = store;
    this.resource = api.resource;
    this.triggers.push(
      trigger(
        'main',
        (scheduler) => watcher(api, { scheduler, ...watcherConfig }),
        (events$: Observable<WatcherEvent<K>>) => {
          const reflected$ = events$.pipe(reflect(writer));
          const predicate = this.mainPredicate;
          return (predicate ? predicate(reflected$) : reflected$).pipe(triggerSelf());
        },
        { kind: 'object', api: api as ListWatchApi<unknown>, config: watcherConfig ?? {} },
      ),
    );
  }

  /**
   * A controller over a stream of objects you already watch and reflect into `store` yourself
   * (kube-runtime's `for_stream`): each emitted object is reconciled (reason `ObjectUpdated`),
   * read from `store` at run time. Give `resource` (the main kind) to use {@link owns}. The
   * stream gets the trigger backoff; when it completes, the controller finishes what was
   * requested and completes.
   *
   * Build `objects$` with `appliedObjects()` placed after `reflect(writer)` (or after
   * `shareWatcher`, whose store is fed first): it emits a relist's objects once they are in the
   * store, so no run reads the cache of before the relist.
   *
   * @example
   * ```ts
   * const { store, writer } = createStore<Widget>();
   * const shared$ = watcher(widgets).pipe(defaultBackoff(), reflect(writer), share());
   * Controller.forStream(shared$.pipe(appliedObjects()), store, WidgetResource).run(reconcile, policy, ctx);
   * ```
   */
  static forStream<K extends KubeObject>(
    objects$: Observable<K>,
    store: Store<K>,
    resource?: ApiResource,
  ): Controller<K> {
    if (!isObservable(objects$))
      throw new TypeError('Controller.forStream: objects$ must be an Observable');
    if (!store || typeof store.get !== 'function') {
      throw new TypeError('Controller.forStream: store must be a Store');
    }
    return new Controller<K>(undefined, undefined, {
      objects$,
      store,
      ...(resource ? { resource } : {}),
    });
  }

  /**
   * Reconciles the owner when an owned object (a child) changes or is deleted: watches `api`'s
   * metadata (`metadataWatcher`, less memory) and maps each child's `ownerReferences` with the
   * main kind's `apiVersion` and `kind` to the owner (in the child's namespace; reason
   * `RelatedObjectUpdated` with the child's ref). Set `controllerOnly` to follow only the
   * controller reference. Throws a `TypeError` when the main kind is unknown (`forStream`
   * without `resource`).
   *
   * @example
   * ```ts
   * new Controller(widgets).owns(Api.namespaced(kc, ConfigMap, 'default'));
   * ```
   */
  owns(api: OwnedApi, config: OwnsConfig = {}): this {
    const main = this.resource;
    if (!main)
      throw new TypeError('Controller.owns: the main kind is unknown (give forStream a resource)');
    if (!api || typeof api.watchMetadata !== 'function') {
      throw new TypeError('Controller.owns: api must be an Api (metadata list and watch)');
    }
    const { controllerOnly = false, ...watcherConfig } = config;
    const childKind = api.resource.kind;
    this.watched.push({ resource: api.resource, owned: true });
    const owners = triggerOwners(main, { controllerOnly, childResource: api.resource });
    this.triggers.push(
      trigger(
        `owns:${childKind}`,
        (scheduler) => metadataWatcher(api, { scheduler, ...watcherConfig }),
        owners,
        { kind: 'metadata', api, config: watcherConfig },
      ),
    );
    return this;
  }

  /**
   * Reconciles the objects `mapper` names when an object of another kind changes or is deleted
   * (kube-runtime's `watches`): `mapper(object)` returns refs of main objects (one, several, or
   * none); reason `RelatedObjectUpdated` with the watched object's ref.
   *
   * @example
   * ```ts
   * controller.watches(secrets, { labelSelector: 'app=widgets' }, (secret) =>
   *   controller.store.list().filter((w) => w.spec?.secretName === secret.metadata?.name).map(objectRef));
   * ```
   */
  watches<O extends KubeObject>(
    api: WatchedApi<O>,
    config: WatcherConfig,
    mapper: (object: O) => ObjectRef | Iterable<ObjectRef> | undefined | null,
  ): this {
    if (!api || typeof api.watch !== 'function') {
      throw new TypeError('Controller.watches: api must be an Api (list and watch)');
    }
    if (typeof mapper !== 'function')
      throw new TypeError('Controller.watches: mapper must be a function');
    const label = `watches:${api.resource?.kind ?? 'object'}`;
    if (api.resource) this.watched.push({ resource: api.resource, owned: false });
    const others = triggerOthers(mapper, api.resource);
    this.triggers.push(
      trigger(label, (scheduler) => watcher(api, { scheduler, ...config }), others, {
        kind: 'object',
        api: api as ListWatchApi<unknown>,
        config,
      }),
    );
    return this;
  }

  /**
   * The resources and verbs this controller needs, for RBAC (`kube-rx rbac`, `clusterRole()`):
   * the main kind (get/list/watch, and patch/update for finalizers and metadata), its
   * `status` (get/patch/update) and `finalizers` (update, for `blockOwnerDeletion` on owned
   * objects); each owned kind (get/list/watch and create/update/patch/delete:
   * a controller writes what it owns); each watched kind whose `Api` has a resource
   * (get/list/watch). What the reconciler does beyond that (events, leases, other kinds) is not
   * known here: `clusterRole()` adds events, and leader-election leases on request.
   *
   * @example
   * ```ts
   * for (const { group, plural, subresource, verbs } of controller.describeAccess()) {
   *   console.log(`${group || 'core'} ${plural}${subresource ? `/${subresource}` : ''}: ${verbs.join(',')}`);
   * }
   * ```
   */
  describeAccess(): ResourceAccess[] {
    const access: ResourceAccess[] = [];
    const main = this.resource;
    if (main) {
      access.push(accessTo(main, ['get', 'list', 'watch', 'patch', 'update']));
      access.push(accessTo(main, ['get', 'patch', 'update'], 'status'));
      // Setting blockOwnerDeletion on owned objects needs update on the owner's finalizers
      // where the OwnerReferencesPermissionEnforcement admission plugin is on.
      access.push(accessTo(main, ['update'], 'finalizers'));
    }
    for (const { resource, owned } of this.watched) {
      access.push(
        accessTo(
          resource,
          owned
            ? ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']
            : ['get', 'list', 'watch'],
        ),
      );
    }
    return access;
  }

  /**
   * Reconciles the objects emitted by `trigger$` (refs of main objects; reason `Unknown`, or
   * pass `{ ref, reason }` requests for your own reason). The stream gets the trigger backoff.
   *
   * @example
   * ```ts
   * const externalChanges$ = new Subject<string>(); // ids from a queue or a webhook
   * controller.reconcileOn(externalChanges$.pipe(map((id) => ({ namespace: 'default', name: id }))));
   * ```
   */
  reconcileOn(trigger$: Observable<ObjectRef | ReconcileRequest>): this {
    if (!isObservable(trigger$))
      throw new TypeError('Controller.reconcileOn: expected an Observable');
    this.triggers.push(
      trigger(
        'trigger',
        () => trigger$,
        map((value) =>
          'ref' in value && 'reason' in value
            ? (value as ReconcileRequest)
            : { ref: value as ObjectRef, reason: ReconcileReason.unknown() },
        ),
      ),
    );
    return this;
  }

  /**
   * Reconciles every object in the store each time `trigger$` emits (reason `BulkReconcile`),
   * e.g. when a shared configuration changes.
   *
   * @example
   * ```ts
   * controller.reconcileAllOn(watchObject(configMaps, 'operator-settings'));
   * ```
   */
  reconcileAllOn(trigger$: Observable<unknown>): this {
    if (!isObservable(trigger$))
      throw new TypeError('Controller.reconcileAllOn: expected an Observable');
    const store = this.store;
    this.triggers.push(
      trigger(
        'trigger',
        () => trigger$,
        mergeMap(() =>
          store.list().map((object) => ({
            ref: objectRef(object),
            reason: ReconcileReason.bulkReconcile(),
          })),
        ),
      ),
    );
    return this;
  }

  /**
   * Reconciles a change of the main object only when `predicate` says it matters, like
   * kube-runtime's `predicate_filter`: with `generation`, a status write (which does not bump
   * `metadata.generation`) no longer triggers another reconcile. Uses the watcher package's
   * predicates (`generation`, `labels`, `annotations`, `finalizers`, `resourceVersion`,
   * `combine`, `fallback`) or your own.
   *
   * What always passes: the objects of a (re)list (so a relist is reconciled at its new state),
   * deletions and objects being deleted (finalizers must run), a re-created object (new uid), and
   * a change of `metadata.finalizers` — `finalizer()` adds its finalizer and waits for that change
   * to apply, so filtering it out would stall every new object. The store still holds every version: the filter decides only what triggers a run.
   * Other triggers (`owns`, `watches`, requeues) are not filtered. Calling it again replaces the
   * predicate; `config` is `predicateFilter`'s (`ttl` of the per-object memory).
   *
   * @example
   * ```ts
   * new Controller(widgets).withPredicate(generation).run(reconcile, perKeyBackoff(), ctx);
   * ```
   */
  withPredicate(predicate: Predicate<K>, config: PredicateFilterConfig = {}): this {
    predicateFilter(predicate, config); // validates now
    this.mainPredicate = (events$) => {
      // Built per subscription, with the clock the controller is configured with by then.
      const scheduler = this.config.scheduler;
      const filterConfig = { ...(scheduler ? { scheduler } : {}), ...config, passLists: true };
      return events$.pipe(predicateFilter(withFinalizers(predicate), filterConfig));
    };
    return this;
  }

  /**
   * Sets options (merged into earlier ones); see {@link ControllerConfig}. Validated when `run`
   * is called.
   *
   * @example
   * ```ts
   * controller.withConfig({ concurrency: 4, debounce: 1_000, reconcileTimeout: 60_000 });
   * ```
   */
  withConfig(config: ControllerConfig): this {
    this.config = { ...this.config, ...config };
    return this;
  }

  /**
   * Shuts down gracefully when `signal` emits or resolves: no new reconcile starts, running ones
   * get `shutdownTimeout` (30 s) to finish, then the results stream completes.
   *
   * @example
   * ```ts
   * const abortController = new AbortController();
   * controller.gracefulShutdownOn(abortController.signal.aborted ? of(1) : fromEvent(abortController.signal, 'abort'));
   * ```
   */
  gracefulShutdownOn(signal: Observable<unknown> | PromiseLike<unknown>): this {
    this.shutdownSignals.push(defer(() => from(signal as Observable<unknown>)));
    return this;
  }

  /**
   * Shuts down gracefully on SIGTERM or SIGINT (or the given signals), like
   * {@link gracefulShutdownOn}. The handlers are installed only while `run` is subscribed, and
   * they replace Node's default "exit at once": the process exits when the results stream
   * completes and nothing else keeps it alive.
   *
   * @example
   * ```ts
   * new Controller(widgets).shutdownOnSignal().run(reconcile, policy, ctx).subscribe();
   * ```
   */
  shutdownOnSignal(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): this {
    this.shutdownSignals.push(
      new Observable<NodeJS.Signals>((subscriber) => {
        const handlers = signals.map((signal) => {
          const handler = (): void => subscriber.next(signal);
          process.on(signal, handler);
          return [signal, handler] as const;
        });
        return () => {
          for (const [signal, handler] of handlers) process.off(signal, handler);
        };
      }),
    );
    return this;
  }

  /**
   * Starts the controller when subscribed: runs `reconcile(object, context)` for every object
   * that needs it and emits one `Result` per run. `errorPolicy` decides what happens after a
   * failure (a function or `{ onError, onSuccess }`, sync or async; e.g. `perKeyBackoff()`).
   * Unsubscribing stops everything at once (watchers, timers, running Observable reconciles).
   *
   * @example
   * ```ts
   * controller.run(reconcile, perKeyBackoff(), ctx).subscribe((result) => console.log(result));
   * ```
   */
  run<C>(
    reconcile: ReconcileFunction<K, C>,
    errorPolicy: ErrorPolicy<K, unknown, C>,
    context: C,
  ): Observable<Result<ReconcileOk, ControllerError>> {
    return this.start(reconcile, errorPolicy, context, undefined);
  }

  /**
   * {@link run} inside a host — what an `Operator` calls: the host supplies the watch streams
   * (shared between its controllers), decides which keys may be reconciled now (leadership,
   * shards), and signals the graceful shutdown. Everything else is as with `run`.
   *
   * @example
   * ```ts
   * const registry = new SharedCacheRegistry();
   * const host: ControllerHost = {
   *   watch: (watch, retry) => registry.watch(watch, retry),
   *   admits: () => true,
   *   admitted$: NEVER,
   *   shutdown$: NEVER,
   *   shutdownTimeout: 25_000,
   * };
   * new Controller(widgets).runWithin(host, reconcile, perKeyBackoff(), ctx).subscribe();
   * ```
   */
  runWithin<C>(
    host: ControllerHost,
    reconcile: ReconcileFunction<K, C>,
    errorPolicy: ErrorPolicy<K, unknown, C>,
    context: C,
  ): Observable<Result<ReconcileOk, ControllerError>> {
    if (!host || typeof host.watch !== 'function' || typeof host.admits !== 'function') {
      throw new TypeError('Controller.runWithin: host must be a ControllerHost');
    }
    return this.start(reconcile, errorPolicy, context, host);
  }

  private start<C>(
    reconcile: ReconcileFunction<K, C>,
    errorPolicy: ErrorPolicy<K, unknown, C>,
    context: C,
    host: ControllerHost | undefined,
  ): Observable<Result<ReconcileOk, ControllerError>> {
    const { triggerBackoff, ...config } = this.config;
    const scheduler = config.scheduler ?? host?.scheduler ?? asyncScheduler;
    const strategy = triggerBackoff ?? defaultBackoffStrategy();
    const name = config.name ?? this.resource?.plural ?? 'controller';
    const metrics = config.metrics ?? host?.metrics;
    const mainKind = this.resource?.kind ?? 'object';
    // `owns:ConfigMap` → `ConfigMap`; `trigger` stays.
    const kindOf = (label: string): string =>
      label === 'main' ? mainKind : label.slice(label.indexOf(':') + 1);
    const triggers = [...this.triggers];
    const shutdown = [...this.shutdownSignals, ...(host ? [host.shutdown$] : [])];
    const store = this.store;
    const shard = hostedShard(config.shard, host);
    const configuredLogger = config.logger ?? host?.logger;
    const logger = (): Logger => configuredLogger ?? defaultLogger();
    const applierConfig: ApplierConfig = {
      ...config,
      name,
      scheduler,
      ...(metrics ? { metrics } : {}),
      ...(configuredLogger ? { logger: configuredLogger } : {}),
      ...(shard ? { shard } : {}),
      ...(host ? { shutdownTimeout: host.shutdownTimeout } : {}),
      ...(shutdown.length > 0 ? { shutdown: merge(...shutdown) } : {}),
    };
    // Validates the reconcile function, the policy and the config now rather than at subscribe
    // (the applier checks them the same way when it is created).
    assertReconcileFunction(reconcile);
    normalizeErrorPolicy(errorPolicy);
    resolveApplierConfig(applierConfig);
    if (host) {
      // Requests dropped while keys were not admitted come back as one bulk request.
      triggers.push(
        trigger(
          'admitted',
          () => host.admitted$,
          mergeMap(() =>
            store.list().map((object) => ({
              ref: objectRef(object),
              reason: ReconcileReason.bulkReconcile(),
            })),
          ),
        ),
      );
    }
    return defer(() => {
      const startedAt = scheduler.now();
      logger().info('controller starting', {
        controller: name,
        kind: mainKind,
        watches: triggers.map(({ label }) => (label === 'main' ? mainKind : label)),
        concurrency: config.concurrency ?? DEFAULT_RUNNER_CONCURRENCY,
      });
      const readiness = store.ready$.pipe(
        take(1),
        tap(() =>
          logger().info('controller caches synced', {
            controller: name,
            objects: { [mainKind]: store.size },
            durationMs: scheduler.now() - startedAt,
          }),
        ),
      );
      const untrackCache = metrics?.trackCache(mainKind, store);
      const queueErrors$ = new Subject<unknown>();
      // The one place where trigger streams get their backoff: each failure is counted and
      // reported as a QueueError, and the stream resumes.
      const requests$ = triggers.map(({ label, source, toRequests, watch }) => {
        const onError = (error: unknown, delayMs: number | undefined, attempt: number): void => {
          metrics?.watcherRestarts.inc({ kind: kindOf(label) });
          logger().warn('controller watch failed; retrying', {
            controller: name,
            watcher: label,
            error,
            delayMs,
            attempt,
          });
          queueErrors$.next(error);
        };
        const source$ =
          host && watch
            ? host.watch(watch, { strategy, onError })
            : source(scheduler).pipe(backoff(strategy, { scheduler, onError }));
        return source$.pipe(toRequests);
      });
      const results$ = applier(reconcile, errorPolicy, context, store, merge(...requests$), {
        ...applierConfig,
        readiness,
        queueErrors: queueErrors$,
      });
      // Without metrics there is nothing to untrack, and no stage to pass every result through.
      return untrackCache === undefined ? results$ : results$.pipe(finalize(untrackCache));
    });
  }
}

/** The controller's own shard predicate combined with what its host admits. */
function hostedShard(
  own: ((ref: ObjectRef) => boolean) | undefined,
  host: ControllerHost | undefined,
): ((ref: ObjectRef) => boolean) | undefined {
  if (!host) return own;
  if (own === undefined) return (ref) => host.admits(ref);
  if (typeof own !== 'function') return own; // rejected by resolveApplierConfig
  return (ref) => own(ref) && host.admits(ref);
}

/** The source of a controller made by {@link Controller.forStream}. */
interface StreamSource<K> {
  objects$: Observable<K>;
  store: Store<K>;
  resource?: ApiResource;
}

/**
 * `predicate`, also changing when `metadata.finalizers` does; `undefined` (always passes) where
 * `predicate` is, e.g. `generation` on kinds without one.
 */
function withFinalizers<K extends KubeObject>(predicate: Predicate<K>): Predicate<K> {
  return (object) => {
    const value = predicate(object);
    if (value === undefined) return undefined;
    return `${typeof value}:${String(value)}|${finalizers(object) as string}`;
  };
}
