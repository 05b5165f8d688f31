import { objectKey, refKey, type KubeObject, type ObjectRef } from '@kube-rx/core';

/** Options of {@link shard}. */
export interface ShardConfig {
  /** Total number of shards (replicas), an integer ≥ 1. Required. */
  shards: number;
  /** This replica's shard, an integer in `[0, shards)`. Required. */
  index: number;
}

/** What a {@link ShardPredicate} accepts: a key (`ns/name`), an `ObjectRef` or an object. */
export type ShardTarget = string | ObjectRef | KubeObject;

/**
 * Whether a key belongs to this shard. Also carries its `shards` and `index`, so a controller
 * can describe itself.
 */
export interface ShardPredicate {
  (target: ShardTarget): boolean;
  /** Total number of shards, as given in {@link ShardConfig.shards}. */
  readonly shards: number;
  /** This replica's shard in `[0, shards)`, as given in {@link ShardConfig.index}. */
  readonly index: number;
}

/**
 * The shard (in `[0, shards)`) a key belongs to: 32-bit FNV-1a of the UTF-8 key (`refKey`),
 * modulo `shards`. Stable across processes, versions and platforms, so every replica agrees.
 *
 * @example
 * ```ts
 * shardOf('default/my-widget', 3); // always the same number in 0..2
 * ```
 */
export function shardOf(key: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/**
 * Splits keys among N replicas: `shard({ shards: 3, index: 1 })` accepts exactly the keys whose
 * {@link shardOf} is 1. Every key belongs to exactly one shard, so N replicas, each with its own
 * index, reconcile every object once between them without a lease per object.
 *
 * Use it as the controller's `shard` setting (`controller.withConfig({ shard })`: requests for
 * other shards' keys are dropped before the scheduler), or as a `filter` predicate on any stream
 * of objects, refs or keys. Gotchas: every replica must use the same `shards`; changing it moves
 * most keys to another replica (plain modulo, not consistent hashing); and a replica still
 * watches and caches every object — sharding splits the reconcile work, not the memory (add a
 * label selector per shard for that).
 *
 * Throws a `TypeError` when `shards` is not an integer ≥ 1 or `index` is not in `[0, shards)`.
 *
 * @example
 * ```ts
 * const mine = shard({ shards: 3, index: Number(process.env.SHARD_INDEX) });
 * new Controller(widgets).withConfig({ shard: mine }).run(reconcile, policy, ctx);
 * watcher(api).pipe(defaultBackoff(), appliedObjects(), filter(mine));
 * ```
 */
export function shard(config: ShardConfig): ShardPredicate {
  const { shards, index } = config;
  if (!Number.isInteger(shards) || shards < 1) {
    throw new TypeError(`shard: shards must be an integer >= 1, got ${String(shards)}`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= shards) {
    throw new TypeError(`shard: index must be an integer in [0, ${shards}), got ${String(index)}`);
  }
  const predicate = (target: ShardTarget): boolean => {
    const key = keyOf(target);
    return key !== undefined && shardOf(key, shards) === index;
  };
  return Object.assign(predicate, { shards, index });
}

function keyOf(target: ShardTarget): string | undefined {
  if (typeof target === 'string') return target;
  if ('metadata' in target || !('name' in target)) return objectKey(target as KubeObject);
  return refKey(target as ObjectRef);
}
