import { shard, shardOf } from './shard.js';

describe('shardOf', () => {
  it('is FNV-1a 32-bit modulo the shard count', () => {
    // FNV-1a("a") = 0xe40c292c, FNV-1a("foobar") = 0xbf9cf968 (published test vectors).
    expect(shardOf('a', 0x100000000)).toBe(0xe40c292c);
    expect(shardOf('foobar', 0x100000000)).toBe(0xbf9cf968);
    expect(shardOf('foobar', 7)).toBe(0xbf9cf968 % 7);
  });
});

describe('shard', () => {
  it('gives every key to exactly one of N shards, spread evenly', () => {
    const shards = [0, 1, 2, 3].map((index) => shard({ shards: 4, index }));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 10_000; i += 1) {
      const key = `ns-${i % 7}/widget-${i}`;
      const owners = shards.filter((predicate) => predicate(key));
      expect(owners).toHaveLength(1);
      counts[owners[0]!.index]! += 1;
    }
    for (const count of counts) {
      expect(count).toBeGreaterThan(2_300);
      expect(count).toBeLessThan(2_700);
    }
  });

  it('accepts keys, refs and objects alike', () => {
    const predicate = shard({ shards: 3, index: shardOf('default/app', 3) });
    expect(predicate('default/app')).toBe(true);
    expect(predicate({ namespace: 'default', name: 'app' })).toBe(true);
    expect(predicate({ metadata: { namespace: 'default', name: 'app' } })).toBe(true);
    expect(predicate({ metadata: {} })).toBe(false);
    expect(predicate.shards).toBe(3);
  });

  it('with one shard accepts everything', () => {
    const predicate = shard({ shards: 1, index: 0 });
    expect(['a', 'b/c', 'x/y'].every((key) => predicate(key))).toBe(true);
  });

  it.each([
    { shards: 0, index: 0 },
    { shards: 2.5, index: 0 },
    { shards: 2, index: 2 },
    { shards: 2, index: -1 },
    { shards: 2, index: Number.NaN },
  ])('rejects %p', (config) => {
    expect(() => shard(config)).toThrow(TypeError);
  });
});
