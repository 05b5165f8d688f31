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
 * is JSON-equal to the one it was given, key order included.
 *
 * - **Whole `metadata.managedFields[].fieldsV1` trees are shared**: objects of one kind written
 *   by one manager mostly carry the same field set, so a tree equal to one seen before (same
 *   keys, in the same order, at every level) is replaced by that one, frozen. A tree seen for
 *   the first time is frozen and remembered, from a bounded index.
 * - In every tree, the empty-object leaves (the `{}` that mark a managed field) are one shared
 *   frozen empty object, {@link EMPTY_FIELDS}.
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
  /** `fieldsV1` trees in the current index of shared trees (at most {@link MAX_SHARED_TREES}). */
  readonly sharedTrees: number;
}

/** Shared `fieldsV1` trees an index holds before it starts over. */
export const MAX_SHARED_TREES = 1024;
/** Trees deeper than this are not shared whole (their empty leaves still are). */
const MAX_SHARED_DEPTH = 32;
/** Remembered trees per fingerprint; a new one pushes out the least recently matched. */
const TREES_PER_FINGERPRINT = 4;
/** Managers whose last tree is remembered before that memory starts over. */
const MAX_RECENT_MANAGERS = 256;
/**
 * Once an index holds this many trees and fewer trees have been matched than remembered (the
 * objects' field sets are mostly distinct), only one new tree in {@link SAMPLE_EVERY} is
 * remembered: freezing and remembering a tree nobody shares costs more than it saves.
 */
const SAMPLING_AFTER = 256;
const SAMPLE_EVERY = 8;

/**
 * A remembered `fieldsV1` tree: the frozen tree compacted objects point to, and its shape in
 * pre-order — for each node its number of keys, then for each key the key and the child's shape —
 * so that a new tree is compared in one walk, without reading the remembered tree itself.
 */
interface SharedTree {
  readonly root: Record<string, unknown>;
  readonly shape: Array<string | number>;
}

/** Creates an {@link ObjectCompactor} whose string table holds at most `tableSize` values. */
export function objectCompactor(tableSize: number = DEFAULT_TABLE_SIZE): ObjectCompactor {
  if (!Number.isInteger(tableSize) || tableSize < 1) {
    throw new RangeError(`objectCompactor: tableSize must be a positive integer, got ${tableSize}`);
  }
  let table = new Map<string, string>();
  // Shared fieldsV1 trees by fingerprint (see shareTree), and each manager's last matched tree.
  let index = new Map<number, SharedTree[]>();
  let remembered = 0;
  let matched = 0;
  let sampled = 0;
  let recent = new Map<unknown, SharedTree>();

  function remember(manager: unknown, tree: SharedTree): void {
    if (recent.size >= MAX_RECENT_MANAGERS && !recent.has(manager)) recent = new Map();
    recent.set(manager, tree);
  }

  /** The tree `entry.fieldsV1` should point to: a remembered equal one, or `fields` itself. */
  function shareTree(manager: unknown, fields: Record<string, unknown>): Record<string, unknown> {
    // Most objects carry the tree their manager wrote last: one walk, no fingerprint.
    const last = recent.get(manager);
    if (last !== undefined && sameShape(fields, last.shape)) {
      matched++;
      return last.root;
    }
    fingerprint = FINGERPRINT_SEED;
    shareable = true;
    shareEmptyLeaves(fields, 0);
    if (!shareable) return fields;
    const print = fingerprint;
    let bucket = index.get(print);
    if (bucket !== undefined) {
      for (let i = 0; i < bucket.length; i++) {
        const candidate = bucket[i]!;
        if (!sameShape(fields, candidate.shape)) continue;
        if (i > 0) {
          bucket.splice(i, 1);
          bucket.unshift(candidate);
        }
        matched++;
        remember(manager, candidate);
        return candidate.root;
      }
    }
    if (remembered >= SAMPLING_AFTER && matched < remembered && ++sampled % SAMPLE_EVERY !== 0) {
      return fields;
    }
    if (remembered >= MAX_SHARED_TREES) {
      // A full index starts over: trees it held stay shared by the objects that point to them.
      index = new Map();
      bucket = undefined;
      remembered = 0;
      matched = 0;
      sampled = 0;
    }
    const shape: Array<string | number> = [];
    freezeTree(fields, shape);
    const shared: SharedTree = { root: fields, shape };
    if (bucket === undefined) index.set(print, (bucket = []));
    bucket.unshift(shared);
    if (bucket.length > TREES_PER_FINGERPRINT) bucket.pop();
    remembered++;
    remember(manager, shared);
    return fields;
  }

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
    if (Object.isFrozen(record)) return;
    const values = record as Record<string, unknown>;
    for (const key in values) {
      const value = values[key];
      if (typeof value === 'string') values[key] = intern(value);
    }
  }

  // Named property reads and writes (not `record[key]` over a list of names): each site sees
  // one property of one shape of object, which V8 keeps fast.
  function internMetadata(metadata: Record<string, unknown>): void {
    if (typeof metadata.namespace === 'string') metadata.namespace = intern(metadata.namespace);
    if (typeof metadata.creationTimestamp === 'string') {
      metadata.creationTimestamp = intern(metadata.creationTimestamp);
    }
    if (typeof metadata.deletionTimestamp === 'string') {
      metadata.deletionTimestamp = intern(metadata.deletionTimestamp);
    }
  }

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
      // Frozen parts (a transform may return frozen objects) are left as they are.
      const record = object as Record<string, unknown>;
      if (!Object.isFrozen(record)) {
        if (typeof record.kind === 'string') record.kind = intern(record.kind);
        if (typeof record.apiVersion === 'string') record.apiVersion = intern(record.apiVersion);
      }
      const metadata = record.metadata as Record<string, unknown> | undefined;
      if (typeof metadata !== 'object' || metadata === null) return object;
      if (!Object.isFrozen(metadata)) internMetadata(metadata);
      internValues(metadata.labels);
      internValues(metadata.annotations);
      const owners = metadata.ownerReferences;
      if (Array.isArray(owners)) {
        for (const owner of owners) {
          if (typeof owner === 'object' && owner !== null && !Object.isFrozen(owner)) {
            internOwner(owner);
          }
        }
      }
      const managed = metadata.managedFields;
      if (Array.isArray(managed)) {
        for (const entry of managed) {
          if (typeof entry !== 'object' || entry === null || Object.isFrozen(entry)) continue;
          internManaged(entry);
          const record = entry as Record<string, unknown>;
          const fields = record.fieldsV1;
          if (isPlainRecord(fields) && !Object.isFrozen(fields)) {
            const shared = shareTree(record.manager, fields);
            if (shared !== fields) record.fieldsV1 = shared;
          }
        }
      }
      return object;
    },
    get tableSize() {
      return table.size;
    },
    get sharedTrees() {
      return remembered;
    },
  };
}

