import type { ApiResource, KubeObject } from '@kube-rx/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { Faults } from './faults/faults.js';
import { GarbageCollector } from './gc/garbageCollector.js';
import { buildKubeConfig, type TestKubeConfigOptions } from './kubeConfig.js';
import { ListSnapshots } from './list/listSnapshots.js';
import type { ApiContext } from './operations/apiContext.js';
import { seedObject } from './operations/seedObject.js';
import type { CustomResourceConfig, ResourceDefinition } from './resources/resourceDefinition.js';
import { createDefaultNamespaces } from './resources/defaultNamespaces.js';
import { ResourceRegistry } from './resources/resourceRegistry.js';
import { HttpListener } from './server/httpListener.js';
import { createRequestHandler } from './server/requestHandler.js';
import type { RequestLogEntry } from './server/requestLog.js';
import { ObjectStore } from './store/objectStore.js';
import { WatchHub } from './watch/watchHub.js';

/** Options of {@link startTestApiServer}; every field is optional. */
export interface TestApiServerConfig {
  /** Port on 127.0.0.1. Default `0` (any free port). */
  port?: number;
  /** Events kept for WATCH resumption; older resourceVersions get 410. Default `10000`. */
  watchHistorySize?: number;
  /** Interval of periodic BOOKMARKs on watches with `allowWatchBookmarks`. Default `5000` ms; `0` disables them. */
  bookmarkIntervalMs?: number;
  /** How long a LIST continue token stays valid. Default `300000` ms (the apiserver's 5 min compaction). */
  continueTokenTtlMs?: number;
  /** Create a missing namespace on first use instead of answering 404 like the apiserver. Default `true`. */
  autoCreateNamespaces?: boolean;
  /** Bearer token of the {@link TestApiServer.kubeConfig} user. Default `'kube-rx-test-token'`. */
  token?: string;
  /** Answer 401 to requests without `Authorization: Bearer <token>`. Default `false`. */
  requireToken?: boolean;
  /** Custom resources to register at start. Default none. */
  customResources?: CustomResourceConfig[];
  /**
   * How WATCH serves streaming lists (`sendInitialEvents=true`), to test clients against older
   * servers: `'Enabled'` (default; Kubernetes ≥ 1.32), `'Disabled'` (422 Invalid
   * "sendInitialEvents is forbidden for watch unless the WATCH_LIST feature gate is enabled", as a
   * server with the WatchList feature off; servers before 1.27 refuse `resourceVersionMatch` on
   * a watch with 422 too) or `'Ignored'` (the parameters are ignored: a plain watch, with ADDED
   * for the current objects when `resourceVersion` is unset or `0`, and no initial-events-end
   * bookmark, as a server that does not know them).
   */
  watchList?: WatchListMode;
}

/** See {@link TestApiServerConfig.watchList}. */
export type WatchListMode = 'Enabled' | 'Disabled' | 'Ignored';

/** What tests pass to name a resource: `'configmaps'`, `'leases.coordination.k8s.io'` or an `ApiResource`. */
export type ResourceName = string | ApiResource;

/** Options of {@link TestApiServer.restart}. */
export interface RestartOptions {
  /** Also drop the event history, like an apiserver whose watch cache restarts. Default `false`. */
  dropHistory?: boolean;
}

/**
 * A running in-memory Kubernetes API server. See {@link startTestApiServer}.
 */
