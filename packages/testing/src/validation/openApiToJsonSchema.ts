import { isPlainObject } from '../patch/mergePatch.js';

type Schema = Record<string, unknown>;

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'definitions'] as const;
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
const SUBSCHEMAS = ['items', 'additionalProperties', 'not'] as const;

/**
 * Turns a CRD's OpenAPI v3 `openAPIV3Schema` into the JSON Schema (draft-07) the validator
 * understands, keeping its meaning: `nullable: true` allows `null`, the boolean
 * `exclusiveMinimum`/`exclusiveMaximum` of OpenAPI become the numeric ones of JSON Schema,
 * `x-kubernetes-int-or-string` accepts an integer or a string. The `x-kubernetes-*` extensions
 * that only steer pruning are left for the pruner (the validator ignores unknown keywords).
 */
export function openApiToJsonSchema(schema: unknown): Schema {
  if (!isPlainObject(schema)) return {};
  const converted: Schema = { ...schema };
  for (const key of SUBSCHEMA_MAPS) {
    const children = schema[key];
    if (!isPlainObject(children)) continue;
    converted[key] = Object.fromEntries(
      Object.entries(children).map(([name, child]) => [name, openApiToJsonSchema(child)]),
    );
  }
  for (const key of SUBSCHEMA_LISTS) {
    const children = schema[key];
    if (Array.isArray(children)) converted[key] = children.map(openApiToJsonSchema);
  }
  for (const key of SUBSCHEMAS) {
    if (isPlainObject(schema[key])) converted[key] = openApiToJsonSchema(schema[key]);
  }
  for (const [bound, exclusive] of [
    ['minimum', 'exclusiveMinimum'],
    ['maximum', 'exclusiveMaximum'],
  ] as const) {
    if (typeof converted[exclusive] !== 'boolean') continue;
    if (converted[exclusive] === true && typeof converted[bound] === 'number') {
      converted[exclusive] = converted[bound];
      delete converted[bound];
    } else {
      delete converted[exclusive];
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete converted.type;
    converted.anyOf = [...((converted.anyOf as Schema[]) ?? []), { type: ['integer', 'string'] }];
  }
  if (schema.nullable === true && typeof converted.type === 'string') {
    converted.type = [converted.type, 'null'];
    if (Array.isArray(converted.enum)) converted.enum = [...converted.enum, null];
  }
  delete converted.nullable;
  return converted;
}
