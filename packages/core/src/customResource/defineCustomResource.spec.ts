import { Type } from 'typebox';
import { isSerdeError, type SerdeError } from '../errors/serdeError.js';
import { customResourceDefinition } from './customResourceDefinition.js';
import { defineCustomResource } from './defineCustomResource.js';

const base = { group: 'example.com', version: 'v1', kind: 'Widget', namespaced: true } as const;
const Widget = defineCustomResource({
  ...base,
  spec: Type.Object({
    size: Type.Integer({ minimum: 1 }),
    parts: Type.Optional(Type.Array(Type.Object({ name: Type.String() }))),
  }),
  status: Type.Object({ ready: Type.Optional(Type.Boolean()) }),
  printerColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
  shortNames: ['wd'],
  categories: ['all'],
});

function decodeError(object: unknown): SerdeError {
  try {
    Widget.decode(object);
  } catch (error) {
    if (isSerdeError(error)) return error;
    throw error;
  }
  throw new Error('decode accepted the object');
}

describe('defineCustomResource', () => {
  it('is an ApiResource with a default plural and singular', () => {
    expect(Widget).toMatchObject({ ...base, plural: 'widgets', singular: 'widget' });
    expect(defineCustomResource({ ...base, kind: 'Policy', spec: Type.Object({}) }).plural).toBe(
      'policies',
    );
    expect(defineCustomResource({ ...base, kind: 'Box', spec: Type.Object({}) }).plural).toBe(
      'boxes',
    );
  });

  it('decodes a matching object as it is', () => {
    const object = { metadata: { name: 'w1' }, spec: { size: 2 }, status: { ready: true } };
    expect(Widget.decode(object)).toBe(object);
  });

  it('rejects a mismatch with a SerdeError carrying the JSON path and the ref', () => {
    const error = decodeError({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w2', namespace: 'ns', uid: 'u2' },
      spec: { size: 1, parts: [{ name: 'a' }, { name: 7 }] },
    });
    expect(error.path).toBe('.spec.parts[1].name');
    expect(error.ref).toEqual({
      name: 'w2',
      namespace: 'ns',
      uid: 'u2',
      kind: 'Widget',
      apiVersion: 'example.com/v1',
    });
    expect(error.message).toBe(
      'Widget ns/w2 does not match its schema: .spec.parts[1].name must be string',
    );
    expect(error.toJSON()).toMatchObject({ path: '.spec.parts[1].name', ref: { name: 'w2' } });
    expect(decodeError({ metadata: { name: 'w3' } }).path).toBe('');
    expect(decodeError({ metadata: { name: 'w4' }, spec: { size: 0 } }).path).toBe('.spec.size');
    expect(
      decodeError({ metadata: { name: 'w5' }, spec: { size: 1 }, status: { ready: 'yes' } }).path,
    ).toBe('.status.ready');
  });

  it('makes an apiextensions.k8s.io/v1 CRD with a status subresource and printer columns', () => {
    const crd = Widget.crdManifest();
    expect(crd).toMatchObject({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: {
          kind: 'Widget',
          listKind: 'WidgetList',
          plural: 'widgets',
          singular: 'widget',
          shortNames: ['wd'],
          categories: ['all'],
        },
      },
    });
    const [version] = crd.spec.versions;
    expect(version).toMatchObject({
      name: 'v1',
      served: true,
      storage: true,
      subresources: { status: {} },
      additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
    });
    expect(version?.schema?.openAPIV3Schema).toMatchObject({
      type: 'object',
      required: ['spec'],
      properties: {
        metadata: { type: 'object' },
        spec: {
          type: 'object',
          required: ['size'],
          properties: { size: { type: 'integer', minimum: 1 } },
        },
        status: { type: 'object', properties: { ready: { type: 'boolean' } } },
      },
    });
  });

  it('has no status subresource without a status schema', () => {
    const plain = defineCustomResource({ ...base, spec: Type.Object({}) });
    expect(plain.crdManifest().spec.versions[0]?.subresources).toBeUndefined();
  });

  it('joins several versions into one CRD with one storage version', () => {
    const v1 = defineCustomResource({ ...base, spec: Type.Object({}), storage: true });
    const v2 = defineCustomResource({
      ...base,
      version: 'v2',
      spec: Type.Object({}),
      storage: false,
    });
    const crd = customResourceDefinition(v1, v2);
    expect(crd.spec.versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1', true],
      ['v2', false],
    ]);
    const v2stored = defineCustomResource({
      ...base,
      version: 'v2',
      spec: Type.Object({}),
      storage: true,
    });
    expect(() => customResourceDefinition(v1, v2stored)).toThrow(
      /exactly one must have storage: true \(found 2\)/,
    );
    expect(() => customResourceDefinition(v1, v1)).toThrow(/given twice/);
    const other = defineCustomResource({
      ...base,
      version: 'v2',
      kind: 'Gadget',
      spec: Type.Object({}),
    });
    expect(() => customResourceDefinition(v1, other)).toThrow(TypeError);
  });

  it('throws a TypeError at definition for bad names and schemas', () => {
    const spec = Type.Object({});
    expect(() => defineCustomResource({ ...base, group: 'nodot', spec })).toThrow(
      /group must be a DNS subdomain/,
    );
    expect(() => defineCustomResource({ ...base, kind: 'widget', spec })).toThrow(/UpperCamelCase/);
    expect(() => defineCustomResource({ ...base, version: 'V1', spec })).toThrow(/version must be/);
    expect(() => defineCustomResource({ ...base, plural: 'Widgets', spec })).toThrow(/plural/);
    expect(() => defineCustomResource({ ...base, spec: Type.String() as never })).toThrow(
      /spec must be an object schema/,
    );
    expect(() =>
      defineCustomResource({
        ...base,
        spec: Type.Object({ v: Type.Union([Type.String(), Type.Boolean()]) }),
      }),
    ).toThrow('schema at .spec.v is a union of different shapes, which has no structural form');
  });
});
