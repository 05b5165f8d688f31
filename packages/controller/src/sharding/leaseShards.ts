import { Api, isApiError, Lease, refKey, type ListParams, type ObjectList } from '@kube-rx/core';
import {
  asyncScheduler,
  catchError,
  concatMap,
  defer,
  EMPTY,
  exhaustMap,
  finalize,
  forkJoin,
  map,
  Observable,
  of,
  Subject,
  take,
  timeout,
  timer,
  type SchedulerLike,
} from 'rxjs';
import type { LeaseApi, LeaseObject } from '../leader/leaderElection.js';
import { releaseLease } from '../leader/releaseLease.js';
import { formatMicroTime } from '../microTime.js';
import { toActionObservable } from '../reconcileOutput.js';
import type { WorkGate, WorkGateEvent } from '../operator/workGate.js';
import { planShards, type ShardLeaseView } from './shardPlan.js';
import { shardOf } from './shard.js';

/** The Lease calls lease sharding makes: leader election's, plus a labelled LIST and DELETE. */
export interface ShardLeaseApi extends LeaseApi {
  /** Lists the Leases matching `params.labelSelector` in the namespace. */
  list(params: ListParams): Observable<ObjectList<LeaseObject>>;
  /** Deletes a Lease (this replica's membership Lease, on shutdown). */
  delete(name: string): Observable<unknown>;
}

