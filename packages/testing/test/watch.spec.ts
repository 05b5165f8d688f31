import { jest } from '@jest/globals';
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { collectWatch, comparable, exchange, fixture, type Json } from './support.js';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const PATH = '/api/v1/namespaces/fx/configmaps';

describe('WATCH', () => {
  let server: TestApiServer;
  let core: CoreV1Api;
  beforeEach(async () => {
    server = await startTestApiServer({ bookmarkIntervalMs: 0 });
    core = server.kubeConfig().makeApiClient(CoreV1Api);
  });
  afterEach(() => server.close());

  const create = (
    name: string,
    labels: Record<string, string> = {},
    data: Record<string, string> = { a: '1' },
  ) =>
    core.createNamespacedConfigMap({ namespace: 'fx', body: { metadata: { name, labels }, data } });
  const patch = (name: string, body: object) =>
    core.patchNamespacedConfigMap({ namespace: 'fx', name, body }, merge);

  it('replays from a resourceVersion: ADDED, MODIFIED, DELETED as fixture 09, then a bookmark before the timeout and a clean end', async () => {
    await create('seed');
    const from = server.resourceVersion;
    const watch = await collectWatch(server.kubeConfig(), PATH, {
      resourceVersion: from,
      allowWatchBookmarks: true,
      timeoutSeconds: 1,
    });
    await server.waitForWatches(1);
    await create('w-on', { app: 'w' });
    await patch('w-on', { data: { b: '2' } });
    await core.deleteNamespacedConfigMap({ namespace: 'fx', name: 'w-on' });
    expect(await watch.done).toBeNull();
    const recorded = exchange(fixture('09-watch-bookmarks.json'), 1).response.body as Json[];
    expect(comparable(watch.events.map((e) => ({ type: e.type, object: e.object })))).toEqual(
      comparable(
        recorded.map((e) => ({
          ...e,
          object: { ...e.object, metadata: { ...e.object.metadata, name: e.object.metadata.name } },
        })),
      ),
    );
    const bookmark = watch.events[3]!.object;
    expect(bookmark).toEqual({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { resourceVersion: server.resourceVersion, creationTimestamp: null },
    });
    expect(watch.events[2]!.object.metadata?.resourceVersion).toBe(server.resourceVersion);
    expect(server.requests.find((r) => r.verb === 'watch')!.durationMs).toBeGreaterThanOrEqual(900);
  });

  it('without resourceVersion: synthetic ADDED for existing objects, then changes', async () => {
    await create('a');
    await create('b');
    const watch = await collectWatch(server.kubeConfig(), PATH);
    await server.waitForWatches(1);
    await patch('a', { data: { z: '1' } });
    await watch.waitFor(3);
    expect(watch.events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual([
      'ADDED a',
      'ADDED b',
      'MODIFIED a',
    ]);
    watch.abort();
  });

  it('a fresh server lists at a real resourceVersion (never "0"); a watch from it gets only later changes', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'fx' });
    const listed = list.metadata?.resourceVersion ?? '';
    expect(list.items).toEqual([]);
    expect(listed).not.toBe('0');
    expect(Number(listed)).toBeGreaterThan(0);
    expect(listed).toBe(server.resourceVersion);
    await create('a');
    await patch('a', { data: { b: '2' } });
    // "0" would mean "any version": synthetic ADDED of the current state instead of the history.
    const watch = await collectWatch(server.kubeConfig(), PATH, {
      resourceVersion: listed,
      timeoutSeconds: 1,
    });
    expect(await watch.done).toBeNull();
    expect(watch.events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual([
      'ADDED a',
      'MODIFIED a',
    ]);
  });

  it('a too-old resourceVersion gets HTTP 200 with one ERROR 410 event and a clean end (fixture 11)', async () => {
    await create('a');
    const old = server.resourceVersion;
    await create('b');
    server.faults.compact();
    const watch = await collectWatch(server.kubeConfig(), PATH, {
      resourceVersion: String(Number(old) - 1),
    });
    expect(await watch.done).toBeNull();
    const recorded = (exchange(fixture('11-watch-too-old-rv.json'), 0).response.body as Json[])[0];
    expect(watch.events).toEqual([
      {
        type: 'ERROR',
        object: {
          ...recorded.object,
          message: `too old resource version: ${Number(old) - 1} (${server.resourceVersion})`,
        },
      },
    ]);
    expect(server.requests.at(-1)!.status).toBe(200);
  });

  it('the bounded history window: resuming within it replays, older is 410', async () => {
    const small = await startTestApiServer({ watchHistorySize: 3 });
    try {
      const api = small.kubeConfig().makeApiClient(CoreV1Api);
      for (let i = 0; i < 6; i++)
        await api.createNamespacedConfigMap({
          namespace: 'fx',
          body: { metadata: { name: `c${i}` } },
        });
      const current = Number(small.resourceVersion);
      const ok = await collectWatch(small.kubeConfig(), PATH, {
        resourceVersion: String(current - 3),
      });
      await ok.waitFor(3);
      expect(ok.events.map((e) => e.object.metadata?.name)).toEqual(['c3', 'c4', 'c5']);
      ok.abort();
      const tooOld = await collectWatch(small.kubeConfig(), PATH, {
        resourceVersion: String(current - 4),
      });
      await tooOld.done;
      expect(tooOld.events[0]!.type).toBe('ERROR');
      expect(tooOld.events[0]!.object.code).toBe(410);
    } finally {
      await small.close();
    }
  });

  it('a label selector turns leaving into DELETED (old object, new rv) and re-entering into ADDED (fixture 10)', async () => {
    const created = await create('sel-on', { color: 'blue' });
    const watch = await collectWatch(server.kubeConfig(), PATH, {
      labelSelector: 'color=blue',
      resourceVersion: created.metadata!.resourceVersion!,
    });
    await server.waitForWatches(1);
    await patch('sel-on', { metadata: { labels: { color: 'red' } } });
    await patch('sel-on', { data: { a: '2' } });
    await patch('sel-on', { metadata: { labels: { color: 'blue' } } });
    await patch('sel-on', { data: { a: '3' } });
    await watch.waitFor(3);
    const recorded = exchange(fixture('10-watch-label-selector.json'), 1).response.body as Json[];
    expect(comparable(watch.events)).toEqual(comparable(recorded));
    const versions = watch.events.map((e) => Number(e.object.metadata?.resourceVersion));
    const base = Number(created.metadata!.resourceVersion);
    expect(versions).toEqual([base + 1, base + 3, base + 4]);
    watch.abort();
  });

  it('field selectors apply to watches; the finalizer flow is MODIFIED then DELETED (fixture 15)', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'fx',
      body: { metadata: { name: 'fin', finalizers: ['fx.example.com/hold'] }, data: { a: '1' } },
    });
    await create('other');
    const watch = await collectWatch(server.kubeConfig(), PATH, {
      fieldSelector: 'metadata.name=fin',
      resourceVersion: created.metadata!.resourceVersion!,
    });
    await server.waitForWatches(1);
    await core.deleteNamespacedConfigMap({ namespace: 'fx', name: 'fin' });
    await core.deleteNamespacedConfigMap({ namespace: 'fx', name: 'fin' });
    await core.patchNamespacedConfigMap({
      namespace: 'fx',
      name: 'fin',
      body: [{ op: 'remove', path: '/metadata/finalizers/0' }],
    });
    await watch.waitFor(2);
    const recorded = exchange(fixture('15-delete-with-finalizer.json'), 1).response.body as Json[];
    expect(comparable(watch.events)).toEqual(comparable(recorded));
    watch.abort();
  });

  it('periodic bookmarks carry the current resourceVersion', async () => {
    const quick = await startTestApiServer({ bookmarkIntervalMs: 20 });
    try {
      const watch = await collectWatch(quick.kubeConfig(), PATH, {
        allowWatchBookmarks: true,
        resourceVersion: '0',
      });
      await watch.waitFor(2);
      expect(watch.events.map((e) => e.type)).toEqual(['BOOKMARK', 'BOOKMARK']);
      expect(watch.events[0]!.object.metadata).toEqual({
        resourceVersion: quick.resourceVersion,
        creationTimestamp: null,
      });
      watch.abort();
    } finally {
      await quick.close();
    }
  });

  it('sendInitialEvents: ADDED for the current state, then a BOOKMARK marking the end', async () => {
    await create('a');
    await create('b', { skip: 'yes' });
    const watch = await collectWatch(server.kubeConfig(), PATH, {
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: true,
      labelSelector: '!skip',
    });
    await watch.waitFor(2);
    expect(watch.events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(watch.events[1]!.object.metadata).toEqual({
      resourceVersion: server.resourceVersion,
      creationTimestamp: null,
      annotations: { 'k8s.io/initial-events-end': 'true' },
    });
    await create('c');
    await watch.waitFor(3);
    expect(watch.events[2]!.object.metadata?.name).toBe('c');
    watch.abort();
  });

  it('sendInitialEvents without resourceVersionMatch=NotOlderThan is 422', async () => {
    const response = await fetch(`${server.url}${PATH}?watch=true&sendInitialEvents=true`);
    expect(response.status).toBe(422);
    const body = (await response.json()) as Json;
    expect(body.details.causes.map((c: Json) => c.field)).toEqual(['resourceVersionMatch']);
  });

  it('sendInitialEvents without allowWatchBookmarks streams and still marks the end (as v1.37)', async () => {
    await create('only');
    const watch = await collectWatch(server.kubeConfig(), PATH, {
      sendInitialEvents: 'true',
      resourceVersionMatch: 'NotOlderThan',
    });
    await watch.waitFor(2);
    expect(watch.events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(watch.events[1]!.object.metadata?.annotations?.['k8s.io/initial-events-end']).toBe(
      'true',
    );
    watch.abort();
  });

  it('a future resourceVersion waits and skips events up to it (fixture 12)', async () => {
    await create('warm-up');
    const target = Number(server.resourceVersion) + 2;
    const watch = await collectWatch(server.kubeConfig(), PATH, {
      resourceVersion: String(target),
    });
    await server.waitForWatches(1);
    for (const name of ['f0', 'f1', 'f2']) await create(name);
    await watch.waitFor(1);
    expect(watch.events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED f2']);
    watch.abort();
  });

  it('streams PartialObjectMetadata when asked', async () => {
    await create('a');
    const response = await fetch(`${server.url}${PATH}?watch=1&timeoutSeconds=1`, {
      headers: { accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' },
    });
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    expect(lines).toHaveLength(1);
    expect(lines[0].object.kind).toBe('PartialObjectMetadata');
    expect(lines[0].object.data).toBeUndefined();
  });

  it('serialises an event once for all watchers', async () => {
    const watches = await Promise.all(
      [0, 1, 2].map(() =>
        collectWatch(server.kubeConfig(), PATH, { resourceVersion: server.resourceVersion }),
      ),
    );
    await server.waitForWatches(3, 'configmaps');
    const stringify = jest.spyOn(JSON, 'stringify');
    await create('shared');
    await Promise.all(watches.map((w) => w.waitFor(1)));
    // Only the server's stored copy has a uid (the other call is the client sending the body).
    const serialisedObjects = stringify.mock.calls.filter(
      ([value]) =>
        (value as Json)?.metadata?.name === 'shared' && (value as Json).metadata.uid !== undefined,
    );
    stringify.mockRestore();
    expect(serialisedObjects).toHaveLength(1);
    for (const w of watches) w.abort();
  });
});

describe("WATCH on a server without streaming lists (config 'watchList')", () => {
  const STREAMING = 'watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan';

  it("'Disabled' refuses sendInitialEvents with 422, as a server with the WatchList feature off", async () => {
    const server = await startTestApiServer({ bookmarkIntervalMs: 0, watchList: 'Disabled' });
    try {
      const response = await fetch(`${server.url}${PATH}?${STREAMING}`);
      expect(response.status).toBe(422);
      const body = (await response.json()) as Json;
      expect(body.reason).toBe('Invalid');
      expect(body.details.causes.map((c: Json) => c.field)).toEqual(['sendInitialEvents']);
      // Plain watches still work.
      const plain = await fetch(`${server.url}${PATH}?watch=true&timeoutSeconds=1`);
      expect(plain.status).toBe(200);
      await plain.text();
    } finally {
      await server.close();
    }
  });

  it("'Ignored' serves a plain watch: ADDED for the current objects, no initial-events-end bookmark", async () => {
    const server = await startTestApiServer({ bookmarkIntervalMs: 0, watchList: 'Ignored' });
    try {
      const core = server.kubeConfig().makeApiClient(CoreV1Api);
      await core.createNamespacedConfigMap({ namespace: 'fx', body: { metadata: { name: 'a' } } });
      const watch = await collectWatch(server.kubeConfig(), PATH, {
        sendInitialEvents: true,
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: true,
      });
      await watch.waitFor(1);
      await core.createNamespacedConfigMap({ namespace: 'fx', body: { metadata: { name: 'b' } } });
      await watch.waitFor(2);
      expect(watch.events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual([
        'ADDED a',
        'ADDED b',
      ]);
      watch.abort();
    } finally {
      await server.close();
    }
  });

  it('rejects an unknown mode at start', async () => {
    await expect(startTestApiServer({ watchList: 'Maybe' as never })).rejects.toThrow(TypeError);
  });
});
