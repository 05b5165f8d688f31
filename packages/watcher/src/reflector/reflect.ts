import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { WatcherEvent } from '../watcherEvent.js';
import type { Writer } from './store.js';

/**
 * Applies every watcher event to `writer` (and so to its store) before passing it on unchanged.
 * Before or after the backoff alike: a resumed watcher is re-subscribed through it, so the
 * store sees the resumed stream either way.
 *
 * @example
 * ```ts
 * const { store, writer } = createStore<Pod>();
 * watcher(pods).pipe(defaultBackoff(), reflect(writer), appliedObjects()).subscribe((pod) => console.log(pod.metadata?.name));
 * ```
 */
export function reflect<K>(writer: Writer<K>): MonoTypeOperatorFunction<WatcherEvent<K>> {
  if (typeof writer?.apply !== 'function') throw new TypeError('reflect: writer must be a Writer');
  return tap((event: WatcherEvent<K>) => writer.apply(event));
}
