import {
  Api,
  isApiError,
  Lease,
  type KubeObject,
  type ObjectMeta,
  type PostParams,
} from '@kube-rx/core';
import {
  asyncScheduler,
  catchError,
  concatMap,
  defer,
  EMPTY,
  exhaustMap,
  map,
  Observable,
  of,
  take,
  timeout,
  timer,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { formatMicroTime } from '../microTime.js';
import { releaseLease } from './releaseLease.js';

/** client-node's `KubeConfig`, as `Api` takes it. */
type KubeConfig = Parameters<typeof Api.namespaced>[0];

/** A coordination.k8s.io/v1 Lease as sent over the wire (times are MicroTime strings). */
export interface LeaseObject extends KubeObject {
  /** Name and namespace of the Lease; its `resourceVersion` guards every `replace`. */
  metadata?: ObjectMeta;
  /** The lock state; absent or partial on a Lease nobody has written through this API yet. */
  spec?: {
    /** Identity of the current leader; absent or `''` when nobody holds the lease (e.g. released). */
    holderIdentity?: string;
    /** Seconds the holder's claim stays valid after `renewTime`; `1` after a release. */
    leaseDurationSeconds?: number;
    /** When the current holder acquired the lease (MicroTime, six fractional digits). */
    acquireTime?: string;
    /** When the holder last renewed the lease (MicroTime, six fractional digits). */
    renewTime?: string;
    /** How many times the lease changed hands; absent counts as `0`. */
    leaseTransitions?: number;
  };
}

/** The part of `Api<LeaseObject>` (bound to the lease's namespace) that leader election uses. */
export interface LeaseApi {
  /** Reads the Lease; emits `undefined` when it does not exist (404). */
  getOpt(name: string): Observable<LeaseObject | undefined>;
  /** Creates the Lease when it is missing; a 409 `ApiError` means another candidate was first. */
  create(object: LeaseObject, params?: PostParams): Observable<LeaseObject>;
  /**
   * Writes the Lease with the `resourceVersion` that was read; must fail with a 409 `ApiError`
   * when someone else wrote it meanwhile (that is how a lost race is detected).
   */
  replace(name: string, object: LeaseObject, params?: PostParams): Observable<LeaseObject>;
}

/** Options of {@link leaderElection}. */
export interface LeaderElectionConfig {
  /** Client for Leases in `lease.namespace`. Give this or `kubeConfig`. */
  api?: LeaseApi;
  /** Used to build `Api.namespaced(kubeConfig, Lease, lease.namespace)` when `api` is absent. */
  kubeConfig?: KubeConfig;
  /** The Lease object all candidates compete for. Required. */
  lease: {
    /** Name of the Lease, shared by all candidates; non-empty. Created when missing. */
    name: string;
    /** Namespace of the Lease; non-empty. */
    namespace: string;
  };
  /** This candidate's unique identity (e.g. the pod name). Required, non-empty. */
  identity: string;
  /**
   * How long a lease is valid after its last renewal, in ms (written as `leaseDurationSeconds`,
   * rounded up). Candidates take over a lease they have seen unchanged for this long. Default `15_000`.
   */
  leaseDuration?: number;
  /**
   * The leader gives up (emits `false`) when it has not renewed for this long, in ms. Must be
   * below `leaseDuration`, so it stops acting before anyone else can take over. Default `10_000`.
   */
  renewDeadline?: number;
  /** Interval between acquire/renew attempts, in ms. Must be below `renewDeadline`. Default `2_000`. */
  retryPeriod?: number;
  /**
   * Release the lease (clear the holder) when unsubscribed while leading — fire and forget, as
   * the unsubscriber cannot wait for it; use `stop` for a release you can await. Default `true`.
   */
  releaseOnCancel?: boolean;
  /**
   * Ends the election when it emits (or completes) — the awaitable way to step down: attempts
   * stop, the Lease is released if this candidate holds it (the write is awaited, bounded by
   * `renewDeadline`; a failure is passed to `onError`), then `false` is emitted if it was leading
   * and the Observable **completes**. So `await lastValueFrom(election$)` after `stop` fires
   * returns once standbys can take over. Default: never (the election runs until unsubscribed).
   */
  stop?: Observable<unknown>;
  /** Called with every failed attempt's error (network, 5xx...). Default: ignored. */
  onError?: (error: unknown) => void;
  /** Clock and timers. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

type Attempt = 'leading' | 'followed' | 'failed';

/**
 * Leader election over a coordination.k8s.io/v1 Lease, with client-go's semantics.
 *
 * Emits `false` at once (standby), `true` when this candidate becomes leader and `false` when it
 * stops being leader, and nothing else (only changes). Never errors; completes only when
 * unsubscribed. Keep the standby's caches warm and switch the work on and off with it:
 *
 * - Every `retryPeriod` a candidate reads the Lease. If nobody holds it, or the holder has not
 *   changed it for `leaseDuration` (measured on **this** candidate's clock from when it first
 *   saw that version, so clock skew between nodes does not matter), it writes itself as holder
 *   with `replace` and the version it read (optimistic concurrency: if another candidate wrote
 *   first, the server answers 409 and this one stays standby). A missing Lease is created.
 * - The leader renews (`renewTime`) every `retryPeriod`. A 409 or a Lease held by someone else
 *   means another candidate took over: `false` at once. Other failures are retried; if none
 *   succeeds for `renewDeadline`, `false`.
 * - Times are written as MicroTime with exactly six fractional digits (the server rejects
 *   `toISOString()`'s three).
 * - On unsubscribe while leading the Lease is released (holder cleared) so a standby takes over
 *   at once instead of after `leaseDuration` — best effort, not awaited. To await the release,
 *   pass `stop`: when it emits, the Lease is released, then the Observable completes.
 *
 * Throws a `TypeError` at creation for an empty identity or lease name, neither `api` nor
 * `kubeConfig`, or durations that are not `leaseDuration > renewDeadline > retryPeriod > 0`.
 *
 * @example
 * ```ts
 * leaderElection({ kubeConfig: kc, lease: { name: 'widget-operator', namespace: 'ops' }, identity: podName })
 *   .pipe(switchMap((leading) => (leading ? controller.run(reconcile, policy, ctx) : EMPTY)))
 *   .subscribe();
 * ```
 */
export function leaderElection(config: LeaderElectionConfig): Observable<boolean> {
  const leaseDuration = config.leaseDuration ?? 15_000;
  const renewDeadline = config.renewDeadline ?? 10_000;
  const retryPeriod = config.retryPeriod ?? 2_000;
  const scheduler = config.scheduler ?? asyncScheduler;
  const releaseOnCancel = config.releaseOnCancel ?? true;
  const { identity, lease } = config;
  if (typeof identity !== 'string' || identity === '') {
    throw new TypeError('leaderElection: identity must be a non-empty string');
  }
  if (!lease?.name || !lease.namespace) {
    throw new TypeError('leaderElection: lease.name and lease.namespace are required');
  }
  for (const [name, value] of Object.entries({ leaseDuration, renewDeadline, retryPeriod })) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new TypeError(`leaderElection: ${name} must be a positive number of ms`);
    }
  }
  if (!(leaseDuration > renewDeadline && renewDeadline > retryPeriod)) {
    throw new TypeError('leaderElection: needs leaseDuration > renewDeadline > retryPeriod');
  }
  const api: LeaseApi =
    config.api ??
    (config.kubeConfig
      ? Api.namespaced<LeaseObject>(config.kubeConfig, Lease, lease.namespace)
      : (() => {
          throw new TypeError('leaderElection: give either api or kubeConfig');
        })());
  const leaseDurationSeconds = Math.ceil(leaseDuration / 1000);

  const stop = config.stop;
  return new Observable<boolean>((subscriber) => {
    let leading = false;
    let stopping: Subscription | undefined;
    let lastRenew = Number.NEGATIVE_INFINITY;
    let held: LeaseObject | undefined;
    // The version we last saw and when (our clock) we first saw it.
    let observedVersion: string | undefined;
    let observedAt = 0;

    const setLeading = (value: boolean): void => {
      if (value === leading) return;
      leading = value;
      subscriber.next(value);
    };

    const expired = (current: LeaseObject, now: number): boolean => {
      const version = current.metadata?.resourceVersion;
      if (version !== observedVersion) {
        observedVersion = version;
        observedAt = now;
      }
      const seconds = current.spec?.leaseDurationSeconds ?? leaseDurationSeconds;
      return observedAt + seconds * 1000 <= now;
    };

    const write = (current: LeaseObject | undefined, now: number): Observable<Attempt> => {
      const time = formatMicroTime(now);
      if (current === undefined) {
        return api
          .create({
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: lease.name, namespace: lease.namespace },
            spec: {
              holderIdentity: identity,
              leaseDurationSeconds,
              acquireTime: time,
              renewTime: time,
              leaseTransitions: 0,
            },
          })
          .pipe(map((created) => succeed(created, now)));
      }
      const spec = current.spec ?? {};
      const ours = spec.holderIdentity === identity;
      const transitions = spec.leaseTransitions ?? 0;
      const next: LeaseObject = {
        ...current,
        spec: {
          ...spec,
          holderIdentity: identity,
          leaseDurationSeconds,
          acquireTime: ours && spec.acquireTime ? spec.acquireTime : time,
          renewTime: time,
          leaseTransitions: ours ? transitions : transitions + 1,
        },
      };
      return api.replace(lease.name, next).pipe(map((replaced) => succeed(replaced, now)));
    };

    const succeed = (written: LeaseObject, now: number): Attempt => {
      held = written;
      observedVersion = written.metadata?.resourceVersion;
      observedAt = now;
      lastRenew = now;
      return 'leading';
    };

    const attempt = (): Observable<Attempt> =>
      defer(() => api.getOpt(lease.name)).pipe(
        concatMap((current) => {
          const now = scheduler.now();
          const holder = current?.spec?.holderIdentity;
          if (current && holder && holder !== identity && !expired(current, now)) {
            held = undefined;
            return of<Attempt>('followed');
          }
          return write(current, now);
        }),
        timeout({ first: renewDeadline, scheduler }),
        catchError((error: unknown) => {
          if (isApiError(error, 409)) return of<Attempt>('followed');
          config.onError?.(error);
          return of<Attempt>('failed');
        }),
      );

    subscriber.next(false);
    const loop = timer(0, retryPeriod, scheduler)
      .pipe(exhaustMap(() => attempt()))
      .subscribe((outcome) => {
        if (outcome === 'leading') setLeading(true);
        else if (outcome === 'followed') setLeading(false);
      });
    // Checked on its own timer so that a hanging attempt cannot keep a stale leader leading.
    const deadline = timer(retryPeriod, retryPeriod, scheduler).subscribe(() => {
      if (leading && scheduler.now() - lastRenew >= renewDeadline) setLeading(false);
    });

    const stepDown = (): void => {
      if (stopping !== undefined || subscriber.closed) return;
      loop.unsubscribe();
      deadline.unsubscribe();
      const wasLeading = leading;
      const current = held;
      leading = false;
      held = undefined;
      const release$ =
        wasLeading && current
          ? releaseLease(api, lease.name, current, scheduler.now()).pipe(
              timeout({ first: renewDeadline, scheduler }),
              catchError((error: unknown) => {
                config.onError?.(error);
                return EMPTY;
              }),
            )
          : EMPTY;
      stopping = release$.subscribe({
        complete: () => {
          if (wasLeading) subscriber.next(false);
          subscriber.complete();
        },
      });
    };
    const stopSubscription = stop?.pipe(take(1)).subscribe({ next: stepDown, complete: stepDown });

    return () => {
      stopSubscription?.unsubscribe();
      loop.unsubscribe();
      deadline.unsubscribe();
      if (stopping !== undefined) {
        stopping.unsubscribe();
        return;
      }
      if (leading && releaseOnCancel && held) {
        // Best effort: a failure only means standbys wait for the lease to expire.
        releaseLease(api, lease.name, held, scheduler.now()).subscribe({ error: () => undefined });
      }
    };
  });
}
