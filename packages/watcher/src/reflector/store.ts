import { AsyncSubject, firstValueFrom, Subject, type Observable } from 'rxjs';
import type { KubeObject, ObjectRef } from '@kube-rx/core';
import type { WatcherEvent } from '../watcherEvent.js';
import { keyedIndex, namespacedIndex, type ObjectIndex } from './objectIndex.js';
import { objectCompactor, type ObjectCompactor } from './objectCompactor.js';

/**
 * What changed in a {@link Store}, as seen by `store.changes$`:
 * - `Applied`: an object was added or replaced while watching (`previous` is the replaced version);
 * - `Deleted`: an object was removed while watching;
 * - `Resynced`: a (re)list was swapped in at `InitDone`; `removed` are the objects that were in the
 *   store but not in the new list (deleted while the watch was down).
 */
export type StoreChange<K> =
  | {
      /** An object was added or replaced while watching. */
      type: 'Applied';
      /** The object as now stored (after `transform`). */
      object: K;
      /** The version it replaced; `undefined` when the object is new to the store. */
      previous: K | undefined;
    }
  | {
      /** An object was removed while watching. */
      type: 'Deleted';
      /** The object as it was stored before removal (not the server's final state). */
      object: K;
    }
  | {
      /** A (re)list was swapped in at `InitDone`. */
      type: 'Resynced';
      /** Number of objects in the store after the swap. */
      size: number;
      /** Objects that were stored before but missing from the new list; `[]` when none. */
      removed: K[];
    };

/** Options of {@link createStore}. */
export interface StoreConfig<K> {
  /**
   * Applied to every object before it is stored, e.g. {@link stripManagedFields} to save memory.
   * Must return an object with the same key. Default: none (objects are stored as received).
   */
  transform?: (object: K) => K;
  /**
   * Stores objects in a smaller form that says the same thing (JSON-equal), after `transform`.
   * Default: `true`.
   *
   * - Equal `metadata.managedFields[].fieldsV1` trees (same keys in the same order at every
   *   level — what one manager writes on objects of one kind) are one shared, frozen tree, found
   *   from a bounded index; in every tree the empty-object leaves are one shared, frozen `{}`.
   * - Short strings that objects share (`kind`, `apiVersion`, namespace, label and annotation
   *   values, owner references' kinds, timestamps, field managers) are kept once per distinct
   *   value, from a bounded table, instead of once per object.
   *
   * That is about half the heap for ConfigMaps of 1.2 KB with one managedFields entry. Stored
   * objects must not be mutated anyway; with `compact`, writing into a `fieldsV1` tree throws.
   * Set `false` to store objects exactly as parsed.
   */
  compact?: boolean;
  /**
   * The key an object is stored under. Default: `namespace/name` (or `name`), the same as
   * `refKey(objectRef(object))`, which `store.get(ref)` relies on; with a custom key use
   * `store.getByKey`. Objects for which it returns `undefined` are not stored.
   */
  key?: (object: K) => string | undefined;
}

/**
 * A read-only cache of the objects of one watcher, kept up to date by its {@link Writer} (through
 * {@link reflect}). Reads are O(1) and return the stored objects themselves (no copies): do not
 * mutate them.
 *
 * A (re)list is swapped in atomically at `InitDone`: while a relist runs, readers keep seeing the
 * previous state.
 */
export interface Store<K> {
  /** The object with the ref's namespace and name, if present. */
  get(ref: ObjectRef): K | undefined;
  /** The object stored under `key` (`namespace/name` or `name` by default). */
  getByKey(key: string): K | undefined;
  /**
   * All objects (a new array; the objects themselves are not copied). With the default key they
   * come grouped by namespace, in the order each was first stored within its namespace; with a
   * custom `key`, in the order each key was first stored.
   */
  list(): K[];
  /** The number of objects. */
  readonly size: number;
  /** True once the first list has been swapped in (and from then on, even during relists). */
  readonly isReady: boolean;
  /** Resolves at the first `InitDone` (at once if already ready). */
  ready(): Promise<void>;
  /** Emits once and completes at the first `InitDone` (at once if already ready). */
  readonly ready$: Observable<void>;
  /** What changes, as it changes (hot: only changes after subscription). */
  readonly changes$: Observable<StoreChange<K>>;
}

/** The write side of a {@link Store}: feed it every watcher event, in order. */
export interface Writer<K> {
  /** Applies one watcher event (`InitApply` is buffered until `InitDone`). */
  apply(event: WatcherEvent<K>): void;
  /** The store this writer fills. */
  readonly store: Store<K>;
}

