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

  // Named property reads and writes (not `record[key]` over a list of names): each site sees
  // one property of one shape of object, which V8 keeps fast.
  function internOwner(owner: Record<string, unknown>): void {
    if (typeof owner.apiVersion === 'string') owner.apiVersion = intern(owner.apiVersion);
    if (typeof owner.kind === 'string') owner.kind = intern(owner.kind);
  }

  function internManaged(entry: Record<string, unknown>): void {
    if (typeof entry.manager === 'string') entry.manager = intern(entry.manager);
    if (typeof entry.operation === 'string') entry.operation = intern(entry.operation);
    if (typeof entry.apiVersion === 'string') entry.apiVersion = intern(entry.apiVersion);
    if (typeof entry.time === 'string') entry.time = intern(entry.time);
    if (typeof entry.fieldsType === 'string') entry.fieldsType = intern(entry.fieldsType);
    if (typeof entry.subresource === 'string') entry.subresource = intern(entry.subresource);
  }

  return {
    compact<K extends KubeObject>(object: K): K {
      if (typeof object !== 'object' || object === null) return object;
      const record = object as Record<string, unknown>;
      if (typeof record.kind === 'string') record.kind = intern(record.kind);
      if (typeof record.apiVersion === 'string') record.apiVersion = intern(record.apiVersion);
      const metadata = record.metadata as Record<string, unknown> | undefined;
      if (typeof metadata !== 'object' || metadata === null) return object;
      if (typeof metadata.namespace === 'string') metadata.namespace = intern(metadata.namespace);
      if (typeof metadata.creationTimestamp === 'string') {
        metadata.creationTimestamp = intern(metadata.creationTimestamp);
      }
      if (typeof metadata.deletionTimestamp === 'string') {
        metadata.deletionTimestamp = intern(metadata.deletionTimestamp);
      }
      internValues(metadata.labels);
      internValues(metadata.annotations);
      const owners = metadata.ownerReferences;
      if (Array.isArray(owners)) {
        for (const owner of owners) {
          if (typeof owner === 'object' && owner !== null) internOwner(owner);
        }
      }
      const managed = metadata.managedFields;
      if (Array.isArray(managed)) {
        for (const entry of managed) {
          if (typeof entry !== 'object' || entry === null) continue;
          internManaged(entry);
          const fields = (entry as Record<string, unknown>).fieldsV1;
          if (isPlainRecord(fields)) shareEmptyLeaves(fields, 0);
        }
      }
      return object;
    },
    get tableSize() {
      return table.size;
    },
  };
}

/** Deeper `fieldsV1` nodes are left as they are (real trees are a few levels deep). */
const MAX_FIELDS_DEPTH = 256;

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Points every empty-object child of `node` (at any depth down to {@link MAX_FIELDS_DEPTH}) at
 * {@link EMPTY_FIELDS}; returns whether `node` itself is empty. One pass over each node: its
 * emptiness is found while its children are walked.
 */
function shareEmptyLeaves(node: Record<string, unknown>, depth: number): boolean {
  let empty = true;
  for (const key in node) {
    empty = false;
    const child = node[key];
    if (typeof child !== 'object' || child === null || child === EMPTY_FIELDS) continue;
    if (Array.isArray(child) || depth >= MAX_FIELDS_DEPTH) continue;
    if (shareEmptyLeaves(child as Record<string, unknown>, depth + 1)) node[key] = EMPTY_FIELDS;
  }
  return empty;
}
