import { isPlainObject } from '../patch/mergePatch.js';

type Schema = Record<string, unknown>;

const ENVELOPE = ['apiVersion', 'kind', 'metadata'];

/**
 * Drops, in place, the fields a structural schema does not declare, as the apiserver prunes
 * custom resources: an object keeps only its `properties` (or every key, each checked against
 * `additionalProperties` when that is a schema) unless it is marked
 * `x-kubernetes-preserve-unknown-fields: true`; arrays are pruned item by item. `apiVersion`,
 * `kind` and `metadata` are kept at the root and in `x-kubernetes-embedded-resource` objects.
 */
export function pruneUnknownFields(value: unknown, schema: Schema, isRoot = true): void {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (isPlainObject(items)) for (const item of value) pruneUnknownFields(item, items, false);
    return;
  }
  if (!isPlainObject(value)) return;
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const additional = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const envelope = isRoot || schema['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(value)) {
    const child = properties[key];
    // The envelope is the apiserver's, whatever the schema says of it (a schema may declare
    // `metadata: { type: object }` without listing its fields; they are still kept).
    if (envelope && ENVELOPE.includes(key)) {
      continue;
    } else if (isPlainObject(child)) {
      pruneUnknownFields(value[key], child, false);
    } else if (isPlainObject(additional)) {
      pruneUnknownFields(value[key], additional, false);
    } else if (!preserve && additional !== true) {
      delete value[key];
    }
  }
}