export interface TestApiServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The port actually bound on 127.0.0.1 (the chosen one when `config.port` was `0`); kept by `restart()`. */
  readonly port: number;
  /** A client-node `KubeConfig` for this server (token user; context namespace `default`). */
  kubeConfig(options?: TestKubeConfigOptions): KubeConfig;
  /** Fault injection; see {@link Faults}. */
  readonly faults: Faults;
  /** Every request received, in arrival order (a live array; `clearRequests()` empties it). */
  readonly requests: readonly RequestLogEntry[];
  /** Empties the request log. */
  clearRequests(): void;
  /** The last resourceVersion handed out. */
  readonly resourceVersion: string;
  /** Stores objects directly (status kept, upsert); returns the stored copies. */
  seed(objects: KubeObject | readonly KubeObject[]): KubeObject[];
  /**
   * A copy of a stored object, or undefined; typed by the resource (`get(ConfigMap, ...)` is a
   * `ConfigMap`). Stored objects are not decoded: the server may hold what a schema rejects.
   */
  get<K extends KubeObject>(
    resource: ApiResource<K>,
    namespace: string | undefined,
    name: string,
  ): K | undefined;
  /** A copy of a stored object of a resource named by plural (or an untyped resource), or undefined. */
  get(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Copies of the stored objects of a resource (in one namespace, or all), typed by the resource. */
  list<K extends KubeObject>(resource: ApiResource<K>, namespace?: string): K[];
  /** Copies of the stored objects of a resource named by plural (or an untyped resource). */
  list(resource: ResourceName, namespace?: string): KubeObject[];
  /** Serves a custom resource from now on (re-registering replaces the definition, keeps objects). */
  registerCustomResource(definition: CustomResourceConfig): void;
  /** Number of open watches (on `resource`, if given). */
  openWatches(resource?: string): number;
  /** Resolves once at least `count` watches (on `resource`, if given) are open. */
  waitForWatches(count: number, resource?: string): Promise<void>;
  /** Closes every connection and the listener, then listens again on the same port; the store survives. */
  restart(options?: RestartOptions): Promise<void>;
  /** Closes every watch and socket and the listener; leaves no handle open. */
  close(): Promise<void>;
}

function positiveInteger(
  value: number | undefined,
  fallback: number,
  field: string,
  allowZero = false,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(
      `startTestApiServer: ${field} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}`,
    );
  }
  return value;
}

/**
 * Starts an in-memory Kubernetes API server over real HTTP on 127.0.0.1 that client-node and
 * kubectl can talk to: core/v1 namespaces, pods, configmaps, secrets, events;
 * coordination.k8s.io/v1 leases; events.k8s.io/v1 events; CRDs and custom resources.
 * GET/LIST/WATCH/POST/PUT/PATCH/DELETE follow the apiserver (v1.20 recordings): one global
 * resourceVersion, generation, status subresource, finalizers, selectors, pagination with
 * expiring continue tokens, a bounded watch history with 410 Expired, bookmarks,
 * `sendInitialEvents`, errors as `Status` bodies. Faults are programmable via `server.faults`.
 *
 * Bad config throws `TypeError`. Always `await server.close()` (e.g. in `afterEach`).
 *
 * @example
 * ```ts
 * const server = await startTestApiServer({ bookmarkIntervalMs: 200 });
 * const core = server.kubeConfig().makeApiClient(CoreV1Api);
 * await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'a' } } });
 * server.faults.inject({ verb: 'list', status: 503, retryAfterSeconds: 1, times: 1 });
 * await server.close();
 * ```
 */
