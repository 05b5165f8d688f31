import {
  asyncScheduler,
  Observable,
  Subscription,
  type SchedulerLike,
  type Subscriber,
} from 'rxjs';
import { subscribeWithin, type KubeObject } from '@kube-rx/core';
import type { WatcherEvent } from '../watcherEvent.js';
import { createStore, type Store, type Writer } from './store.js';

/** Options of {@link shareWatcher}. */
export interface ShareWatcherConfig<K> {
  /**
   * The writer of the shared cache. Default: a fresh `createStore<K>()`. Pass your own to choose
   * its `transform`/`key`, or to read the store elsewhere.
   */
  writer?: Writer<K>;
  /**
   * Events queued for one subscriber before it is declared too slow. On overflow its queue is
   * dropped and it gets a resync from the cache instead (`Init`, one `InitApply` per cached
   * object, `InitDone`), then live events again. Default: 10 000.
   */
  bufferSize?: number;
  /**
   * Where deliveries to subscribers are scheduled: each subscriber drains its own queue in its own
   * task, so one subscriber's work never runs inside the shared read loop or another's delivery.
   * Default: `asyncScheduler` (a macrotask, interleaved with I/O).
   */
  scheduler?: SchedulerLike;
}

/** One upstream watcher shared by many subscribers, and the cache it fills. */
export interface SharedWatcher<K> {
  /**
   * Subscribe as many times as needed: the first subscription starts the upstream watcher, the
   * last unsubscription stops it. A subscriber that joins once the cache is synced first gets
   * the cache (`Init`, `InitApply`…, `InitDone`), then live events.
   */
  readonly events$: Observable<WatcherEvent<K>>;
  /** The shared cache (fed before any subscriber sees an event). */
  readonly store: Store<K>;
}

interface Consumer<K> {
  subscriber: Subscriber<WatcherEvent<K>>;
  queue: WatcherEvent<K>[];
  /** Waiting for a resync from the cache (late join or overflow); live events are skipped meanwhile. */
  needsSnapshot: boolean;
  scheduled: Subscription | undefined;
  /** How the source ended, delivered after the queue. */
  end: { error: unknown } | 'complete' | undefined;
}

/**
 * Shares one watcher stream between several consumers (controllers, `owns` relations, ...), with
 * one cache: kube-runtime's shared reflector / dispatcher.
 *
 * - The source is subscribed once, on the first subscription to `events$`, and unsubscribed when
 *   the last one leaves (the cache keeps its contents; the next subscription relists).
 * - Every event is applied to the cache first, then queued to every subscriber.
 * - Late subscribers get a snapshot of the cache first. If the source is in the middle of a
 *   (re)list, they wait for its `InitDone` and then get the fresh snapshot.
 * - Buffering is bounded per subscriber (`bufferSize`): a subscriber whose queue overflows loses
 *   its queued events and gets a resync from the cache instead — it never holds up the others, and
 *   memory stays bounded. Delivery is asynchronous (`scheduler`).
 * - Put the backoff **before** `shareWatcher`, so that errors are handled once for everyone. An
 *   error that still reaches it is delivered to every subscriber (after their queued events); a
 *   subscriber's backoff that then re-subscribes `events$` reconnects the source synchronously, so
 *   a watcher source resumes from where it stopped (the other subscribers re-join with a snapshot
 *   of the cache).
 *
 * @example
 * ```ts
 * const pods$ = watcher(pods).pipe(defaultBackoff());
 * const shared = shareWatcher(pods$);
 * shared.events$.pipe(appliedObjects()).subscribe((pod) => console.log('on', pod.spec?.nodeName));
 * shared.events$.pipe(touchedObjects()).subscribe((pod) => console.log('touched', pod.metadata?.name));
 * await shared.store.ready();
 * ```
 */
