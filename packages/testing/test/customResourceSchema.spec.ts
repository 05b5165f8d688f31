import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { call, type Json } from './support.js';

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1, maximum: 10 },
        color: { type: 'string', enum: ['blue', 'green'], default: 'blue' },
        name: { type: 'string', pattern: '^[a-z]+$', maxLength: 8 },
        tags: { type: 'array', maxItems: 2, items: { type: 'string' } },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: schema },
      },
    ],
  },
};

const widgets = '/apis/example.com/v1/namespaces/default/widgets';
const widget = (spec: Json, extra: Json = {}) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w1' },
  spec,
  ...extra,
});

describe.each([
  [
    'a CRD posted to apiextensions.k8s.io/v1',
    async (server: TestApiServer) => {
      const created = await call(
        server.url,
        'POST',
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
        crd,
      );
      expect(created.status).toBe(201);
    },
  ],
  [
    'registerCustomResource({ schema })',
    (server: TestApiServer) => {
      server.registerCustomResource({
        group: 'example.com',
        version: 'v1',
        kind: 'Widget',
        plural: 'widgets',
        namespaced: true,
        statusSubresource: true,
        schema,
      });
      return Promise.resolve();
    },
  ],
])('openAPIV3Schema of %s', (_, register) => {
  let server: TestApiServer;
  beforeEach(async () => {
    server = await startTestApiServer();
    await register(server);
  });
  afterEach(() => server.close());

  it('prunes unknown fields, keeps preserved ones, applies defaults', async () => {
    const created = await call(
      server.url,
      'POST',
      widgets,
      widget({ size: 2, unknown: 1, extra: { free: { form: true } } }, { topLevel: 'x' }),
    );
    expect(created.status).toBe(201);
    expect(created.body.spec).toEqual({ size: 2, color: 'blue', extra: { free: { form: true } } });
    expect(created.body.topLevel).toBeUndefined();
    expect(created.body.metadata.name).toBe('w1');
    const patched = await call(
      server.url,
      'PATCH',
      `${widgets}/w1`,
      { spec: { alsoUnknown: true, labels: { a: 'b' } } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.spec.alsoUnknown).toBeUndefined();
    expect(patched.body.spec.labels).toEqual({ a: 'b' });
    // Pruning alone changes nothing: no new generation.
    const pruned = await call(
      server.url,
      'PATCH',
      `${widgets}/w1`,
      { spec: { ignored: 1 } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(pruned.body.metadata.generation).toBe(patched.body.metadata.generation);
  });

  it('answers 422 Invalid with one cause per violation, in the apiserver shape', async () => {
    const response = await call(
      server.url,
      'POST',
      widgets,
      widget({ size: 'big', color: 'red', name: 'Not-Valid', tags: ['a', 'b', 'c'] }),
    );
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      details: { name: 'w1', group: 'example.com', kind: 'Widget' },
    });
    expect(response.body.message).toMatch(/^Widget\.example\.com "w1" is invalid: \[/);
    expect(response.body.details.causes).toEqual(
      expect.arrayContaining([
        {
          reason: 'FieldValueTypeInvalid',
          field: 'spec.size',
          message: 'Invalid value: "big": spec.size in body must be of type integer: "big"',
        },
        {
          reason: 'FieldValueNotSupported',
          field: 'spec.color',
          message: 'Unsupported value: "red": supported values: "blue", "green"',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.name',
          message: `Invalid value: "Not-Valid": spec.name in body should match '^[a-z]+$'`,
        },
        {
          reason: 'FieldValueTooMany',
          field: 'spec.tags',
          message: 'Too many: 3: must have at most 2 items',
        },
      ]),
    );
    expect(server.get('widgets.example.com', 'default', 'w1')).toBeUndefined();
  });

  it('checks required, minimum and maximum, on create, update and status writes', async () => {
    const missing = await call(server.url, 'POST', widgets, widget({}));
    expect(missing.body.details.causes).toEqual([
      { reason: 'FieldValueRequired', field: 'spec.size', message: 'Required value' },
    ]);
    expect(missing.body.message).toBe(
      'Widget.example.com "w1" is invalid: spec.size: Required value',
    );
    const low = await call(server.url, 'POST', widgets, widget({ size: 0 }));
    expect(low.body.details.causes[0].message).toBe(
      'Invalid value: 0: spec.size in body should be greater than or equal to 1',
    );
    const created = await call(server.url, 'POST', widgets, widget({ size: 10 }));
    expect(created.status).toBe(201);
    const tooBig = await call(server.url, 'PUT', `${widgets}/w1`, {
      ...created.body,
      spec: { size: 11 },
    });
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.details.causes[0].message).toBe(
      'Invalid value: 11: spec.size in body should be less than or equal to 10',
    );
    const badStatus = await call(
      server.url,
      'PATCH',
      `${widgets}/w1/status`,
      { status: { ready: 'yes' } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(badStatus.status).toBe(422);
    expect(badStatus.body.details.causes[0].field).toBe('status.ready');
  });
});

describe('CRD schema errors', () => {
  let server: TestApiServer;
  beforeEach(async () => {
    server = await startTestApiServer();
  });
  afterEach(() => server.close());

  it('a CRD whose schema does not compile is 422 and registers nothing', async () => {
    const broken = structuredClone(crd);
    (broken.spec.versions[0] as Json).schema.openAPIV3Schema = { type: 'no-such-type' };
    const response = await call(
      server.url,
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      broken,
    );
    expect(response.status).toBe(422);
    expect(response.body.details.causes[0].field).toBe('spec.versions[0].schema.openAPIV3Schema');
    expect((await call(server.url, 'GET', widgets)).status).toBe(404);
  });

  it('registerCustomResource with a bad schema throws TypeError', () => {
    expect(() =>
      server.registerCustomResource({
        group: 'example.com',
        version: 'v1',
        kind: 'Widget',
        plural: 'widgets',
        namespaced: true,
        schema: { type: 'no-such-type' },
      }),
    ).toThrow(TypeError);
  });
});
