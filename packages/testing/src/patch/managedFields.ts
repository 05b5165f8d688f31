import { isPlainObject } from './mergePatch.js';

/** A field path inside an object, e.g. `['data', 'x']`. */
export type FieldPath = readonly string[];

// Identity and server-owned fields are never owned by a field manager.
const UNOWNED = new Set([
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.creationTimestamp',
  'metadata.deletionTimestamp',
  'metadata.deletionGracePeriodSeconds',
  'metadata.managedFields',
  'metadata.generateName',
]);

/**
 * The leaf fields an applied configuration sets: scalars, lists (atomic) and empty maps.
 * Keys are encoded as JSON arrays so they work as Set members.
 */
export function leafFields(value: unknown, prefix: string[] = []): Set<string> {
  const leaves = new Set<string>();
  collect(value, prefix, leaves);
  return leaves;
}

function collect(value: unknown, path: string[], leaves: Set<string>): void {
  if (UNOWNED.has(path.join('.'))) return;
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) collect(child, [...path, key], leaves);
    return;
  }
  if (path.length > 0) leaves.add(JSON.stringify(path));
}

/** Converts leaf fields to the apiserver's FieldsV1 form: `{"f:data":{"f:x":{}}}`. */
export function toFieldsV1(fields: Iterable<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const encoded of fields) {
    let node = root;
    for (const key of JSON.parse(encoded) as string[]) {
      const child = (node[`f:${key}`] ??= {}) as Record<string, unknown>;
      node = child;
    }
  }
  return root;
}

/** Reads FieldsV1 back into leaf fields (the `.` self markers are ignored). */
export function fromFieldsV1(fieldsV1: unknown, prefix: string[] = []): Set<string> {
  const leaves = new Set<string>();
  if (!isPlainObject(fieldsV1)) return leaves;
  const children = Object.entries(fieldsV1).filter(([key]) => key.startsWith('f:'));
  if (children.length === 0 && prefix.length > 0) leaves.add(JSON.stringify(prefix));
  for (const [key, child] of children) {
    for (const leaf of fromFieldsV1(child, [...prefix, key.slice(2)])) leaves.add(leaf);
  }
  return leaves;
}

/** The value at a path, or undefined. */
export function valueAt(object: unknown, path: FieldPath): unknown {
  let current = object;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Deletes the value at a path, pruning maps the deletion left empty. */
export function deleteAt(object: Record<string, unknown>, path: FieldPath): void {
  const parents: Record<string, unknown>[] = [];
  let current: unknown = object;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(current)) return;
    parents.push(current);
    current = current[key];
  }
  const last = path[path.length - 1];
  if (!isPlainObject(current) || last === undefined) return;
  delete current[last];
  let child = current;
  for (let depth = parents.length - 1; depth >= 1; depth--) {
    const parent = parents[depth];
    const key = path[depth];
    if (parent === undefined || key === undefined || Object.keys(child).length > 0) return;
    delete parent[key];
    child = parent;
  }
}
