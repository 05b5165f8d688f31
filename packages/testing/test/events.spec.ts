import { CoreV1Api, EventsV1Api } from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { call, collectWatch, type Json } from './support.js';

const CORE = '/api/v1/namespaces/fx/events';
const EVENTS_V1 = '/apis/events.k8s.io/v1/namespaces/fx/events';

const regarding = {
  kind: 'ConfigMap',
  namespace: 'fx',
  name: 'patchme',
  uid: '1efd8188-4e08-42f2-896f-640815d82800',
  apiVersion: 'v1',
  resourceVersion: '129',
};

const eventsV1Body = (name: string) => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name, labels: { app: 'recorder' } },
  eventTime: '2026-11-22T02:59:33.904949Z',
  series: { count: 2, lastObservedTime: '2026-11-22T03:00:03.904949Z' },
  reportingController: 'fx.example.com/recorder',
  reportingInstance: 'recorder-1',
  action: 'Reconcile',
  reason: 'Tested',
  type: 'Normal',
  note: 'patchme was reconciled',
  regarding,
  related: { kind: 'Secret', namespace: 'fx', name: 'creds', apiVersion: 'v1' },
});

const coreBody = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name },
  involvedObject: { kind: 'Pod', namespace: 'fx', name: 'web-0', apiVersion: 'v1' },
  reason: 'Pulled',
  message: 'Container image pulled',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2026-11-22T03:00:00Z',
  lastTimestamp: '2026-11-22T03:00:05Z',
  count: 3,
  type: 'Normal',
  reportingComponent: 'kubelet',
  reportingInstance: 'node-1',
});

const merge = { 'content-type': 'application/merge-patch+json' };