export function shareWatcher<K extends KubeObject>(
  source: Observable<WatcherEvent<K>>,
  config: ShareWatcherConfig<K> = {},
): SharedWatcher<K> {
  const bufferSize = config.bufferSize ?? 10_000;
  if (!Number.isInteger(bufferSize) || bufferSize <= 0) {
    throw new TypeError(`shareWatcher: bufferSize must be a positive integer, got ${bufferSize}`);
  }
  const writer = config.writer ?? createStore<K>().writer;
  const scheduler = config.scheduler ?? asyncScheduler;
  const store = writer.store;

  const consumers = new Set<Consumer<K>>();
  let upstream: Subscription | undefined;
  let connected = false;
  let inInit = false;
  /** Whether the cache holds a complete list (an `InitDone` was seen). */
  let synced = false;

  const deliver = (consumer: Consumer<K>): void => {
    consumer.scheduled = undefined;
    const { subscriber } = consumer;
    if (consumer.needsSnapshot && consumer.end === undefined) {
      if (inInit) return; // rescheduled at InitDone
      consumer.needsSnapshot = false;
      consumer.queue = [];
      subscriber.next({ type: 'Init' });
      for (const object of store.list()) {
        if (subscriber.closed) return;
        subscriber.next({ type: 'InitApply', object });
      }
      subscriber.next({ type: 'InitDone' });
    }
    const queue = consumer.queue;
    consumer.queue = [];
    for (let i = 0; i < queue.length && !subscriber.closed; i++) subscriber.next(queue[i]!);
    const end = consumer.end;
    if (end !== undefined && !subscriber.closed) {
      if (end === 'complete') subscriber.complete();
      else subscriber.error(end.error);
    }
  };

  const schedule = (consumer: Consumer<K>): void => {
    if (consumer.scheduled !== undefined) return;
    let delivered = false;
    const scheduled = scheduler.schedule(() => {
      delivered = true;
      deliver(consumer);
    });
    // A scheduler that runs work at once (queueScheduler) has delivered already: nothing pends.
    if (!delivered) consumer.scheduled = scheduled;
  };

  const finish = (end: { error: unknown } | 'complete'): void => {
    upstream = undefined;
    connected = false;
    for (const consumer of consumers) {
      consumer.end = end;
      schedule(consumer);
    }
    consumers.clear();
  };

  const connect = (): void => {
    // A source that lists starts with `Init`; one that resumes (a watcher re-subscribed by a
    // backoff) continues with changes to the cache it filled before.
    inInit = !synced;
    connected = true;
    // The connection is `upstream` before the source runs, so a last subscriber that leaves
    // while a synchronous source is still emitting stops it.
    const connection = new Subscription();
    upstream = connection;
    subscribeWithin(connection, source, {
      next: (event) => {
        writer.apply(event);
        if (event.type === 'Init') inInit = true;
        else if (event.type === 'InitDone') {
          inInit = false;
          synced = true;
        }
        for (const consumer of consumers) {
          if (consumer.needsSnapshot) {
            if (!inInit) schedule(consumer);
            continue;
          }
          consumer.queue.push(event);
          if (consumer.queue.length > bufferSize) {
            consumer.queue = [];
            consumer.needsSnapshot = true;
            if (inInit) continue;
          }
          schedule(consumer);
        }
      },
      error: (error: unknown) => finish({ error }),
      complete: () => finish('complete'),
    });
  };

  const events$ = new Observable<WatcherEvent<K>>((subscriber) => {
    const consumer: Consumer<K> = {
      subscriber,
      queue: [],
      needsSnapshot: connected,
      scheduled: undefined,
      end: undefined,
    };
    consumers.add(consumer);
    // Registered before connecting: a synchronous source may deliver (and this subscriber
    // leave) while it is being subscribed.
    subscriber.add(() => {
      consumer.scheduled?.unsubscribe();
      consumers.delete(consumer);
      if (consumers.size === 0 && connected) {
        connected = false;
        const current = upstream;
        upstream = undefined;
        current?.unsubscribe();
      }
    });
    if (!connected) connect();
    else if (!inInit) schedule(consumer);
  });

  return { events$, store };
}
