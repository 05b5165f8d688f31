import { isPlainObject } from './mergePatch.js';

// Lists merged by a key field, as the built-in types declare with patchMergeKey.
const MERGE_KEYS = ['name', 'type', 'uid', 'containerPort', 'ip', 'mountPath', 'devicePath'];
// Lists of scalars merged as sets (patchStrategy=merge) rather than replaced.
const SET_LISTS = new Set(['finalizers']);

/**
 * An approximation of a strategic merge patch for built-in kinds: maps merge like a merge patch;
 * lists of objects whose items carry a merge key (`name`, `type`, `uid`, ...) merge item by item
 * (`$patch: delete` on an item removes it, `$patch: replace` on the list replaces it);
 * `finalizers` merge as a set; other lists are replaced. The apiserver uses per-field schema
 * metadata instead of these heuristics.
 */
export function strategicMergePatch(target: unknown, patch: unknown, field = ''): unknown {
  if (Array.isArray(patch)) return mergeList(target, patch, field);
  if (!isPlainObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _directive, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete result[key];
      continue;
    }
    const merged = strategicMergePatch(result[key], value, key);
    if (merged === undefined) delete result[key];
    else result[key] = merged;
  }
  return result;
}

function mergeList(target: unknown, patch: unknown[], field: string): unknown {
  const current = Array.isArray(target) ? target : [];
  const directive = patch.find((item) => isPlainObject(item) && item.$patch === 'replace');
  if (directive !== undefined) {
    return structuredClone(patch.filter((item) => item !== directive));
  }
  if (SET_LISTS.has(field)) {
    return [...new Set([...current, ...patch])];
  }
  const mergeKey = patch.every(isPlainObject)
    ? MERGE_KEYS.find((key) => patch.length > 0 && patch.every((item) => key in (item as object)))
    : undefined;
  if (mergeKey === undefined) return structuredClone(patch);
  const result: unknown[] = [...current];
  for (const item of patch as Record<string, unknown>[]) {
    const index = result.findIndex((c) => isPlainObject(c) && c[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (index !== -1) result.splice(index, 1);
      continue;
    }
    if (index === -1) result.push(strategicMergePatch(undefined, item));
    else result[index] = strategicMergePatch(result[index], item);
  }
  return result;
}
