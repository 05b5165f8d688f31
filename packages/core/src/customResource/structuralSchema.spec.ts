import { Type } from 'typebox';
import { structuralSchema, type JsonSchema } from './structuralSchema.js';

const convert = (schema: unknown): JsonSchema => structuralSchema(schema as JsonSchema);

describe('structuralSchema', () => {
  it('types every field and keeps validation keywords', () => {
    expect(
      convert(
        Type.Object({
          size: Type.Integer({ minimum: 1, maximum: 10, default: 1, description: 'how many' }),
          name: Type.Optional(Type.String({ pattern: '^[a-z]+$', maxLength: 20 })),
          tags: Type.Array(Type.String(), { maxItems: 5 }),
        }),
      ),
    ).toEqual({
      type: 'object',
      required: ['size', 'tags'],
      properties: {
        size: { type: 'integer', minimum: 1, maximum: 10, default: 1, description: 'how many' },
        name: { type: 'string', pattern: '^[a-z]+$', maxLength: 20 },
        tags: { type: 'array', maxItems: 5, items: { type: 'string' } },
      },
    });
  });

  it('turns records into additionalProperties, literal unions into enums, T | null into nullable', () => {
    expect(convert(Type.Record(Type.String(), Type.Integer()))).toEqual({
      type: 'object',
      additionalProperties: { type: 'integer' },
    });
    expect(convert(Type.Union([Type.Literal('a'), Type.Literal('b')]))).toEqual({
      type: 'string',
      enum: ['a', 'b'],
    });
    expect(convert(Type.Enum(['True', 'False', 'Unknown']))).toEqual({
      type: 'string',
      enum: ['True', 'False', 'Unknown'],
    });
    expect(convert(Type.Union([Type.String(), Type.Null()]))).toEqual({
      type: 'string',
      nullable: true,
    });
  });

  it('marks int-or-string and unknown values the Kubernetes way', () => {
    expect(convert(Type.Union([Type.Integer(), Type.String()]))).toEqual({
      'x-kubernetes-int-or-string': true,
    });
    expect(convert(Type.Unknown())).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
    expect(convert(Type.Object({}, { additionalProperties: true }))).toEqual({
      type: 'object',
      properties: {},
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });

  it('converts numeric exclusive bounds to the OpenAPI v3 boolean form', () => {
    expect(convert(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }))).toEqual({
      type: 'number',
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 1,
      exclusiveMaximum: true,
    });
  });

  it('passes x-kubernetes-* keywords through and drops additionalProperties: false beside properties', () => {
    const conditions = Type.Array(
      Type.Object({ type: Type.String() }, { additionalProperties: false }),
      {
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
      },
    );
    expect(convert(conditions)).toEqual({
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
      items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
    });
  });

  it('rejects what has no structural form, naming the field', () => {
    const union = Type.Object({
      spec: Type.Object({ value: Type.Union([Type.String(), Type.Object({ a: Type.String() })]) }),
    });
    expect(() => convert(union)).toThrow(
      new TypeError(
        'schema at .spec.value is a union of different shapes, which has no structural form',
      ),
    );
    expect(() => convert(Type.Object({ t: Type.Tuple([Type.String(), Type.Integer()]) }))).toThrow(
      /at \.t/,
    );
    expect(() =>
      convert({ type: 'object', patternProperties: { '^x-': { type: 'string' } } }),
    ).toThrow(/restricts its keys/);
    expect(() =>
      convert({
        type: 'object',
        properties: { a: { type: 'string' } },
        additionalProperties: { type: 'string' },
      }),
    ).toThrow(/both properties and a schema for other keys/);
    expect(() => convert({ oneOf: [{ type: 'string' }] })).toThrow(/uses oneOf/);
    expect(() => convert({ type: 'array' })).toThrow(/array without one schema/);
  });
});
