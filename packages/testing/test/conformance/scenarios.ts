import {
  Api,
  ConfigMap,
  Lease,
  Namespace,
  Patch,
  isApiError,
  type ApiResource,
  type KubeObject,
  type WatchEvent,
} from '@kube-rx/core';
import type { V1ConfigMap, V1Lease } from '@kubernetes/client-node';
import { firstValueFrom, lastValueFrom, take, takeWhile, toArray, type Observable } from 'rxjs';
import type { ConformanceServer } from './conformanceServer.js';
import { rawRequest } from './rawRequest.js';

/** A JSON summary of what a server did: equal summaries mean equal behaviour. */
export type Observation = unknown;

/** One behaviour checked against both servers. */
export interface Scenario {
  /** Stable key (used by `expectedDifferences` and the README table). */
  readonly id: string;
  /** What is checked, for the test name and the README. */
  readonly title: string;
  /** What a real kube-apiserver v1.37 answers (checked against it by the suite). */
  readonly expected: Observation;
  run(server: ConformanceServer): Promise<Observation>;
}

interface Widget extends KubeObject {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

const WIDGET = {
  group: 'conformance.kube-rx.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
} as const;
const WIDGET_RESOURCE: ApiResource = { ...WIDGET };

/** The outcome of a call: `'ok'`, or the HTTP code and reason of its `ApiError`. */
async function outcome(call: Observable<unknown>): Promise<string> {
  try {
    await firstValueFrom(call);
    return 'ok';
  } catch (error) {
    if (isApiError(error)) return `${error.code} ${error.reason ?? ''}`.trim();
    throw error;
  }
}

/** Creates a namespace for one scenario (the real server has no others) and its ConfigMap Api. */
async function namespace(server: ConformanceServer, name: string) {
  const kubeConfig = server.kubeConfig();
  await firstValueFrom(
    Api.cluster(kubeConfig, Namespace).create({ metadata: { name } } as KubeObject),
  );
  return {
    configMaps: Api.namespaced<V1ConfigMap>(kubeConfig, ConfigMap, name),
    widgets: async () => {
      await server.registerCustomResource({ ...WIDGET, statusSubresource: true });
      return Api.namespaced<Widget>(kubeConfig, WIDGET_RESOURCE, name);
    },
  };
}

const configMap = (name: string, labels: Record<string, string> = {}): V1ConfigMap => ({
  metadata: { name, labels },
  data: { a: '1' },
});

function names(objects: readonly KubeObject[]): string[] {
  return objects.map((object) => object.metadata?.name ?? '?').sort();
}

function eventSummary(event: WatchEvent<KubeObject>): string {
  if (event.type === 'ERROR') return `ERROR ${event.object.code} ${event.object.reason}`;
  if (event.type === 'BOOKMARK') return 'BOOKMARK';
  return `${event.type} ${event.object.metadata?.name}`;
}

export const scenarios: readonly Scenario[] = [
  {
    id: 'crud',
    title: 'create, get, update; 409 AlreadyExists, 409 Conflict on a stale update, 404',
    expected: {
      created: { uid: true, resourceVersion: true, creationTimestamp: true },
      updateChangesResourceVersion: true,
      duplicate: '409 AlreadyExists',
      stale: '409 Conflict',
      missing: '404 NotFound',
      updateMissing: '404 NotFound',
    },
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-crud');
      const created = await firstValueFrom(configMaps.create(configMap('a')));
      const updated = await firstValueFrom(
        configMaps.replace('a', { ...created, data: { a: '2' } }),
      );
      return {
        created: {
          uid: typeof created.metadata?.uid === 'string',
          resourceVersion: typeof created.metadata?.resourceVersion === 'string',
          creationTimestamp: created.metadata?.creationTimestamp !== undefined,
        },
        updateChangesResourceVersion:
          updated.metadata?.resourceVersion !== created.metadata?.resourceVersion,
        duplicate: await outcome(configMaps.create(configMap('a'))),
        stale: await outcome(configMaps.replace('a', { ...created, data: { a: '3' } })),
        missing: await outcome(configMaps.get('nope')),
        updateMissing: await outcome(
          configMaps.replace('nope', {
            ...configMap('nope'),
            metadata: { name: 'nope', resourceVersion: '1' },
          }),
        ),
      };
    },
  },
  {
    id: 'generation',
    title: 'metadata.generation: 1 on create, +1 on spec changes only (custom resource)',
    expected: { create: 1, spec: 2, label: 2, status: 2 },
    run: async (server) => {
      const widgets = await (await namespace(server, 'c-generation')).widgets();
      const body: Widget = {
        apiVersion: 'conformance.kube-rx.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { size: 1 },
      };
      const created = await firstValueFrom(widgets.create(body));
      const spec = await firstValueFrom(widgets.patch('w', Patch.merge({ spec: { size: 2 } })));
      const label = await firstValueFrom(
        widgets.patch('w', Patch.merge({ metadata: { labels: { a: 'b' } } })),
      );
      const status = await firstValueFrom(
        widgets.patchStatus('w', Patch.merge({ status: { ready: true } })),
      );
      return {
        create: created.metadata?.generation,
        spec: spec.metadata?.generation,
        label: label.metadata?.generation,
        status: status.metadata?.generation,
      };
    },
  },
  {
    id: 'status-subresource',
    title: 'status subresource: create drops status, main writes keep it, /status writes only it',
    expected: {
      statusOnCreate: null,
      statusAfterMainWrite: { ready: true },
      specAfterStatusWrite: { size: 1 },
    },
    run: async (server) => {
      const widgets = await (await namespace(server, 'c-status')).widgets();
      const created = await firstValueFrom(
        widgets.create({
          apiVersion: 'conformance.kube-rx.dev/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
          spec: { size: 1 },
          status: { ready: false },
        } as Widget),
      );
      await firstValueFrom(widgets.patchStatus('w', Patch.merge({ status: { ready: true } })));
      const mainWrite = await firstValueFrom(
        widgets.patch('w', Patch.merge({ status: { ready: false } })),
      );
      const statusWrite = await firstValueFrom(
        widgets.patchStatus('w', Patch.merge({ spec: { size: 5 }, status: { ready: true } })),
      );
      return {
        statusOnCreate: created.status ?? null,
        statusAfterMainWrite: mainWrite.status,
        specAfterStatusWrite: statusWrite.spec,
      };
    },
  },
  {
    id: 'finalizers',
    title: 'finalizers: DELETE sets deletionTimestamp and keeps the object until they are removed',
    expected: {
      deleteAnswers: 'object',
      deletionTimestamp: true,
      stillThere: true,
      addFinalizerWhileDeleting: '422 Invalid',
      afterLastFinalizer: '404 NotFound',
    },
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-finalizers');
      await firstValueFrom(
        configMaps.create({ metadata: { name: 'f', finalizers: ['kube-rx.dev/hold'] } }),
      );
      const deleted = (await firstValueFrom(configMaps.delete('f'))) as KubeObject;
      const fetched = await firstValueFrom(configMaps.get('f'));
      const addFinalizer = await outcome(
        configMaps.patch(
          'f',
          Patch.merge({ metadata: { finalizers: ['kube-rx.dev/hold', 'kube-rx.dev/other'] } }),
        ),
      );
      await firstValueFrom(configMaps.patch('f', Patch.merge({ metadata: { finalizers: null } })));
      return {
        deleteAnswers: deleted.kind === 'Status' ? 'Status' : 'object',
        deletionTimestamp: typeof deleted.metadata?.deletionTimestamp !== 'undefined',
        stillThere: fetched.metadata?.deletionTimestamp !== undefined,
        addFinalizerWhileDeleting: addFinalizer,
        afterLastFinalizer: await outcome(configMaps.get('f')),
      };
    },
  },
  {
    id: 'selectors',
    title: 'label selectors (=, !=, in, notin, exists, !exists) and field selectors',
    expected: {
      equals: ['a1', 'a2'],
      notEquals: ['b', 'none'],
      in: ['a1', 'a2', 'b'],
      notin: ['b', 'none'],
      exists: ['a1', 'a2', 'b'],
      notExists: ['none'],
      fieldName: ['b'],
      fieldNotName: ['a1', 'a2', 'none'],
      both: ['a2'],
    },
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-selectors');
      for (const [name, labels] of [
        ['a1', { app: 'a' }],
        ['a2', { app: 'a', tier: 'web' }],
        ['b', { app: 'b' }],
        ['none', {}],
      ] as const) {
        await firstValueFrom(configMaps.create(configMap(name, labels)));
      }
      const select = async (labelSelector?: string, fieldSelector?: string) =>
        names(
          (
            await firstValueFrom(
              configMaps.list({
                ...(labelSelector === undefined ? {} : { labelSelector }),
                ...(fieldSelector === undefined ? {} : { fieldSelector }),
              }),
            )
          ).items,
        );
      return {
        equals: await select('app=a'),
        notEquals: await select('app!=a'),
        in: await select('app in (a,b)'),
        notin: await select('app notin (a)'),
        exists: await select('app'),
        notExists: await select('!app'),
        fieldName: await select(undefined, 'metadata.name=b'),
        fieldNotName: await select(undefined, 'metadata.name!=b'),
        both: await select('app=a', 'metadata.name=a2'),
      };
    },
  },
  {
    id: 'paging',
    title: 'LIST limit/continue: pages, remainingItemCount, one resourceVersion for all pages',
    expected: {
      pages: [2, 2, 1],
      all: ['p0', 'p1', 'p2', 'p3', 'p4'],
      remainingItemCount: 3,
      lastPageContinue: 'absent',
      sameResourceVersion: true,
    },
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-paging');
      for (let index = 0; index < 5; index++) {
        await firstValueFrom(configMaps.create(configMap(`p${index}`)));
      }
      const pages = [];
      let token: string | undefined;
      do {
        const page = await firstValueFrom(
          configMaps.list({ limit: 2, ...(token === undefined ? {} : { continue: token }) }),
        );
        pages.push(page);
        token = page.metadata.continue === '' ? undefined : page.metadata.continue;
      } while (token !== undefined);
      return {
        pages: pages.map((page) => page.items.length),
        all: names(pages.flatMap((page) => page.items)),
        remainingItemCount: pages[0]!.metadata.remainingItemCount,
        lastPageContinue: pages.at(-1)!.metadata.continue === undefined ? 'absent' : 'present',
        sameResourceVersion: new Set(pages.map((page) => page.metadata.resourceVersion)).size === 1,
      };
    },
  },
  {
    id: 'paging-expired',
    title:
      'LIST continue token after compaction: HTTP 410 Expired with a fresh token (real server: watch cache off, the cache serves old pages)',
    expected: { status: '410 Expired', freshContinue: true },
    run: async (server) => {
      const target = await server.withoutWatchCache();
      const { configMaps } = await namespace(target, 'c-paging-expired');
      for (let index = 0; index < 3; index++) {
        await firstValueFrom(configMaps.create(configMap(`p${index}`)));
      }
      const first = await firstValueFrom(configMaps.list({ limit: 1 }));
      // A write after the page, so that compacting to the current revision drops the page's.
      await firstValueFrom(configMaps.create(configMap('later')));
      await target.compact();
      try {
        await firstValueFrom(configMaps.list({ limit: 1, continue: first.metadata.continue! }));
        return { status: 'ok' };
      } catch (error) {
        if (!isApiError(error)) throw error;
        return {
          status: `${error.code} ${error.reason}`,
          freshContinue: typeof error.status.metadata?.continue === 'string',
        };
      }
    },
  },
  {
    id: 'watch-from-version',
    title: 'WATCH from a resourceVersion replays later ADDED, MODIFIED, DELETED in order',
    expected: ['ADDED b', 'MODIFIED b', 'DELETED b'],
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-watch');
      const a = await firstValueFrom(configMaps.create(configMap('a')));
      await firstValueFrom(configMaps.create(configMap('b')));
      await firstValueFrom(configMaps.patch('b', Patch.merge({ data: { a: '2' } })));
      await firstValueFrom(configMaps.delete('b'));
      const events = await firstValueFrom(
        configMaps
          .watch({ resourceVersion: a.metadata!.resourceVersion! })
          .pipe(take(3), toArray()),
      );
      return events.map(eventSummary);
    },
  },
  {
    id: 'bookmarks',
    title:
      'allowWatchBookmarks: BOOKMARKs carry only a resourceVersion not older than the start; timeoutSeconds ends the watch cleanly',
    expected: {
      onlyBookmarks: true,
      bookmarksNotOlder: true,
      bookmarkShape: true,
      endedAfterMs: 2500,
    },
    run: async (server) => {
      // The real apiserver sends its pre-timeout bookmark on short watches only sometimes, so
      // the shape and ordering of bookmarks are compared, not their count.
      const { configMaps } = await namespace(server, 'c-bookmarks');
      const list = await firstValueFrom(configMaps.list());
      const started = Date.now();
      const events = await lastValueFrom(
        configMaps
          .watch({
            resourceVersion: list.metadata.resourceVersion!,
            allowWatchBookmarks: true,
            timeoutSeconds: 3,
          })
          .pipe(toArray()),
      );
      const elapsed = Date.now() - started;
      const bookmarks = events.filter((event) => event.type === 'BOOKMARK');
      return {
        onlyBookmarks: bookmarks.length === events.length,
        bookmarksNotOlder: bookmarks.every(
          (event) =>
            Number(event.object.metadata?.resourceVersion) >= Number(list.metadata.resourceVersion),
        ),
        bookmarkShape: bookmarks.every(
          (event) => event.object.metadata?.name === undefined && event.object.kind === 'ConfigMap',
        ),
        endedAfterMs: elapsed >= 2500 && elapsed < 10_000 ? 2500 : elapsed,
      };
    },
  },
  {
    id: 'watch-expired',
    title:
      'WATCH from a compacted resourceVersion: HTTP 200 with one ERROR 410 Expired event (real server: watch cache off)',
    expected: ['ERROR 410 Expired'],
    run: async (server) => {
      const target = await server.withoutWatchCache();
      const { configMaps } = await namespace(target, 'c-watch-expired');
      const a = await firstValueFrom(configMaps.create(configMap('a')));
      // Compaction keeps its own revision: two writes put a's successor below it.
      await firstValueFrom(configMaps.create(configMap('b')));
      await firstValueFrom(configMaps.create(configMap('c')));
      await target.compact();
      const events = await lastValueFrom(
        configMaps.watch({ resourceVersion: a.metadata!.resourceVersion! }).pipe(
          takeWhile((event) => event.type !== 'ERROR', true),
          toArray(),
        ),
      );
      return events.map(eventSummary);
    },
  },
  {
    id: 'list-exact-expired',
    title:
      'LIST resourceVersionMatch=Exact at a compacted resourceVersion: HTTP 410 Expired (real server: watch cache off)',
    expected: '410 Expired',
    run: async (server) => {
      const target = await server.withoutWatchCache();
      const { configMaps } = await namespace(target, 'c-exact-expired');
      const a = await firstValueFrom(configMaps.create(configMap('a')));
      await firstValueFrom(configMaps.create(configMap('b')));
      await firstValueFrom(configMaps.create(configMap('c')));
      await target.compact();
      return outcome(
        configMaps.list({
          resourceVersion: a.metadata!.resourceVersion!,
          resourceVersionMatch: 'Exact',
        }),
      );
    },
  },
  {
    id: 'send-initial-events',
    title:
      'streaming list (sendInitialEvents): ADDED per object, then a BOOKMARK marked initial-events-end',
    expected: {
      events: ['ADDED a', 'ADDED b', 'BOOKMARK'],
      endAnnotation: 'true',
      withoutBookmarks: 'ok',
    },
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-initial');
      await firstValueFrom(configMaps.create(configMap('a')));
      await firstValueFrom(configMaps.create(configMap('b')));
      const events = await firstValueFrom(
        configMaps
          .watch({
            sendInitialEvents: true,
            resourceVersionMatch: 'NotOlderThan',
            allowWatchBookmarks: true,
          })
          .pipe(
            takeWhile((event) => event.type !== 'BOOKMARK', true),
            toArray(),
          ),
      );
      const bookmark = events.at(-1)!;
      return {
        events: events.map(eventSummary),
        endAnnotation: (
          bookmark.object.metadata?.annotations as Record<string, string> | undefined
        )?.['k8s.io/initial-events-end'],
        withoutBookmarks: await outcome(
          configMaps.watch({ sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' }),
        ),
      };
    },
  },
  {
    id: 'patch-types',
    title: 'PATCH: merge, JSON patch (test failure 422), strategic (415 on custom resources)',
    expected: {
      merge: { a: '1', b: '2' },
      json: { a: 'replaced', b: '2' },
      jsonTestFails: '422 Invalid',
      strategic: { a: 'replaced', b: '2', c: '3' },
      strategicOnCustomResource: '415 UnsupportedMediaType',
    },
    run: async (server) => {
      const scope = await namespace(server, 'c-patch');
      const { configMaps } = scope;
      await firstValueFrom(configMaps.create(configMap('p')));
      const merged = await firstValueFrom(configMaps.patch('p', Patch.merge({ data: { b: '2' } })));
      const jsonPatched = await firstValueFrom(
        configMaps.patch('p', Patch.json([{ op: 'replace', path: '/data/a', value: 'replaced' }])),
      );
      const strategic = await firstValueFrom(
        configMaps.patch('p', Patch.strategic({ data: { c: '3' } })),
      );
      const widgets = await scope.widgets();
      await firstValueFrom(
        widgets.create({
          apiVersion: 'conformance.kube-rx.dev/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
          spec: {},
        } as Widget),
      );
      return {
        merge: merged.data,
        json: jsonPatched.data,
        jsonTestFails: await outcome(
          configMaps.patch('p', Patch.json([{ op: 'test', path: '/data/a', value: 'other' }])),
        ),
        strategic: strategic.data,
        strategicOnCustomResource: await outcome(
          widgets.patch('w', Patch.strategic({ spec: { size: 1 } })),
        ),
      };
    },
  },
  {
    id: 'server-side-apply',
    title: 'server-side apply: creates, records managedFields, 409 on a conflict, force takes over',
    expected: {
      created: { a: '1' },
      managers: ['alice'],
      conflict: '409 Conflict',
      forced: { a: '2' },
      managersAfterForce: ['bob'],
      missingFieldManager: 'TypeError',
    },
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-apply');
      const desired = (value: string) =>
        ({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 's' },
          data: { a: value },
        }) as V1ConfigMap;
      const created = await firstValueFrom(
        configMaps.patch('s', Patch.apply(desired('1')), { fieldManager: 'alice' }),
      );
      const conflict = await outcome(
        configMaps.patch('s', Patch.apply(desired('2')), { fieldManager: 'bob' }),
      );
      const forced = await firstValueFrom(
        configMaps.patch('s', Patch.apply(desired('2')), { fieldManager: 'bob', force: true }),
      );
      let missingFieldManager = 'sent';
      try {
        configMaps.patch('s', Patch.apply(desired('3')));
      } catch (error) {
        missingFieldManager = (error as Error).name;
      }
      const managers = (object: V1ConfigMap) =>
        (object.metadata?.managedFields ?? [])
          .filter((entry) => entry.operation === 'Apply')
          .map((entry) => entry.manager);
      return {
        created: created.data,
        managers: managers(created),
        conflict,
        forced: forced.data,
        managersAfterForce: managers(forced),
        missingFieldManager,
      };
    },
  },
  {
    id: 'dry-run',
    title: 'dryRun=All: create, patch and delete answer as if done and persist nothing',
    expected: {
      create: { name: 'd', uid: true },
      afterCreate: '404 NotFound',
      patch: { a: 'dry' },
      afterPatch: { a: '1' },
      delete: 'ok',
      afterDelete: 'ok',
    },
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-dry-run');
      const dryCreated = await firstValueFrom(configMaps.create(configMap('d'), { dryRun: true }));
      const afterCreate = await outcome(configMaps.get('d'));
      await firstValueFrom(configMaps.create(configMap('real')));
      const dryPatched = await firstValueFrom(
        configMaps.patch('real', Patch.merge({ data: { a: 'dry' } }), { dryRun: true }),
      );
      const afterPatch = await firstValueFrom(configMaps.get('real'));
      return {
        create: { name: dryCreated.metadata?.name, uid: dryCreated.metadata?.uid !== undefined },
        afterCreate,
        patch: dryPatched.data,
        afterPatch: afterPatch.data,
        delete: await outcome(configMaps.delete('real', { dryRun: true })),
        afterDelete: await outcome(configMaps.get('real')),
      };
    },
  },
  {
    id: 'table',
    title: 'Table output (as=Table;v=v1;g=meta.k8s.io) with limit and continue',
    expected: {
      kind: 'Table',
      firstColumn: 'Name',
      pages: [2, 1],
      rowNames: ['t0', 't1', 't2'],
    },
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-table');
      for (let index = 0; index < 3; index++) {
        await firstValueFrom(configMaps.create(configMap(`t${index}`)));
      }
      const accept = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
      const path = '/api/v1/namespaces/c-table/configmaps?limit=2';
      const first = await rawRequest(server.kubeConfig(), path, accept);
      const token = (first.body['metadata'] as { continue?: string } | undefined)?.continue;
      const second =
        token === undefined || token === ''
          ? undefined
          : await rawRequest(
              server.kubeConfig(),
              `${path}&continue=${encodeURIComponent(token)}`,
              accept,
            );
      const rows = (table: typeof first | undefined) =>
        ((table?.body['rows'] as Array<{ cells: unknown[] }> | undefined) ?? []).map((row) =>
          String(row.cells[0]),
        );
      const columns = first.body['columnDefinitions'] as Array<{ name: string }> | undefined;
      return {
        kind: first.body['kind'],
        firstColumn: columns?.[0]?.name,
        pages: [rows(first).length, ...(second === undefined ? [] : [rows(second).length])],
        rowNames: [...rows(first), ...rows(second)].sort(),
      };
    },
  },
  {
    id: 'leases',
    title: 'Leases: MicroTime fields round-trip, optimistic concurrency on renew',
    expected: {
      holder: 'a',
      acquireTime: '2026-01-02T03:04:05.123456Z',
      renewTime: '2026-01-02T03:04:06.000000Z',
      leaseDurationSeconds: 15,
      staleRenew: '409 Conflict',
      badMicroTime: '400 BadRequest',
    },
    run: async (server) => {
      const scope = await namespace(server, 'c-leases');
      const kubeConfig = server.kubeConfig();
      const leases = Api.namespaced<V1Lease>(kubeConfig, Lease, 'c-leases');
      void scope;
      const created = await firstValueFrom(
        leases.create({
          metadata: { name: 'leader' },
          spec: {
            holderIdentity: 'a',
            leaseDurationSeconds: 15,
            acquireTime: '2026-01-02T03:04:05.123456Z',
            renewTime: '2026-01-02T03:04:05.123456Z',
          },
        } as unknown as V1Lease),
      );
      const renewed = await firstValueFrom(
        leases.replace('leader', {
          ...created,
          spec: { ...created.spec, renewTime: '2026-01-02T03:04:06.000000Z' },
        } as unknown as V1Lease),
      );
      const spec = renewed.spec as unknown as Record<string, unknown>;
      return {
        holder: spec['holderIdentity'],
        acquireTime: spec['acquireTime'],
        renewTime: spec['renewTime'],
        leaseDurationSeconds: spec['leaseDurationSeconds'],
        staleRenew: await outcome(leases.replace('leader', created)),
        badMicroTime: await outcome(
          leases.create({
            metadata: { name: 'bad' },
            spec: { renewTime: 'yesterday' },
          } as unknown as V1Lease),
        ),
      };
    },
  },
];
