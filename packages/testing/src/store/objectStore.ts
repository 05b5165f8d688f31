import type { KubeObject } from '@kube-rx/core';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import { EventHistory } from '../watch/eventHistory.js';
import { ChangeEvent, type ChangeType } from '../watch/watchEvent.js';
import { canonicalObject } from './canonicalObject.js';
import { DryRunOverlay } from './dryRunOverlay.js';
import { storageKey, viewAs } from './storageViews.js';
import { StoredObject } from './storedObject.js';

interface Table {
  readonly objects: Map<string, StoredObject>;
  sortedKeys: string[] | undefined;
}

/**
 * The in-memory storage: one table per resource, one global monotonically increasing
 * resourceVersion, and the bounded event history watches resume from. Every write is
 * synchronous and emits exactly one {@link ChangeEvent}, so listeners see writes in order.
 *
 * Writes here are raw: validation and API semantics (generation, status, finalizers) live in
 * the operations that call them. Resources that share storage (core/v1 and events.k8s.io/v1
 * Events, see {@link storageKey}) share one table: reads return each object in the shape of
 * the API asked, writes store it in the shape of the API that wrote it.
 */
export class ObjectStore {
  readonly history: EventHistory;
  // A real apiserver never reports "0" (on LIST/WATCH it means "any version"), so a fresh store
  // starts at 1: an empty server's LIST already names a version a WATCH can start after.
  private resourceVersion = 1;
  private readonly tables = new Map<string, Table>();
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  private overlay: DryRunOverlay | undefined;

  constructor(historySize: number) {
    this.history = new EventHistory(historySize);
  }

  /** The last resourceVersion handed out. */
  get currentResourceVersion(): number {
    return this.resourceVersion;
  }

  /** Whether writes are being simulated (see {@link simulate}). */
  get simulating(): boolean {
    return this.overlay !== undefined;
  }

  /**
   * Runs `operation` as a dry run: its writes are seen by its own reads but are dropped when it
   * returns or throws. Inside, inserts get no resourceVersion, replacements keep the previous
   * one, and nothing is emitted, so watchers and the history see nothing.
   */
  simulate<T>(operation: () => T): T {
    if (this.overlay !== undefined) return operation();
    this.overlay = new DryRunOverlay();
    try {
      return operation();
    } finally {
      this.overlay = undefined;
    }
  }

  /** Calls `listener` synchronously after each write; returns the unsubscribe function. */
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(
    definition: ResourceDefinition,
    namespace: string | undefined,
    name: string,
  ): StoredObject | undefined {
    const key = definition.namespaced ? `${namespace ?? ''}/${name}` : name;
    const simulated = this.overlay?.lookup(tableKey(definition), key);
    if (simulated !== undefined)
      return simulated === null ? undefined : viewAs(simulated, definition);
    const stored = this.tables.get(tableKey(definition))?.objects.get(key);
    return stored === undefined ? undefined : viewAs(stored, definition);
  }

  /** Objects of a resource in key order (namespace, then name), optionally in one namespace. */
  list(definition: ResourceDefinition, namespace?: string): StoredObject[] {
    if (this.overlay !== undefined) {
      const overlay = this.overlay;
      this.overlay = undefined;
      const stored = this.list(definition);
      this.overlay = overlay;
      return overlay
        .applyTo(tableKey(definition), stored)
        .filter((object) => namespace === undefined || object.namespace === namespace)
        .map((object) => viewAs(object, definition));
    }
    const table = this.tables.get(tableKey(definition));
    if (table === undefined) return [];
    table.sortedKeys ??= [...table.objects.keys()].sort();
    const result: StoredObject[] = [];
    for (const key of table.sortedKeys) {
      const object = table.objects.get(key);
      if (object === undefined) continue;
      if (namespace !== undefined && object.namespace !== namespace) continue;
      result.push(viewAs(object, definition));
    }
    return result;
  }

  /** Number of objects of a resource (all namespaces). */
  count(definition: ResourceDefinition): number {
    return this.tables.get(tableKey(definition))?.objects.size ?? 0;
  }

