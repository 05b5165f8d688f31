import { ApiError, type ListParams, type ObjectList } from '@kube-rx/core';
import {
  defer,
  map,
  NEVER,
  of,
  Subject,
  take,
  timer,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { LeaseObject } from '../leader/leaderElection.js';
import { Action } from '../action.js';
import type { WorkGateEvent } from '../operator/workGate.js';
import { leaseShards, SHARD_GROUP_LABEL, type ShardLeaseApi } from './leaseShards.js';
import { shardOf } from './shard.js';
import { runInVirtualTime } from '../../test/virtualTime.js';

/** Leases in memory with the API server's resourceVersion checks and label-selected LIST. */
class FakeLeases implements ShardLeaseApi {
  readonly leases = new Map<string, LeaseObject>();
  /** Requests made, by virtual time (set by the test's clock hook). */
  readonly calls: number[] = [];
  now: () => number = () => 0;
  private version = 0;

  private store(object: LeaseObject): LeaseObject {
    this.version += 1;
    const stored = structuredClone({
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(this.version) },
    });
    this.leases.set(stored.metadata.name!, stored);
    return structuredClone(stored);
  }

  list(params: ListParams): Observable<ObjectList<LeaseObject>> {
    this.calls.push(this.now());
    const [key, value] = (params.labelSelector ?? '').split('=');
    return defer(() =>
      of({
        metadata: {},
        items: [...this.leases.values()]
          .filter((lease) => lease.metadata?.labels?.[key!] === value)
          .map((lease) => structuredClone(lease)),
      }),
    );
  }

  getOpt(name: string): Observable<LeaseObject | undefined> {
    return defer(() => of(structuredClone(this.leases.get(name))));
  }

  create(object: LeaseObject): Observable<LeaseObject> {
    this.calls.push(this.now());
    return defer(() => {
      if (this.leases.has(object.metadata!.name!)) {
        throw new ApiError({ code: 409, reason: 'AlreadyExists' });
      }
      return of(this.store(object));
    });
  }

  replace(name: string, object: LeaseObject): Observable<LeaseObject> {
    this.calls.push(this.now());
    return defer(() => {
      if (object.metadata?.resourceVersion !== this.leases.get(name)?.metadata?.resourceVersion) {
        throw new ApiError({ code: 409, reason: 'Conflict' });
      }
      return of(this.store(object));
    });
  }

  delete(name: string): Observable<unknown> {
    this.calls.push(this.now());
    return defer(() => of(this.leases.delete(name)));
  }

  holders(): string[] {
    return Array.from(
      { length: 4 },
      (_, i) => this.leases.get(`w-shard-${i}`)?.spec?.holderIdentity ?? '-',
    );
  }
}

const timing = { leaseDuration: 3_000, renewDeadline: 2_000, retryPeriod: 500 };
/** A replica of the `w` shard group (4 shards) in namespace `ns`. */
const replica = (api: ShardLeaseApi, identity: string, scheduler: SchedulerLike) =>
  leaseShards({ api, name: 'w', namespace: 'ns', shards: 4, identity, ...timing, scheduler });
const keys = Array.from({ length: 40 }, (_, i) => `ns/w${i}`);
const ref = (key: string) => ({ namespace: 'ns', name: key.slice(3) });

