import type { LeaseObject } from '../leader/leaderElection.js';

/** What a replica knows of one shard Lease in a {@link ShardPlanInput}. */
export interface ShardLeaseView {
  /** The shard index. */
  readonly shard: number;
  /** The Lease as listed; `undefined` when it does not exist yet. */
  readonly lease: LeaseObject | undefined;
  /** Whether its holder's claim has run out (unchanged for its duration on this replica's clock). */
  readonly expired: boolean;
}

/** The input of {@link planShards}: one replica's view at one tick. */
export interface ShardPlanInput {
  /** This replica's identity. */
  readonly identity: string;
  /** Number of shards. */
  readonly shards: number;
  /** Live replicas (this one included): members whose membership Lease has not expired. */
  readonly live: number;
  /** Every shard, in index order. */
  readonly leases: readonly ShardLeaseView[];
  /** Shards this replica holds (renewed within `renewDeadline`), draining ones included. */
  readonly held: ReadonlySet<number>;
  /** Held shards being handed over: no longer admitted, released once nothing of them runs. */
  readonly draining: ReadonlySet<number>;
  /** Reconciles of a shard running now. */
  readonly inFlight: (shard: number) => number;
}

/** What a replica does at one tick; see {@link planShards}. */
export interface ShardPlan {
  /** This replica's fair share: `ceil(shards / live)`. */
  readonly target: number;
  /** Held shards to renew (draining ones too, until released). */
  readonly renew: readonly number[];
  /** Held shards to stop admitting now (over the fair share). */
  readonly drain: readonly number[];
  /** Draining shards with nothing in flight: release their Leases now. */
  readonly release: readonly number[];
  /** Free or expired shards to take, up to the fair share. */
  readonly acquire: readonly number[];
}

/**
 * One step of the lease-sharding protocol, as a pure function of what one replica sees:
 *
 * - the fair share is `ceil(shards / live)`;
 * - over it, the highest-numbered admitted shards start draining (no new reconcile of their
 *   keys) and are released only once none of their reconciles is in flight — so a key is never
 *   reconciled by two replicas at once;
 * - under it, the lowest-numbered shards that are free (no Lease, no holder) or expired are taken;
 *   held shards whose Lease now names another holder are not renewed (the caller drops them);
 * - every other held shard is renewed.
 *
 * @example
 * ```ts
 * const leases = [0, 1, 2, 3].map((shard) => ({ shard, lease: undefined, expired: false }));
 * const plan = planShards({ identity: 'a', shards: 4, live: 2, leases, held: new Set([0, 1, 2]),
 *   draining: new Set(), inFlight: () => 0 });
 * plan.drain; // [2]: a holds 3 of 4 with 2 replicas live, its share is 2
 * ```
 */
export function planShards(input: ShardPlanInput): ShardPlan {
  const { identity, shards, held, draining } = input;
  const live = Math.max(1, input.live);
  const target = Math.ceil(shards / live);
  const ownedByOthers = (view: ShardLeaseView): boolean => {
    const holder = view.lease?.spec?.holderIdentity;
    return holder !== undefined && holder !== '' && holder !== identity;
  };
  const renew = input.leases
    .filter((view) => held.has(view.shard) && !ownedByOthers(view))
    .map((view) => view.shard);
  const admitted = renew.filter((shard) => !draining.has(shard));
  const drain = admitted.length > target ? admitted.slice(target) : [];
  const release = [...draining]
    .filter((shard) => input.inFlight(shard) === 0)
    .sort((a, b) => a - b);
  const want = target - admitted.length;
  const acquire =
    want > 0 && draining.size === 0
      ? input.leases
          .filter(
            (view) =>
              !held.has(view.shard) &&
              (view.lease === undefined || !view.lease.spec?.holderIdentity || view.expired),
          )
          .slice(0, want)
          .map((view) => view.shard)
      : [];
  return { target, renew, drain, release, acquire };
}
