// Conformance scenarios: WATCH: resumption, bookmarks, expiry, streaming lists.
import { Patch } from '@kube-rx/core';
import { firstValueFrom, lastValueFrom, take, takeWhile, toArray } from 'rxjs';
import { configMap, eventSummary, namespace, outcome, type Scenario } from './scenario.js';

// Conformance scenarios: WATCH: resumption, bookmarks, expiry, streaming lists.

export const watchScenarios: readonly Scenario[] = [
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
];
