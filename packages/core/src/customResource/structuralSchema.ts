/** A JSON Schema or OpenAPI v3 schema object, as plain JSON. */
export type JsonSchema = { readonly [keyword: string]: unknown };

// Kept as they are: the keywords a CRD's JSONSchemaProps has that mean the same in JSON Schema.
const KEPT = new Set([
  'description',
  'title',
  'default',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'example',
  'nullable',
]);
// Annotations a CRD has no field for; they change nothing in validation.
const DROPPED = new Set([
  '$id',
  '$schema',
  '$comment',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
]);
// Handled by the conversion itself.
const STRUCTURE = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  'exclusiveMinimum',
  'exclusiveMaximum',
]);
const ANY_KEY = new Set(['^.*$', '^(.*)$', '.*']);

/**
 * Turns a JSON Schema (what TypeBox builds) into a **structural** OpenAPI v3 schema, as a
 * CustomResourceDefinition's `openAPIV3Schema` must be: every field has a `type`; maps are
 * `additionalProperties` (never beside `properties`); `const`/literal unions become `enum`;
 * `T | null` becomes `nullable`; `integer | string` becomes `x-kubernetes-int-or-string`; an
 * unknown value becomes `x-kubernetes-preserve-unknown-fields`; JSON Schema's numeric
 * `exclusiveMinimum`/`exclusiveMaximum` become OpenAPI's boolean form. `x-kubernetes-*` keywords
 * pass through.
 *
 * @throws TypeError naming the field for what has no structural form: unions of different
 *   shapes, `oneOf`/`allOf`/`not`, `$ref`, tuples, patterned keys, unknown keywords.
 *
 * @example
 * ```ts
 * structuralSchema(Type.Object({ size: Type.Integer({ minimum: 1 }), labels: Type.Record(Type.String(), Type.String()) }));
 * // { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 },
 * //   labels: { type: 'object', additionalProperties: { type: 'string' } } } }
 * ```
 */
export function structuralSchema(schema: object, path = ''): JsonSchema {
  return convert(schema as JsonSchema, path);
}

function convert(schema: JsonSchema, path: string): JsonSchema {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw unsupported(path, 'is not a schema object');
  }
  if (schema.anyOf !== undefined) return anyOfSchema(schema, path);
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (KEPT.has(keyword) || keyword.startsWith('x-kubernetes-')) out[keyword] = value;
    else if (!DROPPED.has(keyword) && !STRUCTURE.has(keyword)) {
      throw unsupported(
        path,
        `uses ${keyword}, which a CustomResourceDefinition schema cannot hold`,
      );
    }
  }
  exclusiveBound(schema, out, 'exclusiveMinimum', 'minimum');
  exclusiveBound(schema, out, 'exclusiveMaximum', 'maximum');
  const values =
    schema.const !== undefined ? [schema.const] : (schema.enum as unknown[] | undefined);
  let type = typeOf(schema, values, path);
  if (type === undefined) {
    if (out['x-kubernetes-int-or-string'] === true) return out;
    return { ...out, 'x-kubernetes-preserve-unknown-fields': true };
  }
  if (Array.isArray(type)) {
    const types = type.filter((t) => t !== 'null');
    if (types.length !== 1) throw unsupported(path, `has several types (${type.join(', ')})`);
    if (types.length !== type.length) out.nullable = true;
    type = types[0] as string;
  }
  const result: Record<string, unknown> = { type, ...out };
  if (values !== undefined) result.enum = values;
  if (type === 'object') objectSchema(schema, result, path);
  if (type === 'array') result.items = arrayItems(schema, path);
  return result;
}

