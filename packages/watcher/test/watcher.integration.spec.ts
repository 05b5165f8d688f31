import { firstValueFrom, type Subscription } from 'rxjs';
import { Api, backoff, ConfigMap, exponentialBackoff, type KubeObject } from '@kube-rx/core';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import {
  createStore,
  isWatcherError,
  reflect,
  watcher,
  type Store,
  type WatcherConfig,
  type WatcherErrorKind,
} from '@kube-rx/watcher';

const NAMESPACE = 'default';
// The paged-list specs ask for it: the default streams the initial list where it can.
const LIST_WATCH: WatcherConfig = { initialListStrategy: 'ListWatch' };

let server: TestApiServer;
let api: Api<KubeObject>;
let subscription: Subscription | undefined;

afterEach(async () => {
  subscription?.unsubscribe();
  subscription = undefined;
  await server?.close();
});

async function start(serverConfig: Parameters<typeof startTestApiServer>[0] = {}): Promise<void> {
  server = await startTestApiServer({ bookmarkIntervalMs: 0, ...serverConfig });
  api = Api.namespaced<KubeObject>(server.kubeConfig(), ConfigMap, NAMESPACE);
}

/** Runs `watcher → fast backoff → reflect` and records the kinds of the errors it recovered from. */
function run(config: WatcherConfig = {}): { store: Store<KubeObject>; errors: WatcherErrorKind[] } {
  const { store, writer } = createStore<KubeObject>();
  const errors: WatcherErrorKind[] = [];
  subscription = watcher(api, config)
    .pipe(
      backoff(exponentialBackoff({ initialDelay: 10, maxDelay: 50 }), {
        onError: (error) => {
          if (isWatcherError(error)) errors.push(error.kind);
        },
      }),
      reflect(writer),
    )
    .subscribe();
  return { store, errors };
}

function configMap(name: string, value = '1'): KubeObject & { data: Record<string, string> } {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: NAMESPACE },
    data: { value },
  };
}

async function create(name: string, value?: string): Promise<void> {
  await firstValueFrom(api.create(configMap(name, value)));
}

/** name → resourceVersion of every object. */
function versions(objects: readonly KubeObject[]): Record<string, string | undefined> {
  return Object.fromEntries(
    objects.map((object) => [object.metadata?.name ?? '', object.metadata?.resourceVersion]),
  );
}

