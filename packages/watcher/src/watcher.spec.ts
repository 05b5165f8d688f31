import { map, NEVER, of, take, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  ApiError,
  HttpError,
  isApiError,
  isHttpError,
  isSerdeError,
  SerdeError,
  type KubeObject,
} from '@kube-rx/core';
import {
  added,
  bookmark,
  configMap,
  deleted,
  errorEvent,
  fakeApi,
  modified,
  page,
} from '../test/fakeApi.js';
import { recordEvents } from '../test/recordEvents.js';
import { synchronousFakeApi } from '../test/synchronousSource.js';
import { listWatcher as watcher } from '../test/listWatcher.js';
import { watcher as autoWatcher } from './watcher.js';
import { isWatcherError } from './watcherError.js';
import { createStore } from './reflector/store.js';
import { reflect } from './reflector/reflect.js';

const a = configMap('a', '3');
const b = configMap('b', '4');
const gone = (): ApiError => new ApiError({ kind: 'Status', code: 410, reason: 'Expired' });
const unavailable = (): ApiError =>
  new ApiError({ kind: 'Status', code: 503, reason: 'ServiceUnavailable' });

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('watcher', () => {
  describe('initial list', () => {
    it('holds one request at a time: the LIST until it completes, then the WATCH', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const list$ = cold('--l|', { l: page([a, b], '10') });
        const watch$ = cold('-----x-', { x: modified(configMap('a', '11')) });
        const api = fakeApi({ list: () => list$, watch: () => watch$ });
        const types = { I: 'Init', A: 'InitApply', D: 'InitDone', P: 'Apply' };
        const source$ = watcher(api).pipe(map((event) => event.type));
        expectObservable(source$, '^ 10ms !').toBe('I-(AAD)P', types);
        expectSubscriptions(list$.subscriptions).toBe('^-!');
        expectSubscriptions(watch$.subscriptions).toBe('--^--------!');
      });
    });

    it('records the exact requests and event order', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          list: () => cold('--l|', { l: page([a, b], '10') }),
          watch: () => cold('---x-', { x: modified(configMap('a', '11')) }),
        });
        const { log } = recordEvents(watcher(api), ts, 1000);
        ts.flush();
        expect(log).toEqual([
          '0 Init',
          '2 InitApply a@3',
          '2 InitApply b@4',
          '2 InitDone',
          '5 Apply a@11',
        ]);
        expect(api.calls).toEqual([
          { verb: 'list', params: { limit: 500 } },
          {
            verb: 'watch',
            params: { resourceVersion: '10', timeoutSeconds: 290, allowWatchBookmarks: true },
          },
        ]);
      });
    });

    it('reports in each error whether the stream progressed since it started', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const reset = () => new HttpError('socket hang up', { code: 'ECONNRESET', stage: 'body' });
        const api = fakeApi({
          // The first LIST fails on its second page, the second completes.
          list: (params, n) =>
            n === 0
              ? cold('l|', { l: page([a], '10', 'c1') })
              : n === 1
                ? cold('-#', undefined, unavailable())
                : cold('l|', { l: page([a], '10') }),
          watch: (_params, n) =>
            n <= 1
              ? cold('-#', undefined, reset())
              : cold('-m#', { m: modified(configMap('a', '11')) }, reset()),
        });
        const listFailed = recordEvents(watcher(api), ts, 100);
        ts.flush();
        expect(listFailed.log).toEqual(['0 Init', '0 InitApply a@3', '1 error InitialListFailed']);
        // InitApply events of a list that did not complete are no progress.
        expect(listFailed.errors[0]!.progressed).toBe(false);

        const listed = recordEvents(watcher(api), ts, 100);
        ts.flush();
        expect(listed.log.at(-1)).toBe('101 error WatchFailed');
        // The completed list is progress, even though the watch after it broke at once.
        expect(listed.errors[0]!.progressed).toBe(true);

        // Raw resumes are fresh subscriptions: a WATCH that fails at once made no progress, one
        // that delivered a change did.
        const resumedEmpty = recordEvents(listed.errors[0]!.resume(), ts, 100);
        ts.flush();
        expect(resumedEmpty.log).toEqual(['201 error WatchFailed']);
        expect(resumedEmpty.errors[0]!.progressed).toBe(false);
        const resumedChange = recordEvents(listed.errors[0]!.resume(), ts, 100);
        ts.flush();
        expect(resumedChange.log).toEqual(['301 Apply a@11', '302 error WatchFailed']);
        expect(resumedChange.errors[0]!.progressed).toBe(true);
        expect(JSON.parse(JSON.stringify(resumedChange.errors[0]))).toMatchObject({
          progressed: true,
          resourceVersion: '11',
        });
      });
    });

    it('follows continue tokens with the page size and selectors, and watches with the same selectors', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const pages = [page([a], '10', 'c1'), page([b], '10', 'c2'), page([], '10')];
        const api = fakeApi({
          list: (_params, n) => cold('-l|', { l: pages[n]! }),
          watch: () => NEVER,
        });
        const config = { pageSize: 1, labelSelector: 'app=web', fieldSelector: 'spec.x=y' };
        const { log } = recordEvents(watcher(api, config), ts, 1000);
        ts.flush();
        expect(log).toEqual(['0 Init', '1 InitApply a@3', '2 InitApply b@4', '3 InitDone']);
        const selectors = { labelSelector: 'app=web', fieldSelector: 'spec.x=y' };
        expect(api.calls.map((call) => call.params)).toEqual([
          { limit: 1, ...selectors },
          { limit: 1, continue: 'c1', ...selectors },
          { limit: 1, continue: 'c2', ...selectors },
          {
            resourceVersion: '10',
            timeoutSeconds: 290,
            allowWatchBookmarks: true,
            ...selectors,
          },
        ]);
      });
    });

    it("asks for resourceVersion 0 on the first page only with listSemantic 'Any'", () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const pages = [page([a], '10', 'c1'), page([b], '10')];
        const api = fakeApi({ list: (_p, n) => cold('l|', { l: pages[n]! }) });
        recordEvents(watcher(api, { listSemantic: 'Any', bookmarks: false }), ts);
        ts.flush();
        expect(api.log()).toEqual([
          'list resourceVersion=0 limit=500',
          'list continue=c1 limit=500',
          'watch resourceVersion=10',
        ]);
        expect(api.calls[2]!.params).toEqual({ resourceVersion: '10', timeoutSeconds: 290 });
      });
    });

    it('restarts the list from the first page, with a new Init, when a continue token expires', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const responses = [
          cold('-l|', { l: page([a], '10', 'c1') }),
          cold('-#', undefined, gone()),
          cold('-l|', { l: page([a], '12', 'c2') }),
          cold('-l|', { l: page([b], '12') }),
        ];
        const api = fakeApi({ list: (_p, n) => responses[n]!, watch: () => NEVER });
        const { log } = recordEvents(watcher(api, { pageSize: 1 }), ts, 1000);
        ts.flush();
        expect(log).toEqual([
          '0 Init',
          '1 InitApply a@3',
          '2 Init',
          '3 InitApply a@3',
          '4 InitApply b@4',
          '4 InitDone',
        ]);
        expect(api.log()).toEqual([
          'list limit=1',
          'list continue=c1 limit=1',
          'list limit=1',
          'list continue=c2 limit=1',
          'watch resourceVersion=12',
        ]);
      });
    });

    it('fails with InitialListFailed when the restarted list expires again (no loop without backoff)', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          list: (params) =>
            params?.continue
              ? cold('-#', undefined, gone())
              : cold('-l|', { l: page([a], '10', 'c') }),
        });
        const { log, errors } = recordEvents(watcher(api, { pageSize: 1 }), ts);
        ts.flush();
        expect(log).toEqual([
          '0 Init',
          '1 InitApply a@3',
          '2 Init',
          '3 InitApply a@3',
          '4 error InitialListFailed',
        ]);
        expect(isApiError(errors[0]!.cause, 410)).toBe(true);
        expect(api.calls).toHaveLength(4);
      });
    });
  });

  describe('errors and their resume paths', () => {
    it('InitialListFailed resumes with a fresh list (Init again)', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          list: (_p, n) =>
            n === 0 ? cold('-#', undefined, unavailable()) : cold('-l|', { l: page([a], '7') }),
          watch: () => NEVER,
        });
        const first = recordEvents(watcher(api), ts, 1000);
        ts.flush();
        expect(first.log).toEqual(['0 Init', '1 error InitialListFailed']);
        const error = first.errors[0]!;
        expect(isWatcherError(error, 'InitialListFailed')).toBe(true);
        expect(error.name).toBe('WatcherError');
        expect(isApiError(error.cause, 503)).toBe(true);
        expect(error.resourceVersion).toBeUndefined();

        const resumed = recordEvents(error.resume(), ts, 1000);
        ts.flush();
        // The first run was flushed up to its unsubscription at 1000.
        expect(resumed.log).toEqual(['1000 Init', '1001 InitApply a@3', '1001 InitDone']);
        expect(api.log()).toEqual(['list limit=500', 'list limit=500', 'watch resourceVersion=7']);
      });
    });

    it('InitialListFailed with a timed-out HttpError when a LIST page hangs past listTimeout', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectSubscriptions }) => {
        const hanging = cold('-');
        const api = fakeApi({ list: () => hanging });
        const { log, errors } = recordEvents(watcher(api, { listTimeout: 5000 }), ts);
        ts.flush();
        expect(log).toEqual(['0 Init', '5000 error InitialListFailed']);
        const cause = errors[0]!.cause;
        expect(isHttpError(cause) && cause.timedOut).toBe(true);
        expectSubscriptions(hanging.subscriptions).toBe('^ 4999ms !');
      });
    });

    it('InitialListFailed with a SerdeError when the list has no resourceVersion', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          list: () => cold('l|', { l: { metadata: {}, items: [a] } }),
        });
        const { log, errors } = recordEvents(watcher(api), ts);
        ts.flush();
        expect(log).toEqual(['0 Init', '0 InitApply a@3', '0 error InitialListFailed']);
        expect(isSerdeError(errors[0]!.cause)).toBe(true);
      });
    });

    it('WatchStartFailed (ApiError from watch) resumes with one WATCH from the last resourceVersion', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          list: () => cold('l|', { l: page([a], '10') }),
          watch: (_p, n) =>
            n === 0
              ? cold(
                  '-#',
                  undefined,
                  new ApiError({ kind: 'Status', code: 403, reason: 'Forbidden' }),
                )
              : cold('--x', { x: added(configMap('c', '11')) }),
        });
        const first = recordEvents(watcher(api), ts, 1000);
        ts.flush();
        expect(first.log).toEqual([
          '0 Init',
          '0 InitApply a@3',
          '0 InitDone',
          '1 error WatchStartFailed',
        ]);
        const error = first.errors[0]!;
        expect(error.resourceVersion).toBe('10');
        const resumed = recordEvents(error.resume(), ts, 1000);
        ts.flush();
        expect(resumed.log).toEqual(['1002 Apply c@11']);
        expect(api.log()).toEqual([
          'list limit=500',
          'watch resourceVersion=10',
          'watch resourceVersion=10',
        ]);
      });
    });

    it("WatchStartFailed for an HttpError at stage 'request'; WatchFailed for stage 'body' after events", () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const refused = new HttpError('connect ECONNREFUSED', {
          code: 'ECONNREFUSED',
          stage: 'request',
        });
        const reset = new HttpError('socket hang up', { code: 'ECONNRESET', stage: 'body' });
        const api = fakeApi({
          list: () => cold('l|', { l: page([], '10') }),
          watch: (_p, n) =>
            n === 0
              ? cold('#', undefined, refused)
              : cold(
                  '-x-y-#',
                  { x: added(configMap('c', '11')), y: modified(configMap('c', '12')) },
                  reset,
                ),
        });
        const first = recordEvents(watcher(api), ts);
        ts.flush();
        expect(first.log.at(-1)).toBe('0 error WatchStartFailed');
        expect(first.errors[0]!.cause).toBe(refused);
        const second = recordEvents(first.errors[0]!.resume(), ts);
        ts.flush();
        expect(second.log).toEqual(['1 Apply c@11', '3 Apply c@12', '5 error WatchFailed']);
        expect(second.errors[0]!.cause).toBe(reset);
        expect(second.errors[0]!.resourceVersion).toBe('12');
        recordEvents(second.errors[0]!.resume(), ts);
        ts.flush();
        expect(api.log()).toEqual([
          'list limit=500',
          'watch resourceVersion=10',
          'watch resourceVersion=10',
          'watch resourceVersion=12',
        ]);
      });
    });

    it('a malformed line (SerdeError after the good lines) is WatchFailed resumed from the last good resourceVersion', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const bad = new SerdeError('watch line is not JSON', { body: '{"type":"ADDED","obj' });
        const api = fakeApi({
          list: () => cold('l|', { l: page([a], '10') }),
          watch: (_p, n) =>
            n === 0
              ? cold(
                  '-x-y#',
                  { x: added(configMap('c', '11')), y: deleted(configMap('a', '12')) },
                  bad,
                )
              : NEVER,
        });
        const first = recordEvents(watcher(api), ts, 1000);
        ts.flush();
        expect(first.log).toEqual([
          '0 Init',
          '0 InitApply a@3',
          '0 InitDone',
          '1 Apply c@11',
          '3 Delete a@12',
          '4 error WatchFailed',
        ]);
        const error = first.errors[0]!;
        expect(isSerdeError(error.cause)).toBe(true);
        recordEvents(error.resume(), ts, 1000);
        ts.flush();
        expect(api.log()).toEqual([
          'list limit=500',
          'watch resourceVersion=10',
          'watch resourceVersion=12',
        ]);
      });
    });

    it('gives up on a watch silent for timeoutSeconds + 30 s (WatchFailed, timed out), and events keep it alive', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectSubscriptions }) => {
        const silentAfterOne = cold('10s x', { x: bookmark('15') });
        const api = fakeApi({
          list: () => cold('l|', { l: page([], '10') }),
          watch: () => silentAfterOne,
        });
        const { log, errors } = recordEvents(watcher(api, { timeoutSeconds: 60 }), ts);
        ts.flush();
        // The bookmark at 10 s restarts the 90 s idle window: the watch is abandoned at 100 s.
        expect(log).toEqual(['0 Init', '0 InitDone', '100000 error WatchFailed']);
        const cause = errors[0]!.cause;
        expect(isHttpError(cause) && cause.timedOut && cause.stage === 'body').toBe(true);
        expect(errors[0]!.resourceVersion).toBe('15');
        expectSubscriptions(silentAfterOne.subscriptions).toBe('^ 99999ms !');
      });
    });

    it('WatchError 410 (ERROR event) resumes with a relist, then watches from the new list', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const lists = [page([a, b], '10'), page([b], '20')];
        const api = fakeApi({
          list: (_p, n) => cold('-l|', { l: lists[n]! }),
          watch: (_p, n) => (n === 0 ? cold('--e', { e: errorEvent(410) }) : NEVER),
        });
        const first = recordEvents(watcher(api), ts, 1000);
        ts.flush();
        expect(first.log.at(-1)).toBe('3 error WatchError');
        const error = first.errors[0]!;
        expect(error.status?.code).toBe(410);
        expect(isApiError(error.cause, 410)).toBe(true);
        expect(error.resourceVersion).toBeUndefined();
        const resumed = recordEvents(error.resume(), ts, 1000);
        ts.flush();
        expect(resumed.log).toEqual(['1000 Init', '1001 InitApply b@4', '1001 InitDone']);
        expect(api.log()).toEqual([
          'list limit=500',
          'watch resourceVersion=10',
          'list limit=500',
          'watch resourceVersion=20',
        ]);
      });
    });

    it('a WATCH refused with HTTP 410 (WatchStartFailed) resumes with a relist, not the same resourceVersion', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const lists = [page([a, b], '10'), page([b], '20')];
        const api = fakeApi({
          list: (_p, n) => cold('-l|', { l: lists[n]! }),
          watch: (_p, n) => (n === 0 ? cold('--#', undefined, gone()) : NEVER),
        });
        const first = recordEvents(watcher(api), ts, 1000);
        ts.flush();
        expect(first.log.at(-1)).toBe('3 error WatchStartFailed');
        const error = first.errors[0]!;
        expect(isApiError(error.cause, 410)).toBe(true);
        expect(error.status?.code).toBe(410);
        expect(error.resourceVersion).toBeUndefined();
        const resumed = recordEvents(error.resume(), ts, 1000);
        ts.flush();
        expect(resumed.log).toEqual(['1000 Init', '1001 InitApply b@4', '1001 InitDone']);
        expect(api.log()).toEqual([
          'list limit=500',
          'watch resourceVersion=10',
          'list limit=500',
          'watch resourceVersion=20',
        ]);
      });
    });

    it('a WATCH refused with another status resumes watching from the same resourceVersion', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          list: () => cold('l|', { l: page([], '10') }),
          watch: (_p, n) => (n === 0 ? cold('#', undefined, unavailable()) : NEVER),
        });
        const first = recordEvents(watcher(api), ts, 1000);
        ts.flush();
        const error = first.errors[0]!;
        expect(error.kind).toBe('WatchStartFailed');
        expect(error.status?.code).toBe(503);
        expect(error.resourceVersion).toBe('10');
        recordEvents(error.resume(), ts, 1000);
        ts.flush();
        expect(api.log()).toEqual([
          'list limit=500',
          'watch resourceVersion=10',
          'watch resourceVersion=10',
        ]);
      });
    });

    it('other WatchErrors re-watch from the last resourceVersion', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          list: () => cold('l|', { l: page([], '10') }),
          watch: (_p, n) =>
            n === 0
              ? cold('x-e', { x: added(configMap('c', '11')), e: errorEvent(500, 'InternalError') })
              : NEVER,
        });
        const first = recordEvents(watcher(api), ts, 1000);
        ts.flush();
        expect(first.errors[0]!.status?.code).toBe(500);
        recordEvents(first.errors[0]!.resume(), ts, 1000);
        ts.flush();
        expect(api.log()).toEqual([
          'list limit=500',
          'watch resourceVersion=10',
          'watch resourceVersion=11',
        ]);
      });
    });

    it('without a backoff operator an error ends the stream: no further request is made', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({ list: () => cold('#', undefined, unavailable()) });
        const { log } = recordEvents(watcher(api), ts);
        ts.flush();
        expect(log).toEqual(['0 Init', '0 error InitialListFailed']);
        expect(api.calls).toHaveLength(1);
      });
    });
  });

  describe('watching', () => {
    it('maps ADDED/MODIFIED to Apply and DELETED to Delete; bookmarks advance the resourceVersion unseen', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          list: () => cold('l|', { l: page([], '10') }),
          watch: (_p, n) =>
            n === 0
              ? cold('-x-y-z-k 2s |', {
                  x: added(configMap('c', '11')),
                  y: modified(configMap('c', '12')),
                  z: deleted(configMap('c', '13')),
                  k: bookmark('40'),
                })
              : NEVER,
        });
        const { log } = recordEvents(watcher(api), ts, 10000);
        ts.flush();
        expect(log).toEqual([
          '0 Init',
          '0 InitDone',
          '1 Apply c@11',
          '3 Apply c@12',
          '5 Delete c@13',
        ]);
        // The server ended the watch normally: one new WATCH from the bookmark's version, no LIST.
        expect(api.log()).toEqual([
          'list limit=500',
          'watch resourceVersion=10',
          'watch resourceVersion=40',
        ]);
      });
    });

    it('re-opens a watch the server ended normally, from the last resourceVersion, without relist or error', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectSubscriptions }) => {
        const firstWatch = cold('290s |');
        const secondWatch = cold('1s x', { x: added(configMap('c', '11')) });
        const api = fakeApi({
          list: () => cold('l|', { l: page([], '10') }),
          watch: (_p, n) => (n === 0 ? firstWatch : secondWatch),
        });
        const { log } = recordEvents(watcher(api), ts, 300000);
        ts.flush();
        expect(log).toEqual(['0 Init', '0 InitDone', '291000 Apply c@11']);
        expectSubscriptions(firstWatch.subscriptions).toBe('^ 289999ms !');
        expectSubscriptions(secondWatch.subscriptions).toBe('290s ^ 9999ms !');
        expect(api.log()).toEqual([
          'list limit=500',
          'watch resourceVersion=10',
          'watch resourceVersion=10',
        ]);
      });
    });

    it('treats a watch that ends at once without any event as WatchFailed (no tight re-watch loop)', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          list: () => cold('l|', { l: page([], '10') }),
          watch: () => cold('|'),
        });
        const { log, errors } = recordEvents(watcher(api), ts);
        ts.flush();
        expect(log).toEqual(['0 Init', '0 InitDone', '0 error WatchFailed']);
        expect(errors[0]!.resourceVersion).toBe('10');
        expect(api.calls).toHaveLength(2);
      });
    });

    it('stops every request when the subscriber unsubscribes', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectSubscriptions }) => {
        const watch$ = cold('-x-y-', {
          x: added(configMap('c', '11')),
          y: added(configMap('d', '12')),
        });
        const api = fakeApi({ list: () => cold('l|', { l: page([], '10') }), watch: () => watch$ });
        const seen: string[] = [];
        watcher(api)
          .pipe(take(3))
          .subscribe((event) => seen.push(event.type));
        ts.flush();
        expect(seen).toEqual(['Init', 'InitDone', 'Apply']);
        expectSubscriptions(watch$.subscriptions).toBe('^!');
      });
    });

    it('stops the list mid-page when the subscriber unsubscribes during InitApply', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          list: () => cold('l|', { l: page([a, b, configMap('c', '5')], '10') }),
        });
        const seen: string[] = [];
        watcher(api)
          .pipe(take(2))
          .subscribe((event) => seen.push(event.type));
        ts.flush();
        expect(seen).toEqual(['Init', 'InitApply']);
        expect(api.calls).toHaveLength(1);
      });
    });
  });

  describe("initialListStrategy 'StreamingList'", () => {
    const initialEventsEnd = (rv: string) =>
      bookmark<KubeObject>(rv, { 'k8s.io/initial-events-end': 'true' });

    it('turns initial ADDED events into InitApply until the initial-events-end bookmark, then watches on', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          watch: (_p, n) =>
            n === 0
              ? cold('-a-b-k-e-m 2s |', {
                  a: added(a),
                  b: added(b),
                  k: bookmark('8'),
                  e: initialEventsEnd('9'),
                  m: modified(configMap('a', '12')),
                })
              : NEVER,
        });
        const { log } = recordEvents(
          watcher(api, { initialListStrategy: 'StreamingList' }),
          ts,
          10000,
        );
        ts.flush();
        expect(log).toEqual([
          '0 Init',
          '1 InitApply a@3',
          '3 InitApply b@4',
          '7 InitDone',
          '9 Apply a@12',
        ]);
        expect(api.calls[0]).toEqual({
          verb: 'watch',
          params: {
            timeoutSeconds: 290,
            allowWatchBookmarks: true,
            sendInitialEvents: true,
            resourceVersionMatch: 'NotOlderThan',
          },
        });
        // After the server's normal end, a plain watch from the last resourceVersion.
        expect(api.calls[1]).toEqual({
          verb: 'watch',
          params: { resourceVersion: '12', timeoutSeconds: 290, allowWatchBookmarks: true },
        });
        expect(api.calls.some((call) => call.verb === 'list')).toBe(false);
      });
    });

    it("uses resourceVersion 0 with listSemantic 'Any'", () => {
      const ts = testScheduler();
      ts.run(() => {
        const api = fakeApi({ watch: () => NEVER });
        recordEvents(
          watcher(api, { initialListStrategy: 'StreamingList', listSemantic: 'Any' }),
          ts,
          1000,
        );
        ts.flush();
        expect(api.calls[0]!.params).toMatchObject({
          resourceVersion: '0',
          sendInitialEvents: true,
        });
      });
    });

    it('resumes a failure during the initial events with a fresh streaming list', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const reset = new HttpError('socket hang up', { code: 'ECONNRESET', stage: 'body' });
        const api = fakeApi({
          watch: (_p, n) =>
            n === 0
              ? cold('-a-#', { a: added(a) }, reset)
              : cold('-e', { e: initialEventsEnd('9') }),
        });
        const first = recordEvents(
          watcher(api, { initialListStrategy: 'StreamingList' }),
          ts,
          1000,
        );
        ts.flush();
        expect(first.log).toEqual(['0 Init', '1 InitApply a@3', '3 error WatchFailed']);
        expect(first.errors[0]!.resourceVersion).toBeUndefined();
        const resumed = recordEvents(first.errors[0]!.resume(), ts, 1000);
        ts.flush();
        expect(resumed.log).toEqual(['1000 Init', '1001 InitDone']);
        expect(api.calls[1]!.params).toMatchObject({ sendInitialEvents: true });
      });
    });

    it('fails (resuming with a fresh streaming list) when the stream ends before the initial-events-end bookmark', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({ watch: () => cold('-a 5s |', { a: added(a) }) });
        const { log, errors } = recordEvents(
          watcher(api, { initialListStrategy: 'StreamingList' }),
          ts,
        );
        ts.flush();
        expect(log).toEqual(['0 Init', '1 InitApply a@3', '5002 error WatchFailed']);
        expect(errors[0]!.resourceVersion).toBeUndefined();
      });
    });
  });

  describe("initialListStrategy 'Auto' (the default)", () => {
    const initialEventsEnd = (rv: string) =>
      bookmark<KubeObject>(rv, { 'k8s.io/initial-events-end': 'true' });
    const refused = (code: number) =>
      new ApiError({ kind: 'Status', code, reason: code === 422 ? 'Invalid' : 'BadRequest' });

    it('uses a streaming list where the server serves one: no LIST at all', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          watch: (_p, n) =>
            n === 0
              ? cold('-a-e-m', { a: added(a), e: initialEventsEnd('9'), m: modified(b) })
              : NEVER,
        });
        const { log } = recordEvents(autoWatcher(api), ts, 60_000);
        ts.flush();
        expect(log).toEqual(['0 Init', '1 InitApply a@3', '3 InitDone', '5 Apply b@4']);
        expect(api.calls).toHaveLength(1);
        expect(api.calls[0]!.params).toMatchObject({
          sendInitialEvents: true,
          resourceVersionMatch: 'NotOlderThan',
          allowWatchBookmarks: true,
        });
      });
    });

    it.each([400, 403, 422])(
      'falls back to paged LIST+WATCH at once when the WATCH is refused with %i',
      (code) => {
        const ts = testScheduler();
        ts.run(({ cold }) => {
          const api = fakeApi({
            watch: (_p, n) =>
              n === 0 ? cold('-#', undefined, refused(code)) : cold('-m', { m: modified(b) }),
            list: () => cold('--l|', { l: page([a], '10') }),
          });
          const { log, errors } = recordEvents(autoWatcher(api), ts, 60_000);
          ts.flush();
          expect(errors).toEqual([]);
          // The second Init opens the paged list; InitDone comes only after it.
          expect(log).toEqual(['0 Init', '1 Init', '3 InitApply a@3', '3 InitDone', '4 Apply b@4']);
          expect(api.log()).toEqual(['watch', 'list limit=500', 'watch resourceVersion=10']);
        });
      },
    );

    it('falls back (discarding the partial state) when the stream ends before the initial-events-end bookmark', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          watch: (_p, n) => (n === 0 ? cold('-a 2s |', { a: added(a) }) : NEVER),
          list: () => cold('-l|', { l: page([b], '10') }),
        });
        const events: string[] = [];
        const { store, writer } = createStore<KubeObject>();
        const subscription = autoWatcher(api)
          .pipe(reflect(writer))
          .subscribe((event) => events.push(`${ts.now()} ${event.type}`));
        ts.schedule(() => subscription.unsubscribe(), 60_000);
        ts.flush();
        expect(events).toEqual([
          '0 Init',
          '1 InitApply',
          '2002 Init',
          '2003 InitApply',
          '2003 InitDone',
        ]);
        // a, streamed before the fallback, is not in the state: only the list's b.
        expect(store.list().map((object) => object.metadata?.name)).toEqual(['b']);
      });
    });

    it('falls back after 10 s of silence without the initial-events-end bookmark (a server that ignores sendInitialEvents)', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          // The legacy answer to a WATCH without resourceVersion: ADDED for the current objects,
          // then only changes.
          watch: (_p, n) => (n === 0 ? cold('-a 4s b', { a: added(a), b: added(b) }) : NEVER),
          list: () => cold('-l|', { l: page([a, b], '10') }),
        });
        const { log, errors } = recordEvents(autoWatcher(api), ts, 60_000);
        ts.flush();
        expect(errors).toEqual([]);
        expect(log).toEqual([
          '0 Init',
          '1 InitApply a@3',
          '4002 InitApply b@4',
          // 10 s after the last event.
          '14002 Init',
          '14003 InitApply a@3',
          '14003 InitApply b@4',
          '14003 InitDone',
        ]);
        expect(api.log()).toEqual(['watch', 'list limit=500', 'watch resourceVersion=10']);
      });
    });

    it('falls back after listTimeout even when events keep coming without the bookmark', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const busy = cold('-a 1s b 1s a 1s b 1s a 1s b 1s a', { a: added(a), b: added(b) });
        const api = fakeApi({
          watch: (_p, n) => (n === 0 ? busy : NEVER),
          list: () => cold('-l|', { l: page([], '10') }),
        });
        const { log } = recordEvents(autoWatcher(api, { listTimeout: 3000 }), ts, 60_000);
        ts.flush();
        expect(log).toEqual([
          '0 Init',
          '1 InitApply a@3',
          '1002 InitApply b@4',
          '2003 InitApply a@3',
          '3000 Init',
          '3001 InitDone',
        ]);
      });
    });

    it('keeps the fallback for later relists of the same watcher', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          watch: (_p, n) =>
            n === 0
              ? cold('-#', undefined, refused(422))
              : n === 1
                ? cold('-x', { x: errorEvent(410, 'Expired') })
                : NEVER,
          list: (_p, n) => cold('-l|', { l: page([], String(10 + n)) }),
        });
        const first = recordEvents(autoWatcher(api), ts, 1000);
        ts.flush();
        expect(first.errors[0]!.kind).toBe('WatchError');
        recordEvents(first.errors[0]!.resume(), ts, 1000);
        ts.flush();
        expect(api.log()).toEqual([
          'watch',
          'list limit=500',
          'watch resourceVersion=10',
          'list limit=500',
          'watch resourceVersion=11',
        ]);
      });
    });

    it('does not fall back on other failures: a 503 before the bookmark resumes with a streaming list', () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({
          watch: (_p, n) =>
            n === 0
              ? cold('-#', undefined, unavailable())
              : cold('-e', { e: initialEventsEnd('9') }),
        });
        const first = recordEvents(autoWatcher(api), ts, 1000);
        ts.flush();
        expect(first.log).toEqual(['0 Init', '1 error WatchStartFailed']);
        const resumed = recordEvents(first.errors[0]!.resume(), ts, 1000);
        ts.flush();
        expect(resumed.log).toEqual(['1000 Init', '1001 InitDone']);
        expect(api.calls.map((call) => call.verb)).toEqual(['watch', 'watch']);
        expect(api.calls[1]!.params).toMatchObject({ sendInitialEvents: true });
      });
    });

    it("'StreamingList' never falls back: a refused WATCH is an error", () => {
      const ts = testScheduler();
      ts.run(({ cold }) => {
        const api = fakeApi({ watch: () => cold('-#', undefined, refused(422)) });
        const { log } = recordEvents(
          autoWatcher(api, { initialListStrategy: 'StreamingList' }),
          ts,
          60_000,
        );
        ts.flush();
        expect(log).toEqual(['0 Init', '1 error WatchStartFailed']);
        expect(api.calls.some((call) => call.verb === 'list')).toBe(false);
      });
    });
  });

  describe('config', () => {
    it.each([
      [{ timeoutSeconds: 0 }],
      [{ timeoutSeconds: 1.5 }],
      [{ pageSize: -1 }],
      [{ listTimeout: 0 }],
      [{ initialListStrategy: 'Bogus' as never }],
      [{ listSemantic: 'Bogus' as never }],
    ])('throws a TypeError at creation for %j', (config) => {
      const api = fakeApi({ list: () => throwError(() => new Error('never called')) });
      expect(() => watcher(api, config)).toThrow(TypeError);
      expect(api.calls).toHaveLength(0);
    });
  });
});

describe('watcher with synchronous sources', () => {
  it('should stop listening to a synchronous watch when unsubscribed', () => {
    const { api, watched } = synchronousFakeApi();
    const types: string[] = [];
    watcher(api)
      .pipe(take(3))
      .subscribe((event) => types.push(event.type));
    expect(types).toEqual(['Init', 'InitDone', 'Apply']);
    expect(watched()).toBe(1);
  });

  it('stops reading an endless synchronous paged LIST when unsubscribed', () => {
    let pages = 0;
    const api = fakeApi({
      list: (_params, n) => {
        pages++;
        return of(page([configMap(`cm-${n}`, '1')], '1', `token-${n + 1}`));
      },
    });
    const types: string[] = [];
    watcher(api)
      .pipe(take(3))
      .subscribe((event) => types.push(event.type));
    expect(types).toEqual(['Init', 'InitApply', 'InitApply']);
    expect(pages).toBe(2);
  });
});