/** Deeper `fieldsV1` nodes are left as they are (real trees are a few levels deep). */
const MAX_FIELDS_DEPTH = 256;

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const FINGERPRINT_SEED = 0x811c9dc5;
/** Folded into the fingerprint where a node's keys end. */
const NODE_END = 0x7f;
/** Fingerprint of the tree {@link shareEmptyLeaves} last walked (its keys and their nesting). */
let fingerprint = FINGERPRINT_SEED;
/** Whether that tree can be shared whole: plain objects only, at most MAX_SHARED_DEPTH deep. */
let shareable = true;

/**
 * Points every empty-object child of `node` (at any depth down to {@link MAX_FIELDS_DEPTH}) at
 * {@link EMPTY_FIELDS}; returns whether `node` itself is empty. One pass over each node: its
 * emptiness is found while its children are walked. On the way it folds each key (its length
 * and two of its characters) and each node's end into {@link fingerprint}, and clears
 * {@link shareable} for a tree that cannot be shared whole.
 */
function shareEmptyLeaves(node: Record<string, unknown>, depth: number): boolean {
  let empty = true;
  let print = fingerprint;
  for (const key in node) {
    empty = false;
    const length = key.length;
    print = Math.imul(
      print ^ (length | (key.charCodeAt(length - 1) << 8) | (key.charCodeAt(length >> 1) << 20)),
      0x01000193,
    );
    const child = node[key];
    if (child === EMPTY_FIELDS) {
      // Folded as an empty node is.
      print = Math.imul(print ^ NODE_END, 0x01000193);
      continue;
    }
    if (typeof child !== 'object' || child === null || Array.isArray(child)) {
      shareable = false;
      continue;
    }
    if (depth >= MAX_FIELDS_DEPTH) {
      shareable = false;
      continue;
    }
    if (depth >= MAX_SHARED_DEPTH) shareable = false;
    fingerprint = print;
    if (shareEmptyLeaves(child as Record<string, unknown>, depth + 1)) node[key] = EMPTY_FIELDS;
    print = fingerprint;
  }
  // The end of a node, so that {a: {b}} and {a: {}, b} differ.
  fingerprint = Math.imul(print ^ NODE_END, 0x01000193);
  return empty;
}

/**
 * Whether `node` has exactly `shape` (see {@link SharedTree}): the same keys in the same order at
 * every level, every value a plain object.
 */
function sameShape(node: Record<string, unknown>, shape: Array<string | number>): boolean {
  return matchShape(node, shape, 0, 0) === shape.length;
}

/** Where `node`'s shape ends in `shape` when it matches from `at`, or -1. */
function matchShape(
  node: Record<string, unknown>,
  shape: Array<string | number>,
  at: number,
  depth: number,
): number {
  const count = shape[at] as number;
  let position = at + 1;
  let seen = 0;
  for (const key in node) {
    if (seen === count || shape[position] !== key) return -1;
    const child = node[key];
    if (typeof child !== 'object' || child === null || Array.isArray(child)) return -1;
    if (depth >= MAX_SHARED_DEPTH) return -1;
    position = matchShape(child as Record<string, unknown>, shape, position + 1, depth + 1);
    if (position < 0) return -1;
    seen++;
  }
  return seen === count ? position : -1;
}

/**
 * Freezes every node of a shareable tree (its empty leaves already shared) and appends its shape
 * to `shape`, in the pre-order {@link matchShape} reads.
 */
function freezeTree(node: Record<string, unknown>, shape: Array<string | number>): void {
  const at = shape.length;
  shape.push(0);
  let count = 0;
  for (const key in node) {
    shape.push(key);
    const child = node[key] as Record<string, unknown>;
    if (child === EMPTY_FIELDS) shape.push(0);
    else freezeTree(child, shape);
    count++;
  }
  shape[at] = count;
  Object.freeze(node);
}
