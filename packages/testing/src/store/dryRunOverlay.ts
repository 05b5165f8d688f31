import type { StoredObject } from './storedObject.js';

/**
 * The writes of one dry-run request (`dryRun=All`): they are visible to the reads of the same
 * request (a dry-run create of a namespace's contents sees the namespace it just created) and
 * are thrown away at its end, so nothing is persisted, no watch event is sent and no
 * resourceVersion is used up.
 */
export class DryRunOverlay {
  // `null` marks an object the request removed.
  private readonly writes = new Map<string, StoredObject | null>();

  /** The overlay's view of `tableKey`/`objectKey`: a stored object, `null` (removed), or undefined (untouched). */
  lookup(tableKey: string, objectKey: string): StoredObject | null | undefined {
    return this.writes.get(`${tableKey}\u0000${objectKey}`);
  }

  put(tableKey: string, object: StoredObject): void {
    this.writes.set(`${tableKey}\u0000${object.key}`, object);
  }

  delete(tableKey: string, object: StoredObject): void {
    this.writes.set(`${tableKey}\u0000${object.key}`, null);
  }

  /** `objects` (a table's list in key order) with this overlay's writes to `tableKey` applied. */
  applyTo(tableKey: string, objects: readonly StoredObject[]): StoredObject[] {
    const byKey = new Map(objects.map((object) => [object.key, object]));
    const prefix = `${tableKey}\u0000`;
    for (const [key, object] of this.writes) {
      if (!key.startsWith(prefix)) continue;
      const objectKey = key.slice(prefix.length);
      if (object === null) byKey.delete(objectKey);
      else byKey.set(objectKey, object);
    }
    return [...byKey.keys()].sort().flatMap((key) => byKey.get(key) ?? []);
  }
}