/** Resolves when `check()` holds, re-checking after every store change and request; fails after 10 s. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const storeMatchesServer = (store: Store<KubeObject>) => () =>
  JSON.stringify(versions(store.list().sort(byName))) ===
  JSON.stringify(versions(server.list('configmaps', NAMESPACE).sort(byName)));

const byName = (left: KubeObject, right: KubeObject) =>
  (left.metadata?.name ?? '').localeCompare(right.metadata?.name ?? '');

const requestsOf = (verb: 'list' | 'watch') =>
  server.requests.filter((request) => request.resource === 'configmaps' && request.verb === verb);

describe('watcher against the test API server', () => {
  it('syncs a paged list and follows changes', async () => {
    await start();
    for (let i = 0; i < 7; i++) await create(`cm-${i}`);
    const { store } = run({ ...LIST_WATCH, pageSize: 3 });
    await store.ready();
    expect(store.size).toBe(7);
    expect(requestsOf('list').map((request) => request.query.continue !== undefined)).toEqual([
      false,
      true,
      true,
    ]);
    await create('late');
    await firstValueFrom(api.delete('cm-0'));
    await until(storeMatchesServer(store), 'the store matches the server');
    expect(store.get({ namespace: NAMESPACE, name: 'late' })).toBeDefined();
    expect(store.get({ namespace: NAMESPACE, name: 'cm-0' })).toBeUndefined();
  });

  it('a dropped watch costs exactly one new WATCH, from the last resourceVersion, and no LIST', async () => {
    await start();
    await create('a');
    const { store, errors } = run(LIST_WATCH);
    await store.ready();
    await server.waitForWatches(1, 'configmaps');
    await create('b');
    await until(() => store.size === 2, 'b is in the store');
    const lastVersion = store.get({ namespace: NAMESPACE, name: 'b' })?.metadata?.resourceVersion;
    server.clearRequests();

    server.faults.dropWatches();
    await server.waitForWatches(1, 'configmaps');
    await create('c');
    await until(storeMatchesServer(store), 'the store matches the server');

    expect(requestsOf('list')).toHaveLength(0);
    expect(requestsOf('watch').map((request) => request.query.resourceVersion)).toEqual([
      lastVersion,
    ]);
    expect(errors).toEqual(['WatchFailed']);
  });

  it('relists after compaction (410 on re-watch); objects deleted meanwhile leave the store', async () => {
    await start();
    await create('keep');
    await create('doomed');
    const { store, errors } = run(LIST_WATCH);
    await store.ready();
    await server.waitForWatches(1, 'configmaps');

    // Take the watch down and keep it down while the object is deleted and history compacted.
    const blockWatches = server.faults.inject({
      verb: 'watch',
      resource: 'configmaps',
      status: 503,
    });
    server.faults.dropWatches();
    await firstValueFrom(api.delete('doomed'));
    await create('born');
    server.faults.compact();
    server.clearRequests();
    blockWatches.remove();

    await until(storeMatchesServer(store), 'the store matches the server');
    expect(store.get({ namespace: NAMESPACE, name: 'doomed' })).toBeUndefined();
    expect(store.get({ namespace: NAMESPACE, name: 'born' })).toBeDefined();
    expect(errors).toContain('WatchError');
    expect(requestsOf('list').length).toBeGreaterThanOrEqual(1);
  });

  it('rides out 503 and 429 storms on LIST and WATCH with backoff, then matches the server', async () => {
    await start();
    for (let i = 0; i < 5; i++) await create(`cm-${i}`);
    server.faults.inject({ verb: 'list', resource: 'configmaps', status: 503, times: 4 });
    server.faults.inject({ verb: 'watch', resource: 'configmaps', status: 429, times: 3 });
    const { store, errors } = run(LIST_WATCH);
    await store.ready();
    await server.waitForWatches(1, 'configmaps');
    await create('after-storm');
    await until(storeMatchesServer(store), 'the store matches the server');
    expect(errors.filter((kind) => kind === 'InitialListFailed')).toHaveLength(4);
    expect(errors.filter((kind) => kind === 'WatchStartFailed')).toHaveLength(3);
    // Failed watches resumed from the list's resourceVersion: one successful LIST in all.
    expect(requestsOf('list').filter((request) => request.status === 200)).toHaveLength(1);
  });

  it('restarts the list cleanly when a continue token expires mid-list', async () => {
    await start();
    for (let i = 0; i < 6; i++) await create(`cm-${i}`);
    // Hold the second page long enough to compact the server's list snapshots under it.
    const slowPage = server.faults.inject({
      verb: 'list',
      resource: 'configmaps',
      delayMs: 300,
      times: 2,
    });
    const { store } = run({ ...LIST_WATCH, pageSize: 2 });
    await until(
      () => requestsOf('list').some((request) => request.query.continue),
      'a continue page is requested',
    );
    server.faults.compact();
    await store.ready();
    slowPage.remove();
    await until(storeMatchesServer(store), 'the store matches the server');
    const lists = requestsOf('list');
    const expired = lists.findIndex((request) => request.status === 410);
    expect(expired).toBeGreaterThan(0);
    expect(lists[expired]!.query.continue).toBeDefined();
    expect(lists[expired + 1]!.query.continue).toBeUndefined();
    expect(store.size).toBe(6);
  });

  it('skips a malformed watch line and keeps the same watch, losing nothing', async () => {
    await start();
    await create('a');
    const { store, errors } = run(LIST_WATCH);
    await store.ready();
    await server.waitForWatches(1, 'configmaps');
    server.clearRequests();
    server.faults.malformedWatchLine();
    await create('b');
    await create('c', 'x');
    await until(storeMatchesServer(store), 'the store matches the server');
    // The Api reports the line (a warn line by default) and reads on: no error, no re-watch.
    expect(errors).toEqual([]);
    expect(requestsOf('list')).toHaveLength(0);
    expect(requestsOf('watch')).toHaveLength(0);
  });

  it('survives a server restart on the same port without relisting', async () => {
    await start();
    await create('a');
    const { store } = run(LIST_WATCH);
    await store.ready();
    await server.waitForWatches(1, 'configmaps');
    server.clearRequests();
    await server.restart();
    await server.waitForWatches(1, 'configmaps');
    await create('b');
    await until(storeMatchesServer(store), 'the store matches the server');
    expect(requestsOf('list')).toHaveLength(0);
  });

  it('relists after a restart that lost the watch history, and converges', async () => {
    await start();
    await create('a');
    const { store, errors } = run(LIST_WATCH);
    await store.ready();
    await server.waitForWatches(1, 'configmaps');
    // Changes the watcher has not seen when the restarted server forgets its history.
    const blockWatches = server.faults.inject({
      verb: 'watch',
      resource: 'configmaps',
      status: 503,
    });
    server.faults.dropWatches();
    await create('b');
    server.clearRequests();
    await server.restart({ dropHistory: true });
    blockWatches.remove();
    await until(storeMatchesServer(store), 'the store matches the server');
    expect(store.size).toBe(2);
    expect(errors).toContain('WatchError');
    expect(requestsOf('list').length).toBeGreaterThanOrEqual(1);
  });

  it("streams the initial state with initialListStrategy 'StreamingList'", async () => {
    await start();
    for (let i = 0; i < 4; i++) await create(`cm-${i}`);
    const { store } = run({ initialListStrategy: 'StreamingList' });
    await store.ready();
    expect(store.size).toBe(4);
    expect(requestsOf('list')).toHaveLength(0);
    expect(requestsOf('watch')[0]!.query.sendInitialEvents).toBe('true');
    await create('late');
    await until(storeMatchesServer(store), 'the store matches the server');
  });
});

describe("watcher with initialListStrategy 'Auto' (the default)", () => {
  it('uses a streaming list on a server that serves one: no LIST request', async () => {
    await start();
    for (let i = 0; i < 3; i++) await create(`cm-${i}`);
    const { store, errors } = run();
    await store.ready();
    expect(store.size).toBe(3);
    expect(requestsOf('list')).toHaveLength(0);
    expect(requestsOf('watch')[0]!.query.sendInitialEvents).toBe('true');
    await create('late');
    await until(storeMatchesServer(store), 'the store matches the server');
    expect(errors).toEqual([]);
  });

  it("falls back to paged LIST+WATCH when the server refuses sendInitialEvents (watchList 'Disabled')", async () => {
    await start({ watchList: 'Disabled' });
    for (let i = 0; i < 3; i++) await create(`cm-${i}`);
    const { store, errors } = run({ pageSize: 2 });
    await store.ready();
    expect(store.size).toBe(3);
    expect(errors).toEqual([]);
    expect(requestsOf('watch')[0]!.query.sendInitialEvents).toBe('true');
    expect(requestsOf('list')).toHaveLength(2);
    await create('late');
    await until(storeMatchesServer(store), 'the store matches the server');
    // Every later watch of this watcher is a plain one.
    expect(
      requestsOf('watch')
        .slice(1)
        .every((r) => r.query.sendInitialEvents === undefined),
    ).toBe(true);
  });

  it("falls back within listTimeout on a server that ignores sendInitialEvents (watchList 'Ignored'), and InitDone waits for the complete list", async () => {
    await start({ watchList: 'Ignored' });
    for (let i = 0; i < 3; i++) await create(`cm-${i}`);
    const { store, errors } = run({ listTimeout: 1000 });
    // The ignored streaming list delivers the three objects as ADDED events, but without the
    // initial-events-end bookmark they must not make the store ready: only the LIST does.
    await store.ready();
    expect(requestsOf('list')).toHaveLength(1);
    expect(store.size).toBe(3);
    expect(errors).toEqual([]);
    expect(requestsOf('list')).toHaveLength(1);
    await create('late');
    await until(storeMatchesServer(store), 'the store matches the server');
  });
});
