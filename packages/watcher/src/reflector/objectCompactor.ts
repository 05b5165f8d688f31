import type { KubeObject } from '@kube-rx/core';

/**
 * The one empty object every `fieldsV1` leaf of a compacted object points to. Frozen, so a write
 * to it throws instead of changing every cached object at once.
 */
export const EMPTY_FIELDS: Readonly<Record<string, never>> = Object.freeze({});

/** Strings longer than this are left alone: long values are rarely shared between objects. */
const MAX_INTERNED_LENGTH = 64;
/** Distinct strings a compactor remembers before it starts a new table. */
const DEFAULT_TABLE_SIZE = 8192;

/**
 * Makes cached objects smaller without changing what they say: every object a compactor returns
 * is JSON-equal to the one it was given.
 *
 * - The leaves of each `metadata.managedFields[].fieldsV1` tree (the `{}` that mark a managed
 *   field, a dozen or more per object) become one shared frozen empty object.
 * - Short strings that objects of one kind tend to share (`kind`, `apiVersion`, the namespace,
 *   label and annotation values, owner references, timestamps, managers and operations) are
 *   replaced by one instance per distinct value, from a bounded table: `JSON.parse` allocates a
 *   fresh copy of each string value of each object.
 *
 * Mutates and returns the object it is given. Used by `createStore` (its `compact` option).
 */
export interface ObjectCompactor {
  /** Compacts `object` in place and returns it. */
  compact<K extends KubeObject>(object: K): K;
  /** Distinct strings in the current table (at most the table size). */
  readonly tableSize: number;
}

/** Creates an {@link ObjectCompactor} whose string table holds at most `tableSize` values. */
export function objectCompactor(tableSize: number = DEFAULT_TABLE_SIZE): ObjectCompactor {
  if (!Number.isInteger(tableSize) || tableSize < 1) {
    throw new RangeError(`objectCompactor: tableSize must be a positive integer, got ${tableSize}`);
  }
  let table = new Map<string, string>();

  function intern(value: unknown): unknown {
    if (typeof value !== 'string' || value.length > MAX_INTERNED_LENGTH) return value;
    const known = table.get(value);
    if (known !== undefined) return known;
    // A full table starts over: what it held stays shared in the objects already compacted, and
    // values that no cached object uses any more are not kept alive for ever.
    if (table.size >= tableSize) table = new Map();
    table.set(value, value);
    return value;
  }

  function internValues(record: unknown): void {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return;
    const values = record as Record<string, unknown>;
    for (const key in values) {
      const value = values[key];
      if (typeof value === 'string') values[key] = intern(value);
    }
  }

  function internFields(record: Record<string, unknown>, keys: readonly string[]): void {
    for (const key of keys) {
      const value = record[key];
      if (typeof value === 'string') record[key] = intern(value);
    }
  }

  return {
    compact<K extends KubeObject>(object: K): K {
      if (typeof object !== 'object' || object === null) return object;
      internFields(object as Record<string, unknown>, TOP_LEVEL_FIELDS);
      const metadata = object.metadata as Record<string, unknown> | undefined;
      if (typeof metadata !== 'object' || metadata === null) return object;
      internFields(metadata, METADATA_FIELDS);
      internValues(metadata.labels);
      internValues(metadata.annotations);
      const owners = metadata.ownerReferences;
      if (Array.isArray(owners)) {
        for (const owner of owners) {
          if (typeof owner === 'object' && owner !== null) internFields(owner, OWNER_FIELDS);
        }
      }
      const managed = metadata.managedFields;
      if (Array.isArray(managed)) {
        for (const entry of managed) {
          if (typeof entry !== 'object' || entry === null) continue;
          internFields(entry, MANAGED_FIELDS);
          const fields = (entry as Record<string, unknown>).fieldsV1;
          if (isPlainRecord(fields)) shareEmptyLeaves(fields);
        }
      }
      return object;
    },
    get tableSize() {
      return table.size;
    },
  };
}

const TOP_LEVEL_FIELDS = ['kind', 'apiVersion'] as const;
const METADATA_FIELDS = ['namespace', 'creationTimestamp', 'deletionTimestamp'] as const;
const OWNER_FIELDS = ['apiVersion', 'kind'] as const;
const MANAGED_FIELDS = ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'subresource'];

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Points every empty-object leaf under `root` at {@link EMPTY_FIELDS}. Iterative, so a deeply
 * nested tree cannot overflow the stack.
 */
function shareEmptyLeaves(root: Record<string, unknown>): void {
  const pending: Array<Record<string, unknown>> = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    for (const key in node) {
      const child = node[key];
      if (!isPlainRecord(child) || child === EMPTY_FIELDS) continue;
      if (isEmpty(child)) node[key] = EMPTY_FIELDS;
      else pending.push(child);
    }
  }
}

function isEmpty(record: Record<string, unknown>): boolean {
  for (const _ in record) return false;
  return true;
}