describe('leaseShards', () => {
  it('balances shards as replicas join, handing a shard over only when its reconciles are done, and releases on stop', () => {
    const api = new FakeLeases();
    const events: Record<string, WorkGateEvent[]> = { a: [], b: [] };
    // Per virtual ms: no key admitted by both replicas at once.
    const overlaps: string[] = [];
    let slowDone = false;
    let aReleasedShardOfSlowKey = -1;
    runInVirtualTime((_helpers, scheduler) => {
      const a = replica(api, 'a', scheduler);
      const b = replica(api, 'b', scheduler);
      const stopA = new Subject<void>();
      const stopB = new Subject<void>();
      a.run(stopA).subscribe((event) => events['a']!.push(event));
      const slowKey = keys.find((key) => shardOf(key, 4) === 3)!;
      // At 1 s a runs a reconcile of a shard-3 key that lasts 2 s (b joins meanwhile).
      timer(1_000, scheduler).subscribe(() => {
        expect(a.admits(ref(slowKey))).toBe(true);
        const output = a.track(ref(slowKey), () =>
          timer(2_000, scheduler).pipe(map(() => Action.awaitChange())),
        );
        (output as Observable<unknown>).subscribe({ complete: () => (slowDone = true) });
      });
      timer(1_200, scheduler).subscribe(() =>
        b.run(stopB).subscribe((event) => events['b']!.push(event)),
      );
      timer(0, 50, scheduler)
        .pipe(take(180))
        .subscribe(() => {
          for (const key of keys) {
            if (a.admits(ref(key)) && b.admits(ref(key)))
              overlaps.push(`${scheduler.now()} ${key}`);
          }
          if (
            !slowDone &&
            api.leases.get('w-shard-3')?.spec?.holderIdentity !== 'a' &&
            scheduler.now() > 1_000
          ) {
            aReleasedShardOfSlowKey = scheduler.now();
          }
        });
      timer(8_000, scheduler).subscribe(() => {
        expect(api.holders().sort()).toEqual(['a', 'a', 'b', 'b']);
        stopA.next();
        stopB.next();
      });
    });
    expect(overlaps).toEqual([]);
    expect(aReleasedShardOfSlowKey).toBe(-1); // shard 3 stayed a's until its reconcile ended
    expect(events['a']![0]).toEqual({ type: 'ShardsChanged', held: [0, 1, 2, 3], shards: 4 });
    expect(events['a']).toContainEqual({ type: 'ShardsChanged', held: [0, 1], shards: 4 });
    expect(events['b']).toContainEqual({ type: 'ShardsChanged', held: [2, 3], shards: 4 });
    expect(events['a']!.at(-1)).toEqual({
      type: 'LeaseReleased',
      leases: ['w-shard-0', 'w-shard-1'],
    });
    expect(api.holders()).toEqual(['', '', '', '']);
    expect([...api.leases.keys()].filter((name) => name.includes('member'))).toEqual([]);
    expect(
      [...api.leases.values()].every((l) => l.metadata?.labels?.[SHARD_GROUP_LABEL] === 'w'),
    ).toBe(true);
  });

  it("takes a dead replica's shards once their Leases expire", () => {
    const api = new FakeLeases();
    const takenAt: number[] = [];
    runInVirtualTime((_helpers, scheduler) => {
      const a = replica(api, 'a', scheduler);
      const b = replica(api, 'b', scheduler);
      const runA = a.run(NEVER).subscribe();
      const runB = b.run(NEVER).subscribe((event) => {
        if (event.type === 'ShardsChanged' && event.held.length === 4)
          takenAt.push(scheduler.now());
      });
      // a dies at 5 s: no release, its Leases stop changing.
      timer(5_000, scheduler).subscribe(() => runA.unsubscribe());
      timer(12_000, scheduler).subscribe(() => runB.unsubscribe());
    });
    expect(takenAt).toHaveLength(1);
    // a's last renewal was at 4.5 s (its rounds run every 500 ms): its Leases expire 3 s after b
    // first saw that version, and b takes them at its next round.
    expect(takenAt[0]).toBeGreaterThanOrEqual(4_500 + 3_000);
    expect(takenAt[0]).toBeLessThanOrEqual(5_000 + 3_000 + 2 * 500);
  });

  it('makes (2 + shards held) requests per replica per retryPeriod in the steady state', () => {
    const api = new FakeLeases();
    runInVirtualTime((_helpers, scheduler) => {
      api.now = () => scheduler.now();
      const gates = ['a', 'b'].map((identity) => replica(api, identity, scheduler));
      const runs = gates.map((gate) => gate.run(NEVER).subscribe());
      timer(8_000, scheduler).subscribe(() => runs.forEach((run) => run.unsubscribe()));
    });
    expect(api.holders().sort()).toEqual(['a', 'a', 'b', 'b']);
    // From 5 s to 7 s: 4 rounds of each replica, each a LIST, a membership write and 2 renewals.
    const window = api.calls.filter((at) => at >= 5_000 && at < 7_000);
    expect(window).toHaveLength(4 * 2 * (2 + 2));
  });

  it('validates its config at creation', () => {
    const api = new FakeLeases();
    const config = { api, name: 'w', namespace: 'ns', shards: 4, identity: 'a' };
    expect(() => leaseShards({ ...config, shards: 0 })).toThrow(TypeError);
    expect(() => leaseShards({ ...config, identity: '' })).toThrow(TypeError);
    expect(() => leaseShards({ ...config, retryPeriod: 20_000 })).toThrow(TypeError);
    const { api: _api, ...withoutApi } = config;
    expect(() => leaseShards(withoutApi)).toThrow(TypeError);
  });
});
