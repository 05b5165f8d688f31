import { firstValueFrom, map, merge, type Subscription } from 'rxjs';
import {
  Api,
  backoff,
  ConfigMap,
  exponentialBackoff,
  Secret,
  type KubeObject,
} from '@kube-rx/core';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { isWatcherError, watcher, type WatcherConfig, type WatcherEvent } from '@kube-rx/watcher';

// These specs count LIST requests: the watchers list with paged LISTs.
const LIST_WATCH: WatcherConfig = { initialListStrategy: 'ListWatch' };

const NAMESPACE = 'default';

let server: TestApiServer;
let configMaps: Api<KubeObject>;
let secrets: Api<KubeObject>;
let subscription: Subscription | undefined;

beforeEach(async () => {
  server = await startTestApiServer({ bookmarkIntervalMs: 0 });
  configMaps = Api.namespaced<KubeObject>(server.kubeConfig(), ConfigMap, NAMESPACE);
  secrets = Api.namespaced<KubeObject>(server.kubeConfig(), Secret, NAMESPACE);
});

afterEach(async () => {
  subscription?.unsubscribe();
  subscription = undefined;
  await server?.close();
});

/** 10, 20, 40, ... ms without jitter: the sequence the delays must follow. */
const strategy = () =>
  exponentialBackoff({ initialDelay: 10, factor: 2, maxDelay: 1000, jitter: false });

/** `Init`, `InitApply a`, `Apply b`, ... */
const describeEvent = (event: WatcherEvent<KubeObject>): string =>
  event.type === 'Init' || event.type === 'InitDone'
    ? event.type
    : `${event.type} ${event.object.metadata?.name}`;

async function createIn(api: Api<KubeObject>, kind: string, name: string): Promise<void> {
  await firstValueFrom(
    api.create({ apiVersion: 'v1', kind, metadata: { name, namespace: NAMESPACE } }),
  );
}

const createConfigMap = (name: string) => createIn(configMaps, 'ConfigMap', name);

const requestsOf = (resource: string, verb: 'list' | 'watch') =>
  server.requests.filter((request) => request.resource === resource && request.verb === verb);

/** Resolves when `check()` holds, polling every 5 ms; fails after 10 s. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `watcher → map → backoff`, recording every value and every delay the backoff chose. */
function runMapped(): { values: string[]; delays: Array<number | undefined>; errors: unknown[] } {
  const values: string[] = [];
  const delays: Array<number | undefined> = [];
  const errors: unknown[] = [];
  subscription = watcher(configMaps, LIST_WATCH)
    .pipe(
      map((event) => `mapped:${describeEvent(event)}`),
      backoff(strategy(), {
        onError: (error, delayMs) => {
          errors.push(error);
          delays.push(delayMs);
        },
      }),
    )
    .subscribe((value) => values.push(value));
  return { values, delays, errors };
}

describe('a watcher resumes through the operators between it and its backoff', () => {
  it('a dropped watch: only mapped values, one more WATCH from the last resourceVersion, no LIST', async () => {
    await createConfigMap('a');
    const { values, errors } = runMapped();
    await server.waitForWatches(1, 'configmaps');
    await createConfigMap('b');
    await until(() => values.includes('mapped:Apply b'), 'b is seen');
    const lastVersion = server.get('configmaps', NAMESPACE, 'b')?.metadata?.resourceVersion;
    server.clearRequests();

    server.faults.dropWatches();
    await until(() => errors.length === 1, 'the drop is reported');
    await server.waitForWatches(1, 'configmaps');
    await createConfigMap('c');
    await until(() => values.includes('mapped:Apply c'), 'c is seen');

    expect(values).toEqual([
      'mapped:Init',
      'mapped:InitApply a',
      'mapped:InitDone',
      'mapped:Apply b',
      'mapped:Apply c',
    ]);
    expect(isWatcherError(errors[0], 'WatchFailed')).toBe(true);
    expect(requestsOf('configmaps', 'list')).toHaveLength(0);
    expect(
      requestsOf('configmaps', 'watch').map((request) => request.query.resourceVersion),
    ).toEqual([lastVersion]);
  });

  it('a compaction while the watch is down: a relist, still mapped, with exactly one LIST', async () => {
    await createConfigMap('keep');
    await createConfigMap('doomed');
    const { values } = runMapped();
    await server.waitForWatches(1, 'configmaps');
    await until(() => values.includes('mapped:InitDone'), 'the list is done');

    const blockWatches = server.faults.inject({
      verb: 'watch',
      resource: 'configmaps',
      status: 503,
    });
    server.faults.dropWatches();
    await firstValueFrom(configMaps.delete('doomed'));
    await createConfigMap('born');
    server.faults.compact();
    server.clearRequests();
    values.length = 0;
    blockWatches.remove();

    await until(() => values.includes('mapped:InitDone'), 'the relist is done');
    await server.waitForWatches(1, 'configmaps');
    expect(values).toEqual([
      'mapped:Init',
      'mapped:InitApply born',
      'mapped:InitApply keep',
      'mapped:InitDone',
    ]);
    expect(requestsOf('configmaps', 'list')).toHaveLength(1);
  });

  it('a LIST failing 6 times through a map backs off along the strategy: 10, 20, 40, 80, 160, 320 ms', async () => {
    await createConfigMap('a');
    server.faults.inject({ verb: 'list', resource: 'configmaps', status: 503, times: 6 });
    const { values, delays } = runMapped();
    await until(() => values.includes('mapped:InitDone'), 'the list finally succeeds');
    expect(delays).toEqual([10, 20, 40, 80, 160, 320]);
    expect(values.filter((value) => value === 'mapped:Init')).toHaveLength(7);
    expect(requestsOf('configmaps', 'list')).toHaveLength(7);
  });

  it('merge of two watchers under one backoff: the failed one resumes, the other relists', async () => {
    await createConfigMap('a');
    await createIn(secrets, 'Secret', 's');
    const values: string[] = [];
    const errors: unknown[] = [];
    subscription = merge(
      watcher(configMaps, LIST_WATCH).pipe(map((event) => `configmap ${describeEvent(event)}`)),
      watcher(secrets, LIST_WATCH).pipe(map((event) => `secret ${describeEvent(event)}`)),
    )
      .pipe(backoff(strategy(), { onError: (error) => errors.push(error) }))
      .subscribe((value) => values.push(value));
    await server.waitForWatches(2);
    server.clearRequests();

    // Both watches break; the first error ends the merge, which unsubscribes the other watcher.
    server.faults.dropWatches();
    await until(() => errors.length === 1, 'the drop is reported');
    await server.waitForWatches(2);
    await createConfigMap('b');
    await createIn(secrets, 'Secret', 't');
    await until(
      () => values.includes('configmap Apply b') && values.includes('secret Apply t'),
      'both watchers see the new objects',
    );

    const lists = [requestsOf('configmaps', 'list').length, requestsOf('secrets', 'list').length];
    const watches = [
      requestsOf('configmaps', 'watch').length,
      requestsOf('secrets', 'watch').length,
    ];
    // One resumed (a WATCH, no LIST), the other restarted (a LIST, then a WATCH).
    expect([...lists].sort()).toEqual([0, 1]);
    expect(watches).toEqual([1, 1]);
    expect(errors).toHaveLength(1);
    expect(values.every((value) => /^(configmap|secret) /.test(value))).toBe(true);
    const relisted = lists[0] === 1 ? 'configmap' : 'secret';
    expect(values.filter((value) => value === `${relisted} Init`)).toHaveLength(2);
  });
});
