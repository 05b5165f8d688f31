import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import type { StoredObject } from '../store/storedObject.js';

interface Snapshot {
  readonly items: readonly StoredObject[];
  readonly createdAt: number;
}

const MAX_SNAPSHOTS = 256;

/**
 * The consistent views paginated LISTs continue from: the objects of a resource at the
 * resourceVersion of a first page. A snapshot lives `ttlMs` (the "etcd compaction" interval of
 * this server) and is dropped by `faults.compact()`; a continue token whose snapshot is gone is
 * 410 Expired.
 */
export class ListSnapshots {
  private readonly ttlMs: number;
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(ttlMs: number) {
    this.ttlMs = ttlMs;
  }

  save(
    definition: ResourceDefinition,
    resourceVersion: number,
    items: readonly StoredObject[],
  ): void {
    const key = snapshotKey(definition, resourceVersion);
    if (this.snapshots.has(key)) return;
    this.evictExpired();
    if (this.snapshots.size >= MAX_SNAPSHOTS) {
      const oldest = this.snapshots.keys().next().value;
      if (oldest !== undefined) this.snapshots.delete(oldest);
    }
    this.snapshots.set(key, { items, createdAt: Date.now() });
  }

  find(
    definition: ResourceDefinition,
    resourceVersion: number,
  ): readonly StoredObject[] | undefined {
    const key = snapshotKey(definition, resourceVersion);
    const snapshot = this.snapshots.get(key);
    if (snapshot === undefined) return undefined;
    if (Date.now() - snapshot.createdAt > this.ttlMs) {
      this.snapshots.delete(key);
      return undefined;
    }
    return snapshot.items;
  }

  clear(): void {
    this.snapshots.clear();
  }

  private evictExpired(): void {
    const now = Date.now();
    for (const [key, snapshot] of this.snapshots) {
      if (now - snapshot.createdAt > this.ttlMs) this.snapshots.delete(key);
    }
  }
}

function snapshotKey(definition: ResourceDefinition, resourceVersion: number): string {
  return `${definition.group}/${definition.plural}@${resourceVersion}`;
}
