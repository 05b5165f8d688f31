import type { KubeObject } from '@kube-rx/core';

/**
 * A property of an object that {@link predicateFilter} compares between versions: the object
 * passes when the value differs from the one last seen for it. `undefined` means "cannot tell"
 * and always lets the object through (kube-runtime's `Predicate` returning `None`).
 *
 * Values are compared with `===`, so return a primitive (number or string).
 *
 * @example
 * ```ts
 * const replicas: Predicate<Deployment> = (deployment) => deployment.spec?.replicas;
 * ```
 */
export type Predicate<K = KubeObject> = (object: K) => string | number | undefined;

/**
 * A predicate that changes when any of `predicates` changes (kube-runtime's `combine`).
 * `undefined` only when every one of them is `undefined`.
 *
 * @example
 * ```ts
 * predicateFilter(combine(predicates.generation, predicates.labels));
 * ```
 */
export function combine<K>(...predicates: Predicate<K>[]): Predicate<K> {
  if (predicates.length === 0) throw new TypeError('combine: needs at least one predicate');
  return (object) => {
    let known = false;
    let key = '';
    for (const predicate of predicates) {
      const value = predicate(object);
      if (value !== undefined) known = true;
      // Length-prefixed so that ('a:b', 'c') and ('a', 'b:c') differ.
      const text =
        value === undefined ? '' : `${typeof value === 'number' ? 'n' : 's'}${String(value)}`;
      key += `${text.length}:${text}`;
    }
    return known ? key : undefined;
  };
}

/**
 * `primary`, or `secondary` where `primary` is `undefined` (kube-runtime's `fallback`). The
 * classic use: `fallback(predicates.generation, predicates.resourceVersion)` for kinds where only
 * some objects have a `metadata.generation`.
 *
 * @example
 * ```ts
 * predicateFilter(fallback(predicates.generation, predicates.resourceVersion));
 * ```
 */
export function fallback<K>(primary: Predicate<K>, secondary: Predicate<K>): Predicate<K> {
  return (object) => {
    const value = primary(object);
    return value !== undefined ? value : secondary(object);
  };
}