function typeOf(schema: JsonSchema, values: unknown[] | undefined, path: string) {
  if (schema.type !== undefined) return schema.type as string | string[];
  if (values !== undefined) return enumType(values, path);
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return 'object';
  if (schema.patternProperties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function objectSchema(schema: JsonSchema, result: Record<string, unknown>, path: string): void {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  const additional = mapValues(schema, path);
  if (properties !== undefined) {
    if (typeof additional === 'object') {
      throw unsupported(path, 'has both properties and a schema for other keys');
    }
    result.properties = Object.fromEntries(
      Object.entries(properties).map(([key, value]) => [key, convert(value, `${path}.${key}`)]),
    );
    const required = schema.required as string[] | undefined;
    if (required !== undefined && required.length > 0) result.required = [...required];
    // `additionalProperties: false` beside properties is what pruning does anyway.
    if (additional === true) result['x-kubernetes-preserve-unknown-fields'] = true;
  } else if (typeof additional === 'object') {
    result.additionalProperties = convert(additional, `${path}.*`);
  } else if (additional === true) {
    result['x-kubernetes-preserve-unknown-fields'] = true;
  }
}

/** The schema of a map's values (`additionalProperties` or a match-anything pattern), or a boolean. */
function mapValues(schema: JsonSchema, path: string): JsonSchema | boolean | undefined {
  const patterns = schema.patternProperties as Record<string, JsonSchema> | undefined;
  if (patterns !== undefined) {
    const keys = Object.keys(patterns);
    if (keys.length !== 1 || !ANY_KEY.has(keys[0] as string)) {
      throw unsupported(
        path,
        `restricts its keys (${keys.join(', ')}); use a pattern on each value instead`,
      );
    }
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
      throw unsupported(path, 'has both patternProperties and additionalProperties');
    }
    return patterns[keys[0] as string];
  }
  return schema.additionalProperties as JsonSchema | boolean | undefined;
}

function arrayItems(schema: JsonSchema, path: string): JsonSchema {
  const items = schema.items as JsonSchema | undefined;
  if (items === undefined || typeof items !== 'object' || Array.isArray(items)) {
    throw unsupported(path, 'is an array without one schema for its items');
  }
  return convert(items, `${path}[*]`);
}

function anyOfSchema(schema: JsonSchema, path: string): JsonSchema {
  const { anyOf, ...rest } = schema;
  if (!Array.isArray(anyOf)) throw unsupported(path, 'has an anyOf that is not an array');
  const members = (anyOf as JsonSchema[]).filter((member) => member.type !== 'null');
  const nullable = members.length !== anyOf.length ? { nullable: true } : {};
  if (members.length === 1)
    return convert({ ...rest, ...(members[0] as JsonSchema), ...nullable }, path);
  const types = new Set(members.map((member) => member.type));
  if (types.size === 2 && types.has('integer') && types.has('string') && members.length === 2) {
    return convert({ ...rest, ...nullable, 'x-kubernetes-int-or-string': true }, path);
  }
  const literals = members.map((member) =>
    member.const !== undefined ? [member.const] : (member.enum as unknown[] | undefined),
  );
  if (literals.every((values) => values !== undefined)) {
    const values = literals.flat();
    return convert({ ...rest, ...nullable, type: enumType(values, path), enum: values }, path);
  }
  throw unsupported(path, 'is a union of different shapes, which has no structural form');
}

function enumType(values: unknown[], path: string): string {
  const types = new Set(
    values.map((value) =>
      typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value,
    ),
  );
  if (types.size === 2 && types.has('integer') && types.has('number')) return 'number';
  const [type] = types;
  if (
    types.size !== 1 ||
    (type !== 'string' && type !== 'integer' && type !== 'number' && type !== 'boolean')
  ) {
    throw unsupported(path, 'has enum values of different or non-scalar types');
  }
  return type;
}

function exclusiveBound(
  schema: JsonSchema,
  out: Record<string, unknown>,
  keyword: 'exclusiveMinimum' | 'exclusiveMaximum',
  bound: 'minimum' | 'maximum',
): void {
  const value = schema[keyword];
  if (typeof value === 'number') {
    out[bound] = value;
    out[keyword] = true;
  } else if (value !== undefined) {
    out[keyword] = value;
  }
}

function unsupported(path: string, reason: string): TypeError {
  return new TypeError(`schema${path === '' ? '' : ` at ${path}`} ${reason}`);
}
