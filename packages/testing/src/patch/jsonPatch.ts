import { invalidPatch } from '../status.js';
import { isPlainObject } from './mergePatch.js';

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/**
 * Applies an RFC 6902 JSON patch (add, remove, replace, move, copy, test) to a copy of `target`.
 * Any failure — a `test` that does not hold, a missing path — is the apiserver's generic
 * 422 Invalid.
 */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw invalidPatch();
  let document = structuredClone(target);
  for (const raw of operations) {
    if (!isPlainObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw invalidPatch();
    }
    document = applyOperation(document, raw as unknown as Operation);
  }
  return document;
}

function applyOperation(document: unknown, operation: Operation): unknown {
  switch (operation.op) {
    case 'add':
      return add(document, parsePointer(operation.path), structuredClone(operation.value));
    case 'remove':
      return remove(document, parsePointer(operation.path));
    case 'replace': {
      const path = parsePointer(operation.path);
      get(document, path);
      return add(remove(document, path), path, structuredClone(operation.value));
    }
    case 'move': {
      const from = parsePointer(requireFrom(operation));
      const value = get(document, from);
      return add(remove(document, from), parsePointer(operation.path), value);
    }
    case 'copy': {
      const value = structuredClone(get(document, parsePointer(requireFrom(operation))));
      return add(document, parsePointer(operation.path), value);
    }
    case 'test':
      if (!deepEqual(get(document, parsePointer(operation.path)), operation.value)) {
        throw invalidPatch();
      }
      return document;
    default:
      throw invalidPatch();
  }
}

function requireFrom(operation: Operation): string {
  if (typeof operation.from !== 'string') throw invalidPatch();
  return operation.from;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw invalidPatch();
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(document: unknown, path: readonly string[]): unknown {
  let current = document;
  for (const segment of path) {
    if (Array.isArray(current)) {
      const index = arrayIndex(segment, current.length - 1);
      current = current[index];
    } else if (isPlainObject(current) && Object.prototype.hasOwnProperty.call(current, segment)) {
      current = current[segment];
    } else {
      throw invalidPatch();
    }
  }
  return current;
}

function add(document: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = get(document, path.slice(0, -1));
  const last = path[path.length - 1] ?? '';
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : arrayIndex(last, parent.length);
    parent.splice(index, 0, value);
  } else if (isPlainObject(parent)) {
    parent[last] = value;
  } else {
    throw invalidPatch();
  }
  return document;
}

function remove(document: unknown, path: readonly string[]): unknown {
  if (path.length === 0) throw invalidPatch();
  const parent = get(document, path.slice(0, -1));
  const last = path[path.length - 1] ?? '';
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length - 1), 1);
  } else if (isPlainObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) {
    delete parent[last];
  } else {
    throw invalidPatch();
  }
  return document;
}

function arrayIndex(segment: string, max: number): number {
  if (!/^(0|[1-9][0-9]*)$/.test(segment)) throw invalidPatch();
  const index = Number(segment);
  if (index > max) throw invalidPatch();
  return index;
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}
