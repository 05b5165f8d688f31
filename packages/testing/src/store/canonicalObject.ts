import type { KubeObject } from '@kube-rx/core';

const METADATA_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/**
 * Orders an object's keys as the apiserver serialises it: built-in kinds as `kind`,
 * `apiVersion`, `metadata` (fields in ObjectMeta order), then the rest; custom resources
 * (unstructured) with every map's keys sorted. Only cosmetic, but it makes the server's output
 * diff cleanly against a real one.
 */
export function canonicalObject(object: KubeObject, custom: boolean): KubeObject {
  if (custom) return sortKeysDeep(object) as KubeObject;
  const { kind, apiVersion, metadata, ...rest } = object as KubeObject & Record<string, unknown>;
  const ordered: Record<string, unknown> = { kind, apiVersion };
  if (metadata !== undefined)
    ordered.metadata = canonicalMetadata(metadata as Record<string, unknown>);
  return Object.assign(ordered, rest) as KubeObject;
}

function canonicalMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of METADATA_ORDER) {
    if (metadata[key] !== undefined) ordered[key] = metadata[key];
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (!(key in ordered) && value !== undefined) ordered[key] = value;
  }
  return ordered;
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) sorted[key] = sortKeysDeep(child);
  }
  return sorted;
}
