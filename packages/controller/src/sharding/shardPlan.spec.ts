import type { LeaseObject } from '../leader/leaderElection.js';
import { planShards, type ShardLeaseView } from './shardPlan.js';

const views = (holders: Array<string | undefined>, expired: number[] = []): ShardLeaseView[] =>
  holders.map((holder, shard) => ({
    shard,
    lease:
      holder === undefined
        ? undefined
        : ({ metadata: { name: `s-${shard}` }, spec: { holderIdentity: holder } } as LeaseObject),
    expired: expired.includes(shard),
  }));

const base = { identity: 'a', shards: 6, draining: new Set<number>(), inFlight: () => 0 };

describe('planShards', () => {
  it('takes free and missing shards up to ceil(shards / live), lowest first', () => {
    const plan = planShards({
      ...base,
      live: 4,
      leases: views([undefined, 'b', '', 'c', undefined, undefined]),
      held: new Set(),
    });
    expect(plan).toEqual({ target: 2, renew: [], drain: [], release: [], acquire: [0, 2] });
  });

  it('takes an expired shard of a dead replica, never a live one', () => {
    const plan = planShards({
      ...base,
      live: 2,
      leases: views(['a', 'dead', 'b', 'dead', 'b', 'b'], [1, 3]),
      held: new Set([0]),
    });
    expect(plan.renew).toEqual([0]);
    expect(plan.acquire).toEqual([1, 3]);
  });

  it('drains the highest shards over its share, and releases a draining shard only when nothing of it runs', () => {
    const held = new Set([0, 1, 2, 3, 4, 5]);
    const first = planShards({ ...base, live: 3, leases: views(Array(6).fill('a')), held });
    expect(first.drain).toEqual([2, 3, 4, 5]);
    expect(first.acquire).toEqual([]);
    const draining = new Set(first.drain);
    const second = planShards({
      ...base,
      live: 3,
      leases: views(Array(6).fill('a')),
      held,
      draining,
      inFlight: (shard) => (shard === 3 ? 1 : 0),
    });
    expect(second.drain).toEqual([]);
    expect(second.release).toEqual([2, 4, 5]);
    expect(second.renew).toEqual([0, 1, 2, 3, 4, 5]); // draining shards stay renewed until released
  });

  it('does not renew a held shard whose Lease names another holder', () => {
    const plan = planShards({
      ...base,
      live: 2,
      leases: views(['a', 'b', 'a', '', '', '']),
      held: new Set([0, 1, 2]),
    });
    expect(plan.renew).toEqual([0, 2]);
    expect(plan.acquire).toEqual([3]);
  });

  it('takes nothing while handing shards over', () => {
    const plan = planShards({
      ...base,
      live: 2,
      leases: views(['a', 'a', '', 'a', '', '']),
      held: new Set([0, 1, 3]),
      draining: new Set([3]),
      inFlight: () => 1,
    });
    expect(plan.acquire).toEqual([]);
    expect(plan.release).toEqual([]);
  });
});
