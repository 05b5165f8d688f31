import { objectKey, type KubeObject } from '@kube-rx/core';
import { keyedIndex, namespacedIndex, type ObjectIndex } from './objectIndex.js';

const object = (name: string, namespace?: string, rv = '1'): KubeObject => ({
  metadata: { name, resourceVersion: rv, ...(namespace === undefined ? {} : { namespace }) },
});

// Both shapes must behave as one map of `namespace/name` (or `name`) keys.
describe.each([
  ['namespacedIndex', () => namespacedIndex<KubeObject>()],
  ['keyedIndex(objectKey)', () => keyedIndex<KubeObject>(objectKey)],
])('%s', (_name, make: () => ObjectIndex<KubeObject>) => {
  it('keys objects by namespace and name, and cluster-scoped ones by name', () => {
    const index = make();
    const a = object('web', 'ns1');
    const b = object('web', 'ns2');
    const c = object('web');
    const d = object('other', '');
    for (const o of [a, b, c, d]) expect(index.set(o)).toBe(true);
    expect(index.size).toBe(4);
    expect(index.getByKey('ns1/web')).toBe(a);
    expect(index.getByKey('ns2/web')).toBe(b);
    expect(index.getByKey('web')).toBe(c);
    expect(index.getByKey('other')).toBe(d);
    expect(index.getByKey('ns3/web')).toBeUndefined();
    expect(index.getByKey('/web')).toBeUndefined();
    expect(index.getByRef({ namespace: 'ns2', name: 'web' })).toBe(b);
    expect(index.getByRef({ name: 'web' })).toBe(c);
    expect(index.getSame(object('web', 'ns1', '9'))).toBe(a);
    expect(index.hasSame(object('web', 'ns3'))).toBe(false);
    expect(new Set(index.list())).toEqual(new Set([a, b, c, d]));
  });

  it('replaces an object under the same key without growing', () => {
    const index = make();
    index.set(object('web', 'ns1', '1'));
    const newer = object('web', 'ns1', '2');
    index.set(newer);
    expect(index.size).toBe(1);
    expect(index.list()).toEqual([newer]);
  });

  it('does not store an object without a name', () => {
    const index = make();
    expect(index.set({ metadata: { namespace: 'ns1' } })).toBe(false);
    expect(index.set({})).toBe(false);
    expect(index.size).toBe(0);
    expect(index.delete({})).toBeUndefined();
  });

  it('deletes by key and returns the stored object; the namespace can be filled again', () => {
    const index = make();
    const a = object('web', 'ns1', '1');
    index.set(a);
    expect(index.delete(object('web', 'ns1', '5'))).toBe(a);
    expect(index.delete(object('web', 'ns1', '5'))).toBeUndefined();
    expect(index.size).toBe(0);
    expect(index.list()).toEqual([]);
    const again = object('web', 'ns1', '6');
    index.set(again);
    expect(index.getByKey('ns1/web')).toBe(again);
    expect(index.size).toBe(1);
  });

  it('finds a cluster-scoped object whose name has a slash by its whole name', () => {
    const index = make();
    const odd = object('a/b');
    index.set(odd);
    expect(index.getByKey('a/b')).toBe(odd);
  });
});

describe('keyedIndex', () => {
  it('stores by the custom key and skips objects it gives no key', () => {
    const index = keyedIndex<KubeObject>((o) => o.metadata?.uid);
    const a: KubeObject = { metadata: { name: 'a', uid: 'u1' } };
    index.set(a);
    index.set({ metadata: { name: 'b' } });
    expect(index.size).toBe(1);
    expect(index.getByKey('u1')).toBe(a);
  });
});
