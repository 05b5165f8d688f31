import { Observable, of } from 'rxjs';
import type { KubeObject, WatchEvent } from '@kube-rx/core';
import { added, configMap, fakeApi, page, type FakeApi } from './fakeApi.js';

/** An infinite synchronous source of `make(0)`, `make(1)`, ... that counts what it produced. */
export function synchronousSource<T>(make: (index: number) => T): {
  source: Observable<T>;
  produced: () => number;
} {
  let produced = 0;
  const source = new Observable<T>((subscriber) => {
    for (let i = 0; !subscriber.closed; i++) {
      produced++;
      subscriber.next(make(i));
    }
  });
  return { source, produced: () => produced };
}

/**
 * A fake Api whose LIST is one empty page (synchronous) and whose WATCH is an endless synchronous
 * stream of ADDED ConfigMaps `cm-0`, `cm-1`, ... at resourceVersions 2, 3, ...
 */
export function synchronousFakeApi(): { api: FakeApi<KubeObject>; watched: () => number } {
  const events = synchronousSource<WatchEvent<KubeObject>>((i) =>
    added(configMap(`cm-${i}`, String(i + 2))),
  );
  const api = fakeApi({
    list: () => of(page<KubeObject>([], '1')),
    watch: () => events.source,
    listMetadata: () => of(page<KubeObject>([], '1')),
    watchMetadata: () => events.source,
  });
  return { api, watched: events.produced };
}
