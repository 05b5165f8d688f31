import { pruneUnknownFields } from './pruneUnknownFields.js';

describe('pruneUnknownFields', () => {
  it('keeps the whole metadata when the schema declares it without its fields', () => {
    const object = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'default', labels: { a: 'b' } },
      spec: { size: 1, unknown: true },
    };
    pruneUnknownFields(object, {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: { type: 'object', properties: { size: { type: 'integer' } } },
      },
    });
    expect(object).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'default', labels: { a: 'b' } },
      spec: { size: 1 },
    });
  });
});