describe('core/v1 and events.k8s.io/v1 Events are the same objects', () => {
  let server: TestApiServer;
  beforeEach(async () => {
    server = await startTestApiServer({ bookmarkIntervalMs: 0 });
  });
  afterEach(() => server.close());

  it('an Event created through events.k8s.io/v1 is read through core/v1 with its fields mapped', async () => {
    const created = await call(server.url, 'POST', EVENTS_V1, eventsV1Body('patchme.a'));
    expect(created.status).toBe(201);
    const got = await call(server.url, 'GET', `${CORE}/patchme.a`);
    expect(got.status).toBe(200);
    const { metadata, ...fields } = got.body as Json;
    expect(metadata).toEqual(created.body.metadata);
    expect(fields).toEqual({
      kind: 'Event',
      apiVersion: 'v1',
      involvedObject: regarding,
      reason: 'Tested',
      message: 'patchme was reconciled',
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type: 'Normal',
      eventTime: '2026-11-22T02:59:33.904949Z',
      series: { count: 2, lastObservedTime: '2026-11-22T03:00:03.904949Z' },
      action: 'Reconcile',
      related: { kind: 'Secret', namespace: 'fx', name: 'creds', apiVersion: 'v1' },
      reportingComponent: 'fx.example.com/recorder',
      reportingInstance: 'recorder-1',
    });

    const core = server.kubeConfig().makeApiClient(CoreV1Api);
    const listed = await core.listNamespacedEvent({
      namespace: 'fx',
      fieldSelector: 'involvedObject.name=patchme,involvedObject.kind=ConfigMap',
      labelSelector: 'app=recorder',
    });
    expect(listed.items.map((e) => [e.metadata?.name, e.message, e.metadata?.uid])).toEqual([
      ['patchme.a', 'patchme was reconciled', created.body.metadata.uid],
    ]);
    const other = await call(
      server.url,
      'GET',
      `${CORE}?fieldSelector=involvedObject.name%3Dother`,
    );
    expect(other.body.items).toEqual([]);
    expect(server.list('events', 'fx').map((e) => (e as Json).message)).toEqual([
      'patchme was reconciled',
    ]);
  });

  it('an Event created through core/v1 is read through events.k8s.io/v1 with its fields mapped', async () => {
    const created = await call(server.url, 'POST', CORE, coreBody('web-0.pulled'));
    expect(created.status).toBe(201);
    const events = server.kubeConfig().makeApiClient(EventsV1Api);
    const got = await call(server.url, 'GET', `${EVENTS_V1}/web-0.pulled`);
    const { metadata, ...fields } = got.body as Json;
    expect(metadata).toEqual(created.body.metadata);
    expect(fields).toEqual({
      kind: 'Event',
      apiVersion: 'events.k8s.io/v1',
      eventTime: null,
      reportingController: 'kubelet',
      reportingInstance: 'node-1',
      reason: 'Pulled',
      regarding: { kind: 'Pod', namespace: 'fx', name: 'web-0', apiVersion: 'v1' },
      note: 'Container image pulled',
      type: 'Normal',
      deprecatedSource: { component: 'kubelet', host: 'node-1' },
      deprecatedFirstTimestamp: '2026-11-22T03:00:00Z',
      deprecatedLastTimestamp: '2026-11-22T03:00:05Z',
      deprecatedCount: 3,
    });
    const listed = await events.listNamespacedEvent({
      namespace: 'fx',
      fieldSelector: 'regarding.name=web-0',
    });
    expect(listed.items.map((e) => [e.metadata?.name, e.note, e.deprecatedCount])).toEqual([
      ['web-0.pulled', 'Container image pulled', 3],
    ]);
    const all = await call(server.url, 'GET', '/apis/events.k8s.io/v1/events');
    expect(all.body.kind).toBe('EventList');
    expect(all.body.items.map((e: Json) => e.note)).toEqual(['Container image pulled']);
  });

  it('an update through one API is seen through the other, under one resourceVersion', async () => {
    const created = await call(server.url, 'POST', EVENTS_V1, eventsV1Body('patchme.b'));
    const put = await call(server.url, 'PUT', `${EVENTS_V1}/patchme.b`, {
      ...eventsV1Body('patchme.b'),
      metadata: { ...created.body.metadata },
      series: { count: 3, lastObservedTime: '2026-11-22T03:00:09.000001Z' },
      note: 'reconciled again',
    });
    expect(put.status).toBe(200);
    const core = await call(server.url, 'GET', `${CORE}/patchme.b`);
    expect(core.body.metadata.resourceVersion).toBe(put.body.metadata.resourceVersion);
    expect(core.body.metadata.uid).toBe(created.body.metadata.uid);
    expect(core.body.message).toBe('reconciled again');
    expect(core.body.series).toEqual({ count: 3, lastObservedTime: '2026-11-22T03:00:09.000001Z' });

    // A stale resourceVersion from the other API is a conflict: there is one version.
    const stale = await call(server.url, 'PUT', `${CORE}/patchme.b`, {
      ...core.body,
      metadata: { ...core.body.metadata, resourceVersion: created.body.metadata.resourceVersion },
    });
    expect(stale.status).toBe(409);

    const patched = await call(
      server.url,
      'PATCH',
      `${CORE}/patchme.b`,
      { message: 'patched through core', count: 7 },
      merge,
    );
    expect(patched.status).toBe(200);
    const v1 = await call(server.url, 'GET', `${EVENTS_V1}/patchme.b`);
    expect(v1.body.metadata.resourceVersion).toBe(patched.body.metadata.resourceVersion);
    expect(v1.body).toMatchObject({
      note: 'patched through core',
      deprecatedCount: 7,
      reportingController: 'fx.example.com/recorder',
      series: { count: 3 },
    });
    expect(v1.body).not.toHaveProperty('message');
  });

  it('a delete through one API is gone from both', async () => {
    await call(server.url, 'POST', EVENTS_V1, eventsV1Body('patchme.c'));
    await call(server.url, 'POST', CORE, coreBody('web-0.pulled'));
    const deleted = await call(server.url, 'DELETE', `${CORE}/patchme.c`);
    expect(deleted.status).toBe(200);
    expect((await call(server.url, 'GET', `${EVENTS_V1}/patchme.c`)).status).toBe(404);
    expect((await call(server.url, 'GET', `${CORE}/patchme.c`)).status).toBe(404);
    expect((await call(server.url, 'DELETE', `${EVENTS_V1}/patchme.c`)).status).toBe(404);

    expect((await call(server.url, 'DELETE', `${EVENTS_V1}/web-0.pulled`)).status).toBe(200);
    expect((await call(server.url, 'GET', CORE)).body.items).toEqual([]);
    expect((await call(server.url, 'GET', EVENTS_V1)).body.items).toEqual([]);
  });

  it('watchers of both APIs get every change, each in its own shape', async () => {
    const kubeConfig = server.kubeConfig();
    const coreWatch = await collectWatch(kubeConfig, CORE);
    const v1Watch = await collectWatch(kubeConfig, EVENTS_V1);
    const selected = await collectWatch(kubeConfig, EVENTS_V1, {
      fieldSelector: 'regarding.name=web-0',
    });
    await server.waitForWatches(3);

    const created = await call(server.url, 'POST', EVENTS_V1, eventsV1Body('patchme.d'));
    const patched = await call(
      server.url,
      'PATCH',
      `${CORE}/patchme.d`,
      { message: 'seen by both' },
      merge,
    );
    await call(server.url, 'POST', CORE, coreBody('web-0.pulled'));
    await call(server.url, 'DELETE', `${CORE}/patchme.d`);
    await coreWatch.waitFor(4);
    await v1Watch.waitFor(4);
    await selected.waitFor(1);

    const summary = (watch: typeof coreWatch, text: string) =>
      watch.events.map((e) => [
        e.type,
        e.object.apiVersion,
        e.object.metadata?.name,
        e.object.metadata?.resourceVersion,
        e.object[text],
      ]);
    const rv = (body: Json) => body.metadata.resourceVersion as string;
    const coreCreated = coreWatch.events[2]!.object.metadata?.resourceVersion;
    const deletedRv = coreWatch.events[3]!.object.metadata?.resourceVersion;
    expect(summary(coreWatch, 'message')).toEqual([
      ['ADDED', 'v1', 'patchme.d', rv(created.body), 'patchme was reconciled'],
      ['MODIFIED', 'v1', 'patchme.d', rv(patched.body), 'seen by both'],
      ['ADDED', 'v1', 'web-0.pulled', coreCreated, 'Container image pulled'],
      ['DELETED', 'v1', 'patchme.d', deletedRv, 'seen by both'],
    ]);
    expect(summary(v1Watch, 'note')).toEqual([
      ['ADDED', 'events.k8s.io/v1', 'patchme.d', rv(created.body), 'patchme was reconciled'],
      ['MODIFIED', 'events.k8s.io/v1', 'patchme.d', rv(patched.body), 'seen by both'],
      ['ADDED', 'events.k8s.io/v1', 'web-0.pulled', coreCreated, 'Container image pulled'],
      ['DELETED', 'events.k8s.io/v1', 'patchme.d', deletedRv, 'seen by both'],
    ]);
    expect(v1Watch.events[2]!.object.regarding).toEqual(coreBody('').involvedObject);
    expect(coreWatch.events[0]!.object.involvedObject).toEqual(regarding);
    expect(summary(selected, 'note')).toEqual([
      ['ADDED', 'events.k8s.io/v1', 'web-0.pulled', coreCreated, 'Container image pulled'],
    ]);
    for (const watch of [coreWatch, v1Watch, selected]) watch.abort();
  });

  it('a watch resumed from a resourceVersion replays writes made through the other API', async () => {
    const from = server.resourceVersion;
    const first = await call(server.url, 'POST', CORE, coreBody('web-0.pulled'));
    await call(server.url, 'POST', EVENTS_V1, eventsV1Body('patchme.e'));
    const watch = await collectWatch(server.kubeConfig(), EVENTS_V1, { resourceVersion: from });
    await watch.waitFor(2);
    expect(watch.events.map((e) => [e.type, e.object.metadata?.name, e.object.note])).toEqual([
      ['ADDED', 'web-0.pulled', 'Container image pulled'],
      ['ADDED', 'patchme.e', 'patchme was reconciled'],
    ]);
    const exact = await call(
      server.url,
      'GET',
      `${EVENTS_V1}?resourceVersion=${first.body.metadata.resourceVersion}&resourceVersionMatch=Exact`,
    );
    expect(exact.body.items.map((e: Json) => e.note)).toEqual(['Container image pulled']);
    watch.abort();
  });
});
