import type { KubeObject } from '@kube-rx/core';
import type { Predicate } from './predicate.js';

/** A stable text form of a string map (key order does not matter), or `undefined` when absent. */
function mapKey(map: Record<string, string> | undefined): string | undefined {
  if (map === undefined) return undefined;
  const keys = Object.keys(map).sort();
  let text = '';
  for (const key of keys) text += `${key.length}:${key}${map[key]?.length ?? 0}:${map[key] ?? ''}`;
  return text;
}

/**
 * `metadata.generation`: changes when the spec changes (not on status or metadata updates).
 * `undefined` for kinds without a generation (ConfigMaps, ...): such objects always pass unless
 * combined with {@link fallback}.
 *
 * @example
 * ```ts
 * watcher(api).pipe(defaultBackoff(), appliedObjects(), predicateFilter(generation));
 * ```
 */
export const generation: Predicate<KubeObject> = (object) => object.metadata?.generation;

/**
 * `metadata.resourceVersion`: changes on every write; filters out repeats of the same version
 * (e.g. the re-delivery of every object by a relist).
 *
 * @example
 * ```ts
 * predicateFilter(fallback(generation, resourceVersion));
 * ```
 */
export const resourceVersion: Predicate<KubeObject> = (object) => object.metadata?.resourceVersion;

/**
 * `metadata.labels` (order-independent). An object without labels has the empty-map value, so
 * adding the first label passes.
 *
 * @example
 * ```ts
 * predicateFilter(labels);
 * ```
 */
export const labels: Predicate<KubeObject> = (object) => mapKey(object.metadata?.labels ?? {});

/**
 * `metadata.annotations` (order-independent). An object without annotations has the empty-map
 * value, so adding the first annotation passes.
 *
 * @example
 * ```ts
 * predicateFilter(combine(generation, annotations));
 * ```
 */
export const annotations: Predicate<KubeObject> = (object) =>
  mapKey(object.metadata?.annotations ?? {});

/**
 * `metadata.finalizers` (order matters, as in the API). Useful next to `generation` so that a
 * finalizer being added or removed wakes the controller.
 *
 * @example
 * ```ts
 * predicateFilter(combine(generation, finalizers));
 * ```
 */
export const finalizers: Predicate<KubeObject> = (object) => {
  let text = '';
  for (const finalizer of object.metadata?.finalizers ?? [])
    text += `${finalizer.length}:${finalizer}`;
  return text;
};

/**
 * The built-in predicates in one object: `generation`, `resourceVersion`, `labels`,
 * `annotations`, `finalizers` (each also exported on its own).
 *
 * @example
 * ```ts
 * predicateFilter(combine(predicates.generation, predicates.finalizers));
 * ```
 */
export const predicates = {
  generation,
  resourceVersion,
  labels,
  annotations,
  finalizers,
} as const;
