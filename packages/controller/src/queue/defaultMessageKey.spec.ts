import { defaultMessageKey } from './defaultMessageKey.js';

describe('defaultMessageKey', () => {
  it('keys strings by themselves and ObjectRefs by namespace/name', () => {
    expect(defaultMessageKey('node-1')).toBe('node-1');
    expect(defaultMessageKey({ namespace: 'default', name: 'app', uid: 'u' })).toBe('default/app');
    expect(defaultMessageKey({ name: 'cluster-thing' })).toBe('cluster-thing');
  });

  it('throws a TypeError for anything else', () => {
    expect(() => defaultMessageKey(42)).toThrow(
      new TypeError(
        'cannot derive a key from a number: messages must be strings or ObjectRefs, or pass a `key` function',
      ),
    );
    expect(() => defaultMessageKey(null)).toThrow(/from null/);
    expect(() => defaultMessageKey(['a'])).toThrow(/from an array/);
    expect(() => defaultMessageKey({ metadata: { name: 'x' } })).toThrow(/without a string `name`/);
  });
});
