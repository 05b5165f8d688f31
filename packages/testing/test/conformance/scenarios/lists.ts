// Conformance scenarios: LIST: selectors, paging and its expiry, Exact reads, Table output.
import { isApiError } from '@kube-rx/core';
import { firstValueFrom } from 'rxjs';
import { rawRequest } from '../rawRequest.js';
import { configMap, names, namespace, outcome, type Scenario } from './scenario.js';

// Conformance scenarios: LIST: selectors, paging and its expiry, Exact reads, Table output.

export const listScenarios: readonly Scenario[] = [
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
];
