import { defer, NEVER, type Observable } from 'rxjs';
import type {
  KubeObject,
  ListParams,
  ObjectList,
  PartialObjectMetadata,
  WatchEvent,
  WatchParams,
} from '@kube-rx/core';

/** One request the fake received (recorded when it was subscribed, as a real Api sends it then). */
export interface FakeCall {
  verb: 'list' | 'watch' | 'listMetadata' | 'watchMetadata';
  params: ListParams | WatchParams | undefined;
}

/** Scripted responses: the n-th call of a verb (0-based) gets `handler(params, n)`. */
export interface FakeHandlers {
  // Loosely typed on purpose: marble helpers type error-only streams as Observable<string>.
  list?: (params: ListParams | undefined, n: number) => Observable<unknown>;
  watch?: (params: WatchParams | undefined, n: number) => Observable<unknown>;
  listMetadata?: (params: ListParams | undefined, n: number) => Observable<unknown>;
  watchMetadata?: (params: WatchParams | undefined, n: number) => Observable<unknown>;
}

/** A fake `Api<K>` with `list`/`watch` (and the metadata variants) returning scripted cold streams. */
export interface FakeApi<K> {
  calls: FakeCall[];
  list(params?: ListParams): Observable<ObjectList<K>>;
  watch(params?: WatchParams): Observable<WatchEvent<K>>;
  listMetadata(params?: ListParams): Observable<ObjectList<PartialObjectMetadata>>;
  watchMetadata(params?: WatchParams): Observable<WatchEvent<PartialObjectMetadata>>;
  /** `verb rv=… continue=… limit=…` lines, for compact assertions. */
  log(): string[];
}

export function fakeApi<K = KubeObject>(handlers: FakeHandlers): FakeApi<K> {
  const calls: FakeCall[] = [];
  const counts = { list: 0, watch: 0, listMetadata: 0, watchMetadata: 0 };
  function request<T>(
    verb: FakeCall['verb'],
    params: ListParams | WatchParams | undefined,
    handler: ((params: never, n: number) => Observable<unknown>) | undefined,
  ): Observable<T> {
    return defer(() => {
      calls.push({ verb, params });
      const n = counts[verb]++;
      return (handler ? handler(params as never, n) : NEVER) as Observable<T>;
    });
  }
  return {
    calls,
    list: (params) => request('list', params, handlers.list),
    watch: (params) => request('watch', params, handlers.watch),
    listMetadata: (params) => request('listMetadata', params, handlers.listMetadata),
    watchMetadata: (params) => request('watchMetadata', params, handlers.watchMetadata),
    log: () =>
      calls.map(({ verb, params }) => {
        const p = (params ?? {}) as Record<string, unknown>;
        const parts: string[] = [verb];
        for (const key of ['resourceVersion', 'continue', 'limit']) {
          if (p[key] !== undefined) parts.push(`${key}=${String(p[key])}`);
        }
        return parts.join(' ');
      }),
  };
}

/** A ConfigMap named `name` at resourceVersion `rv`. */
export function configMap(name: string, rv: string, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    ...extra,
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: rv, ...extra.metadata },
  };
}

/** A LIST page. */
export function page<K>(items: K[], resourceVersion: string, next?: string): ObjectList<K> {
  const metadata: ObjectList<K>['metadata'] = { resourceVersion };
  if (next !== undefined) metadata.continue = next;
  return { apiVersion: 'v1', kind: 'List', metadata, items };
}

export const added = <K>(object: K): WatchEvent<K> => ({ type: 'ADDED', object });
export const modified = <K>(object: K): WatchEvent<K> => ({ type: 'MODIFIED', object });
export const deleted = <K>(object: K): WatchEvent<K> => ({ type: 'DELETED', object });
export const bookmark = <K>(rv: string, annotations?: Record<string, string>): WatchEvent<K> => ({
  type: 'BOOKMARK',
  object: {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: annotations ? { resourceVersion: rv, annotations } : { resourceVersion: rv },
  },
});
export const errorEvent = <K>(code: number, reason = 'Expired'): WatchEvent<K> => ({
  type: 'ERROR',
  object: {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: 'too old resource version',
    reason,
    code,
  },
});