  /** Stores a new object under the next resourceVersion and emits ADDED. */
  insert(definition: ResourceDefinition, object: KubeObject): StoredObject {
    if (this.overlay !== undefined) {
      const { resourceVersion: _unset, ...metadata } = object.metadata ?? {};
      const simulated = this.unstamped(definition, { ...object, metadata });
      this.overlay.put(tableKey(definition), simulated);
      return simulated;
    }
    const stored = this.stamp(definition, object);
    const table = this.table(definition);
    table.objects.set(stored.key, stored);
    table.sortedKeys = undefined;
    this.emit('ADDED', stored, undefined);
    return stored;
  }

  /** Replaces `previous` with `object` under the next resourceVersion and emits MODIFIED. */
  replace(previous: StoredObject, object: KubeObject): StoredObject {
    if (this.overlay !== undefined) {
      const metadata = { ...object.metadata, resourceVersion: previous.resourceVersion };
      const simulated = this.unstamped(previous.definition, { ...object, metadata });
      this.overlay.put(tableKey(previous.definition), simulated);
      return simulated;
    }
    const stored = this.stamp(previous.definition, object);
    this.table(previous.definition).objects.set(stored.key, stored);
    this.emit('MODIFIED', stored, previous);
    return stored;
  }

  /** Removes `previous`; the DELETED event carries its last state with a new resourceVersion. */
  remove(previous: StoredObject): StoredObject {
    if (this.overlay !== undefined) {
      this.overlay.delete(tableKey(previous.definition), previous);
      return previous;
    }
    const stored = this.stamp(previous.definition, previous.clone());
    const table = this.table(previous.definition);
    table.objects.delete(previous.key);
    table.sortedKeys = undefined;
    this.emit('DELETED', stored, previous);
    return stored;
  }

  /**
   * The objects of a resource as they were at `resourceVersion`, rebuilt by undoing the events
   * of the history; undefined when the history no longer reaches back that far.
   */
  stateAt(definition: ResourceDefinition, resourceVersion: number): StoredObject[] | undefined {
    if (resourceVersion < this.history.startResourceVersion) return undefined;
    const objects = new Map(this.tables.get(tableKey(definition))?.objects);
    const events = this.history.since(resourceVersion);
    for (let i = events.length - 1; i >= 0; i--) {
      const event = events[i];
      if (event === undefined || tableKey(event.definition) !== tableKey(definition)) continue;
      if (event.type === 'ADDED') objects.delete(event.object.key);
      else if (event.previous !== undefined) objects.set(event.previous.key, event.previous);
    }
    return [...objects.keys()].sort().flatMap((key) => {
      const object = objects.get(key);
      return object === undefined ? [] : [viewAs(object, definition)];
    });
  }

  /** Drops the event history (see `faults.compact()`). */
  compact(): void {
    this.history.compact(this.resourceVersion);
  }

  private stamp(definition: ResourceDefinition, object: KubeObject): StoredObject {
    this.resourceVersion++;
    const withVersion = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(this.resourceVersion) },
    };
    return new StoredObject(canonicalObject(withVersion, definition.custom), definition);
  }

  private unstamped(definition: ResourceDefinition, object: KubeObject): StoredObject {
    return new StoredObject(canonicalObject(object, definition.custom), definition);
  }

  private table(definition: ResourceDefinition): Table {
    let table = this.tables.get(tableKey(definition));
    if (table === undefined) {
      table = { objects: new Map(), sortedKeys: undefined };
      this.tables.set(tableKey(definition), table);
    }
    return table;
  }

  private emit(type: ChangeType, object: StoredObject, previous: StoredObject | undefined): void {
    const event = new ChangeEvent(type, this.resourceVersion, object, previous);
    this.history.push(event);
    for (const listener of this.listeners) listener(event);
  }
}

// Tables are keyed by storage (group and plural), so re-registering a custom resource keeps its
// objects and resources served through two APIs share one table.
function tableKey(definition: ResourceDefinition): string {
  return storageKey(definition);
}