class ReflectorStore<K> implements Store<K> {
  objects: ObjectIndex<K>;
  readonly readySubject = new AsyncSubject<void>();
  readonly changeSubject = new Subject<StoreChange<K>>();
  readonly ready$ = this.readySubject.asObservable();
  readonly changes$ = this.changeSubject.asObservable();
  isReady = false;
  private readyPromise: Promise<void> | undefined;

  constructor(objects: ObjectIndex<K>) {
    this.objects = objects;
  }

  get(ref: ObjectRef): K | undefined {
    return this.objects.getByRef(ref);
  }

  getByKey(key: string): K | undefined {
    return this.objects.getByKey(key);
  }

  list(): K[] {
    return this.objects.list();
  }

  get size(): number {
    return this.objects.size;
  }

  ready(): Promise<void> {
    this.readyPromise ??= firstValueFrom(this.ready$);
    return this.readyPromise;
  }
}

class ReflectorWriter<K> implements Writer<K> {
  readonly store: ReflectorStore<K>;
  private buffer: ObjectIndex<K> | undefined;
  private readonly transform: ((object: K) => K) | undefined;
  private readonly compactor: ObjectCompactor | undefined;
  private readonly newIndex: () => ObjectIndex<K>;

  constructor(config: StoreConfig<K>) {
    const key = config.key;
    // The default key needs no key string per object (see namespacedIndex).
    this.newIndex =
      key === undefined
        ? () => namespacedIndex<KubeObject>() as unknown as ObjectIndex<K>
        : () => keyedIndex(key);
    this.store = new ReflectorStore<K>(this.newIndex());
    this.transform = config.transform;
    this.compactor = config.compact === false ? undefined : objectCompactor();
  }

  apply(event: WatcherEvent<K>): void {
    switch (event.type) {
      case 'Init':
        this.buffer = this.newIndex();
        return;
      case 'InitApply':
        // An InitApply without Init (a stream joined mid-list) starts the buffer itself.
        this.put((this.buffer ??= this.newIndex()), event.object, false);
        return;
      case 'InitDone':
        this.swap();
        return;
      case 'Apply':
        this.put(this.buffer ?? this.store.objects, event.object, this.buffer === undefined);
        return;
      case 'Delete':
        this.remove(event.object);
        return;
    }
  }

  private put(target: ObjectIndex<K>, received: K, notify: boolean): void {
    const transformed = this.transform ? this.transform(received) : received;
    const object = this.compactor
      ? (this.compactor.compact(transformed as KubeObject) as K)
      : transformed;
    if (notify && this.store.changeSubject.observed) {
      const previous = target.getSame(object);
      if (target.set(object)) this.store.changeSubject.next({ type: 'Applied', object, previous });
    } else {
      target.set(object);
    }
  }

  private remove(object: K): void {
    if (this.buffer) {
      this.buffer.delete(object);
      return;
    }
    const existing = this.store.objects.delete(object);
    if (existing !== undefined && this.store.changeSubject.observed) {
      this.store.changeSubject.next({ type: 'Deleted', object: existing });
    }
  }

  private swap(): void {
    const next = this.buffer ?? this.newIndex();
    this.buffer = undefined;
    const store = this.store;
    const previous = store.objects;
    store.objects = next;
    if (store.changeSubject.observed) {
      const removed: K[] = [];
      for (const object of previous.list()) if (!next.hasSame(object)) removed.push(object);
      store.changeSubject.next({ type: 'Resynced', size: next.size, removed });
    }
    if (!store.isReady) {
      store.isReady = true;
      store.readySubject.next();
      store.readySubject.complete();
    }
  }
}

/**
 * Creates a reflector cache: a {@link Store} to read and the {@link Writer} that fills it. Feed the
 * writer with {@link reflect} on a watcher stream.
 *
 * @example
 * ```ts
 * const { store, writer } = createStore<ConfigMap>({ transform: stripManagedFields });
 * watcher(configMaps).pipe(defaultBackoff(), reflect(writer)).subscribe();
 * await store.ready();
 * console.log(store.get({ namespace: 'default', name: 'app' })?.data);
 * ```
 */
export function createStore<K extends KubeObject>(
  config: StoreConfig<K> = {},
): {
  /** The read side, to share with readers. */
  store: Store<K>;
  /** The write side: feed it one watcher stream (see {@link reflect}); `writer.store` is `store`. */
  writer: Writer<K>;
} {
  if (config.transform !== undefined && typeof config.transform !== 'function') {
    throw new TypeError('createStore: transform must be a function');
  }
  if (config.key !== undefined && typeof config.key !== 'function') {
    throw new TypeError('createStore: key must be a function');
  }
  if (config.compact !== undefined && typeof config.compact !== 'boolean') {
    throw new TypeError(`createStore: compact must be a boolean, got ${typeof config.compact}`);
  }
  const writer = new ReflectorWriter<K>(config);
  return { store: writer.store, writer };
}
