// Fault-injection recipes of docs/testing.md, against the in-memory API server over real HTTP.
import { lastValueFrom, Subscription } from 'rxjs';
import { Api, ConfigMap, defaultBackoff, exponentialBackoff } from '@kube-rx/core';
import { startTestApiServer, type RequestLogEntry, type TestApiServer } from '@kube-rx/testing';
import { createStore, reflect, watcher, type Store } from '@kube-rx/watcher';

// #region setup
let server: TestApiServer;
let configMaps: Api<ConfigMap>;
let running: Subscription; // everything a test starts, stopped even when the test fails
beforeEach(async () => {
  running = new Subscription();
  server = await startTestApiServer();
  configMaps = Api.namespaced<ConfigMap>(server.kubeConfig(), ConfigMap, 'default');
});
afterEach(async () => {
  running.unsubscribe(); // first the clients (or their backoff keeps retrying)...
  await server.close(); // ...then the server: every watch and socket closed
});
// #endregion

/** A watcher + store, as a controller has them; resolves when the first list is cached. */
async function cache(): Promise<Store<ConfigMap>> {
  await lastValueFrom(configMaps.create({ metadata: { name: 'existing' } }));
  const { store, writer } = createStore<ConfigMap>();
  running.add(watcher(configMaps).pipe(defaultBackoff(), reflect(writer)).subscribe());
  await store.ready();
  await server.waitForWatches(1, 'configmaps');
  return store;
}

/** Resolves once the request log has a request matching `match` (polls; the log is live). */
async function request(match: (entry: RequestLogEntry) => boolean, timeoutMs = 10_000) {
  await waitUntil(() => server.requests.some(match), timeoutMs);
}

test('a short 503 storm is absorbed by the client-level retry', async () => {
  // #region storm
  const retrying = Api.namespaced<ConfigMap>(server.kubeConfig(), ConfigMap, 'default', {
    retry: { strategy: exponentialBackoff({ initialDelay: 20, maxDelay: 50 }) },
  });
  const storm = server.faults.inject({
    verb: 'create',
    resource: 'configmaps',
    status: 503,
    times: 2,
  });
  await lastValueFrom(retrying.create({ metadata: { name: 'app' }, data: {} }));
  expect(storm.hits).toBe(2);
  expect(server.requests.filter((r) => r.verb === 'create').map((r) => r.status)).toEqual([
    503, 503, 201,
  ]);
  // #endregion
});

test('a dropped watch resumes with one WATCH and no LIST', async () => {
  // #region dropped-watch
  const store = await cache();
  server.clearRequests();
  server.faults.dropWatches();
  await request((r) => r.verb === 'watch' && r.status === 200); // the watcher came back...
  await lastValueFrom(configMaps.create({ metadata: { name: 'after-drop' } }));
  await waitUntil(() => store.getByKey('default/after-drop') !== undefined); // ...and sees changes
  expect(server.requests.filter((r) => r.verb === 'watch')).toHaveLength(1);
  expect(server.requests.filter((r) => r.verb === 'list')).toHaveLength(0);
  // #endregion
});

test('a compacted history (410 Gone) forces exactly one relist', async () => {
  // #region gone
  const store = await cache();
  server.clearRequests();
  server.faults.dropWatches();
  await lastValueFrom(configMaps.create({ metadata: { name: 'while-away' } }));
  server.faults.compact(); // the watcher's resourceVersion is now too old: 410 Gone
  await waitUntil(() => store.getByKey('default/while-away') !== undefined);
  // The relist is one streaming list: a WATCH with sendInitialEvents (a LIST on older servers).
  const relists = server.requests.filter(
    (r) => r.verb === 'list' || r.query.sendInitialEvents === 'true',
  );
  expect(relists).toHaveLength(1);
  // #endregion
});

test('the watcher survives the API server going away', async () => {
  // #region outage
  const store = await cache();
  await server.faults.refuseConnections(true); // ECONNREFUSED from now on
  await new Promise((resolve) => setTimeout(resolve, 300)); // the watcher fails and backs off
  await server.faults.refuseConnections(false);
  await lastValueFrom(configMaps.create({ metadata: { name: 'after-outage' } }));
  await waitUntil(() => store.getByKey('default/after-outage') !== undefined);
  // #endregion
});

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