/** Options of {@link leaseShards}. */
export interface LeaseShardsConfig {
  /** Client for Leases in `namespace`. Give this or `kubeConfig`. */
  api?: ShardLeaseApi;
  /** Used to build `Api.namespaced(kubeConfig, Lease, namespace)` when `api` is absent. */
  kubeConfig?: Parameters<typeof Api.namespaced>[0];
  /** Base name: shard Leases are `<name>-shard-<i>`, membership Leases `<name>-member-<identity>`. Required. */
  name: string;
  /** Namespace of the Leases. Required. */
  namespace: string;
  /** Number of shards, an integer ≥ 1; every replica must use the same. Required. */
  shards: number;
  /** This replica's identity. Required, non-empty. */
  identity: string;
  /** Validity of a claim after its last renewal, in ms. Default `15_000`. */
  leaseDuration?: number;
  /** A held shard not renewed for this long is dropped (no longer admitted), in ms. Default `10_000`. */
  renewDeadline?: number;
  /** Interval between rounds (one LIST, one membership renewal, one write per shard held or taken), in ms. Default `2_000`. */
  retryPeriod?: number;
  /** Called with every failed request's error. Default: ignored. */
  onError?: (error: unknown) => void;
  /** Clock and timers. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Label on every Lease of a sharded group: its base name. */
export const SHARD_GROUP_LABEL = 'kube-rx.io/shard-group';

/**
 * Lease-based sharding for an `Operator` (`sharding: { shards }`): N replicas share `shards`
 * shard Leases and each reconciles only the keys (`shardOf(namespace/name, shards)`) of the shards
 * it holds. Every `retryPeriod` a replica lists the group's Leases (one LIST), renews its
 * membership Lease, renews the shards it holds, and — by {@link planShards} — takes free or
 * expired shards up to its fair share `ceil(shards / live replicas)`, or hands shards over above
 * it: it stops admitting their keys, waits until none of their reconciles is in flight, then
 * releases their Leases. A dead replica's shards are taken once their Leases have not changed
 * for their duration (on the taker's clock). When the `stop$` of `run` emits, every shard Lease
 * is released and the membership Lease deleted (awaited), then it completes.
 *
 * Lease traffic per replica: `(2 + shards held + shards taken) / retryPeriod` requests per second
 * — with the defaults and 10 shards over 3 replicas, about 3 per second.
 *
 * Throws a `TypeError` at creation for bad config.
 *
 * @example
 * ```ts
 * const stop$ = new Subject<void>();
 * const gate = leaseShards({ kubeConfig: kc, name: 'widgets', namespace: 'ops', shards: 10, identity: podName });
 * gate.run(stop$).subscribe((event) => console.log(event)); // ShardsChanged, LeaseReleased
 * gate.admits({ namespace: 'default', name: 'my-widget' }); // whether this replica reconciles it now
 * stop$.next(); // releases the shards, then the run completes
 * ```
 */
export function leaseShards(config: LeaseShardsConfig): WorkGate {
  const leaseDuration = config.leaseDuration ?? 15_000;
  const renewDeadline = config.renewDeadline ?? 10_000;
  const retryPeriod = config.retryPeriod ?? 2_000;
  const scheduler = config.scheduler ?? asyncScheduler;
  const { name, namespace, shards, identity } = config;
  if (!name || !namespace) throw new TypeError('leaseShards: name and namespace are required');
  if (typeof identity !== 'string' || identity === '') {
    throw new TypeError('leaseShards: identity must be a non-empty string');
  }
  if (!Number.isInteger(shards) || shards < 1) {
    throw new TypeError('leaseShards: shards must be an integer >= 1');
  }
  if (!(leaseDuration > renewDeadline && renewDeadline > retryPeriod && retryPeriod > 0)) {
    throw new TypeError('leaseShards: needs leaseDuration > renewDeadline > retryPeriod > 0');
  }
  const api: ShardLeaseApi =
    config.api ??
    (config.kubeConfig
      ? (Api.namespaced<LeaseObject>(config.kubeConfig, Lease, namespace) as ShardLeaseApi)
      : (() => {
          throw new TypeError('leaseShards: give either api or kubeConfig');
        })());
  const leaseDurationSeconds = Math.ceil(leaseDuration / 1000);
  const shardName = (shard: number): string => `${name}-shard-${shard}`;
  const memberName = `${name}-member-${dnsLabel(identity)}`;
  const labels = { [SHARD_GROUP_LABEL]: name };

  const held = new Map<number, { lease: LeaseObject; renewedAt: number }>();
  const draining = new Set<number>();
  const inFlight = new Map<number, number>();
  const admitted$ = new Subject<void>();
  const admits = (shard: number): boolean => held.has(shard) && !draining.has(shard);

  const run = (stop$: Observable<unknown>): Observable<WorkGateEvent> =>
    new Observable<WorkGateEvent>((subscriber) => {
      // Lease name → [resourceVersion, when this replica first saw it].
      const observed = new Map<string, [string | undefined, number]>();
      let member: LeaseObject | undefined;
      let reported = '';

      const expired = (lease: LeaseObject, now: number): boolean => {
        const key = lease.metadata?.name ?? '';
        const version = lease.metadata?.resourceVersion;
        const seen = observed.get(key);
        if (seen === undefined || seen[0] !== version) {
          observed.set(key, [version, now]);
          return false;
        }
        const seconds = lease.spec?.leaseDurationSeconds ?? leaseDurationSeconds;
        return seen[1] + seconds * 1000 <= now;
      };

      const report = (): void => {
        const list = [...held.keys()].filter(admits).sort((a, b) => a - b);
        const key = list.join(',');
        if (key === reported) return;
        reported = key;
        subscriber.next({ type: 'ShardsChanged', held: list, shards });
      };

      const spec = (
        now: number,
        previous: LeaseObject | undefined,
      ): NonNullable<LeaseObject['spec']> => {
        const time = formatMicroTime(now);
        const ours = previous?.spec?.holderIdentity === identity;
        const transitions = previous?.spec?.leaseTransitions ?? 0;
        return {
          holderIdentity: identity,
          leaseDurationSeconds,
          acquireTime: ours && previous?.spec?.acquireTime ? previous.spec.acquireTime : time,
          renewTime: time,
          leaseTransitions: previous === undefined ? 0 : ours ? transitions : transitions + 1,
        };
      };

      const write = (leaseName: string, previous: LeaseObject | undefined, now: number) =>
        previous === undefined
          ? api.create({
              apiVersion: 'coordination.k8s.io/v1',
              kind: 'Lease',
              metadata: { name: leaseName, namespace, labels },
              spec: spec(now, undefined),
            })
          : api.replace(leaseName, { ...previous, spec: spec(now, previous) });

      const attempt = <T>(request: Observable<T>): Observable<T | undefined> =>
        request.pipe(
          timeout({ first: renewDeadline, scheduler }),
          catchError((error: unknown) => {
            if (!isApiError(error, 409)) config.onError?.(error);
            return of(undefined);
          }),
        );

      const round = (): Observable<unknown> =>
        defer(() => api.list({ labelSelector: `${SHARD_GROUP_LABEL}=${name}` })).pipe(
          timeout({ first: renewDeadline, scheduler }),
          concatMap((list) => {
            const now = scheduler.now();
            const byName = new Map(list.items.map((lease) => [lease.metadata?.name ?? '', lease]));
            const memberNow = byName.get(memberName) ?? member;
            const others = list.items.filter(
              (lease) =>
                lease.metadata?.name?.startsWith(`${name}-member-`) &&
                lease.metadata.name !== memberName &&
                !expired(lease, now),
            ).length;
            const views: ShardLeaseView[] = [];
            for (let shard = 0; shard < shards; shard += 1) {
              const lease = byName.get(shardName(shard));
              const ownedElsewhere =
                lease?.spec?.holderIdentity && lease.spec.holderIdentity !== identity;
              if (held.has(shard) && ownedElsewhere) {
                // Someone else took it (we were too slow to renew): stop at once.
                held.delete(shard);
                draining.delete(shard);
              }
              views.push({ shard, lease, expired: lease !== undefined && expired(lease, now) });
            }
            const plan = planShards({
              identity,
              shards,
              live: others + 1,
              leases: views,
              held: new Set(held.keys()),
              draining,
              inFlight: (shard) => inFlight.get(shard) ?? 0,
            });
            for (const shard of plan.drain) draining.add(shard);
            report();
            const writes: Array<Observable<unknown>> = [
              attempt(write(memberName, memberNow, now)).pipe(
                map((written) => {
                  if (written) member = written;
                }),
              ),
            ];
            for (const shard of plan.release) {
              const current = held.get(shard)!.lease;
              writes.push(
                attempt(releaseLease(api, shardName(shard), current, now)).pipe(
                  map(() => {
                    held.delete(shard);
                    draining.delete(shard);
                  }),
                ),
              );
            }
            const releasing = new Set(plan.release);
            for (const shard of [...plan.renew.filter((s) => !releasing.has(s)), ...plan.acquire]) {
              const previous = held.get(shard)?.lease ?? byName.get(shardName(shard));
              writes.push(
                attempt(write(shardName(shard), previous, now)).pipe(
                  map((written) => {
                    // A failed renewal keeps the shard until renewDeadline (or the next LIST shows
                    // another holder).
                    if (!written) return;
                    const gained = !held.has(shard);
                    held.set(shard, { lease: written, renewedAt: now });
                    if (gained) admitted$.next();
                  }),
                ),
              );
            }
            return forkJoin(writes);
          }),
          catchError((error: unknown) => {
            config.onError?.(error);
            return EMPTY;
          }),
          finalize(() => {
            // Held shards not renewed within renewDeadline are dropped, like a leader steps down.
            const now = scheduler.now();
            for (const [shard, state] of held) {
              if (now - state.renewedAt >= renewDeadline) {
                held.delete(shard);
                draining.delete(shard);
              }
            }
            if (!subscriber.closed) report();
          }),
        );

      const loop = timer(0, retryPeriod, scheduler)
        .pipe(exhaustMap(() => round()))
        .subscribe();

      const stop = stop$.pipe(take(1)).subscribe(() => {
        loop.unsubscribe();
        const leases = [...held.entries()];
        held.clear();
        draining.clear();
        report();
        const releases = leases.map(([shard, state]) =>
          attempt(releaseLease(api, shardName(shard), state.lease, scheduler.now())),
        );
        const membership = member ? [attempt(defer(() => api.delete(memberName)))] : [];
        forkJoin([...releases, ...membership, of(undefined)]).subscribe(() => {
          if (leases.length > 0) {
            subscriber.next({ type: 'LeaseReleased', leases: leases.map(([s]) => shardName(s)) });
          }
          subscriber.complete();
        });
      });

      return () => {
        stop.unsubscribe();
        loop.unsubscribe();
        held.clear();
        draining.clear();
      };
    });

  return {
    admits: (ref) => admits(shardOf(refKey(ref), shards)),
    admitted$,
    track: (ref, reconcile) => {
      const shard = shardOf(refKey(ref), shards);
      return defer(() => {
        inFlight.set(shard, (inFlight.get(shard) ?? 0) + 1);
        return toActionObservable(reconcile).pipe(
          finalize(() => inFlight.set(shard, (inFlight.get(shard) ?? 1) - 1)),
        );
      });
    },
    run,
  };
}

/** `identity` as a DNS label fragment (lowercase alphanumerics and `-`, at most 40 characters). */
function dnsLabel(identity: string): string {
  const label = identity
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return label === '' ? 'replica' : label;
}
