import type { KubeObject } from '@kube-rx/core';
import { combine, fallback } from './predicate.js';
import {
  annotations,
  finalizers,
  generation,
  labels,
  predicates,
  resourceVersion,
} from './predicates.js';

const object = (metadata: NonNullable<KubeObject['metadata']>): KubeObject => ({ metadata });

describe('predicates', () => {
  it('generation is metadata.generation, undefined without one', () => {
    expect(generation(object({ generation: 3 }))).toBe(3);
    expect(generation(object({ name: 'x' }))).toBeUndefined();
  });

  it('resourceVersion is metadata.resourceVersion', () => {
    expect(resourceVersion(object({ resourceVersion: '42' }))).toBe('42');
  });

  it('labels and annotations ignore key order and tell maps apart', () => {
    expect(labels(object({ labels: { a: '1', b: '2' } }))).toBe(
      labels(object({ labels: { b: '2', a: '1' } })),
    );
    expect(labels(object({ labels: { a: '1' } }))).not.toBe(labels(object({ labels: { a: '2' } })));
    expect(labels(object({}))).not.toBe(labels(object({ labels: { a: '' } })));
    expect(annotations(object({ annotations: { x: 'y' } }))).not.toBe(annotations(object({})));
  });

  it('finalizers change when one is added or removed', () => {
    expect(finalizers(object({ finalizers: ['a'] }))).not.toBe(
      finalizers(object({ finalizers: ['a', 'b'] })),
    );
    expect(finalizers(object({}))).toBe(finalizers(object({ finalizers: [] })));
  });

  it('the predicates object holds the same functions', () => {
    expect(predicates).toEqual({ generation, resourceVersion, labels, annotations, finalizers });
  });

  it('combine changes when any part changes and is undefined only when all are', () => {
    const both = combine(generation, resourceVersion);
    expect(both(object({ generation: 1, resourceVersion: '5' }))).not.toBe(
      both(object({ generation: 1, resourceVersion: '6' })),
    );
    expect(both(object({ generation: 1, resourceVersion: '5' }))).toBe(
      both(object({ generation: 1, resourceVersion: '5' })),
    );
    expect(combine(generation)(object({}))).toBeUndefined();
    expect(() => combine()).toThrow(TypeError);
  });

  it('fallback uses the second predicate only where the first is undefined', () => {
    const generationOrVersion = fallback(generation, resourceVersion);
    expect(generationOrVersion(object({ generation: 2, resourceVersion: '9' }))).toBe(2);
    expect(generationOrVersion(object({ resourceVersion: '9' }))).toBe('9');
  });
});