export async function startTestApiServer(config: TestApiServerConfig = {}): Promise<TestApiServer> {
  const port = positiveInteger(config.port, 0, 'port', true);
  const historySize = positiveInteger(config.watchHistorySize, 10_000, 'watchHistorySize');
  const bookmarkIntervalMs = positiveInteger(
    config.bookmarkIntervalMs,
    5000,
    'bookmarkIntervalMs',
    true,
  );
  const continueTokenTtlMs = positiveInteger(
    config.continueTokenTtlMs,
    300_000,
    'continueTokenTtlMs',
  );
  const token = config.token ?? 'kube-rx-test-token';
  const watchList = config.watchList ?? 'Enabled';
  if (watchList !== 'Enabled' && watchList !== 'Disabled' && watchList !== 'Ignored') {
    throw new TypeError(
      `startTestApiServer: watchList must be 'Enabled', 'Disabled' or 'Ignored', got ${String(watchList)}`,
    );
  }
  const registry = new ResourceRegistry();
  for (const definition of config.customResources ?? []) registry.register(definition);
  const store = new ObjectStore(historySize);
  const snapshots = new ListSnapshots(continueTokenTtlMs);
  const garbageCollector = new GarbageCollector(store);
  const context: ApiContext = {
    store,
    registry,
    snapshots,
    autoCreateNamespaces: config.autoCreateNamespaces ?? true,
    garbageCollector,
  };
  garbageCollector.start(context);
  createDefaultNamespaces(context);
  const hub = new WatchHub(store);
  const log: RequestLogEntry[] = [];
  const pendingDelays = new Set<{ timer: NodeJS.Timeout; resolve: (ran: boolean) => void }>();
  const cancelDelays = () => {
    for (const pending of pendingDelays) {
      clearTimeout(pending.timer);
      pending.resolve(false);
    }
    pendingDelays.clear();
  };
  let refusing = false;
  const faults = new Faults({
    dropWatches: () => {
      for (const stream of hub.all()) stream.destroy();
    },
    malformedWatchLine: () => {
      for (const stream of hub.all()) stream.injectMalformedLine();
    },
    compact: () => {
      store.compact();
      snapshots.clear();
    },
    resetOpenConnections: () => {
      cancelDelays();
      for (const stream of hub.all()) stream.destroy();
      listener.destroyConnections();
    },
    refuseConnections: async (on) => {
      refusing = on;
      if (on) {
        cancelDelays();
        for (const stream of hub.all()) stream.destroy();
        await listener.stop();
      } else {
        await listener.listen(port);
      }
    },
  });
  const listener: HttpListener = new HttpListener(
    createRequestHandler({
      context,
      faults,
      hub,
      log,
      bookmarkIntervalMs,
      watchList,
      requiredToken: config.requireToken === true ? token : undefined,
      serverAddress: (): string => `127.0.0.1:${listener.port}`,
      delay: (ms) =>
        new Promise<boolean>((resolve) => {
          const pending = {
            timer: setTimeout(() => {
              pendingDelays.delete(pending);
              resolve(true);
            }, ms),
            resolve,
          };
          pendingDelays.add(pending);
        }),
    }),
  );
  const boundPort = await listener.listen(port);
  const url = `http://127.0.0.1:${boundPort}`;
  let closed = false;
  const resolve = (resource: ResourceName): ResourceDefinition => registry.resolve(resource);
  const shutdown = async () => {
    cancelDelays();
    for (const stream of hub.all()) stream.destroy();
    await listener.stop();
  };

  return {
    url,
    port: boundPort,
    faults,
    get requests() {
      return log;
    },
    clearRequests: () => {
      log.length = 0;
    },
    get resourceVersion() {
      return String(store.currentResourceVersion);
    },
    kubeConfig: (options = {}) =>
      buildKubeConfig(url, options.token ?? token, options.namespace ?? 'default'),
    seed: (objects) => {
      const list = Array.isArray(objects) ? objects : [objects as KubeObject];
      return list.map((object: KubeObject) => {
        const [group, version] = splitApiVersion(object.apiVersion ?? '');
        const definition = registry
          .all()
          .find((d) => d.group === group && d.version === version && d.kind === object.kind);
        if (definition === undefined) {
          throw new TypeError(
            `seed: no resource serves ${object.apiVersion ?? '?'} ${object.kind ?? '?'}`,
          );
        }
        return seedObject(context, definition, object).clone();
      });
    },
    get: (resource: ResourceName, namespace: string | undefined, name: string) => {
      const definition = resolve(resource);
      return store.get(definition, definition.namespaced ? namespace : undefined, name)?.clone();
    },
    list: (resource: ResourceName, namespace?: string) =>
      store.list(resolve(resource), namespace).map((object) => object.clone()),
    registerCustomResource: (definition) => {
      registry.register(definition);
    },
    openWatches: (resource) => hub.count(resource),
    waitForWatches: (count, resource) => hub.waitFor(count, resource),
    restart: async (options = {}) => {
      if (closed) throw new Error('test apiserver is closed');
      await shutdown();
      if (options.dropHistory === true) {
        store.compact();
        snapshots.clear();
      }
      if (!refusing) await listener.listen(boundPort);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      hub.close();
      await shutdown();
    },
  };
}

function splitApiVersion(apiVersion: string): [group: string, version: string] {
  const slash = apiVersion.indexOf('/');
  return slash === -1
    ? ['', apiVersion]
    : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}
