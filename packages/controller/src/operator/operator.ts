import { defaultLogger, objectRef, type KubeObject, type Logger } from '@kube-rx/core';
import {
  asyncScheduler,
  forkJoin,
  ignoreElements,
  lastValueFrom,
  merge,
  Observable,
  ReplaySubject,
  Subject,
  Subscription,
  type SchedulerLike,
} from 'rxjs';
import type { Controller } from '../controller/controller.js';
import type { ControllerHost } from '../controller/controllerHost.js';
import type { ControllerError } from '../controller/controllerError.js';
import type { ReconcileOk } from '../controller/reconcileOk.js';
import type { Result } from '../result.js';
import type { ReconcileFunction } from '../controller/applier/reconcileFunction.js';
import type { ErrorPolicy } from '../errorPolicy/errorPolicy.js';
import { ControllerMetrics } from '../metrics/controllerMetrics.js';
import type { HealthServer } from '../metrics/healthServer.js';
import { leaseShards } from '../sharding/leaseShards.js';
import { leaderGate } from './leaderGate.js';
import { defaultIdentity, validateOperatorConfig, type OperatorConfig } from './operatorConfig.js';
import type { OperatorEvent } from './operatorEvent.js';
import { leaderMetric, logEvent, shardsMetric } from './lifecycleLog.js';
import { startOperatorServers } from './operatorServers.js';
import { SharedCacheRegistry } from './sharedCacheRegistry.js';
import { shutdownSignals } from './shutdownSignals.js';
import { openGate, type WorkGate } from './workGate.js';

const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** Default of {@link OperatorConfig.shutdownTimeout}: below Kubernetes' 30 s grace period. */
export const DEFAULT_OPERATOR_SHUTDOWN_TIMEOUT = 25_000;

/** One `add()`: a controller and the arguments of its `run`. */
interface Registration {
  start(host: ControllerHost, gate: WorkGate): Observable<Result<ReconcileOk, ControllerError>>;
  readonly ready$: Observable<void>;
  readonly size: () => number;
}

type Phase = 'starting' | 'running' | 'shuttingDown' | 'stopped';

/**
 * Runs controllers in production, like controller-runtime's manager: one process, several
 * controllers, and everything around them —
 *
 * - a **shared cache registry**: controllers that watch the same resource with the same
 *   selectors share one watch (see {@link SharedCacheRegistry});
 * - **leader election** with a warm standby (`leaderElection`): every replica watches and keeps
 *   its caches synced; only the leader reconciles. On taking the Lease, every cached object is
 *   reconciled at once — no LIST, the caches are warm. On losing it, no new reconcile starts;
 *   then the operator shuts down (`onLost: 'exit'`, client-go's behaviour) or stays a standby;
 * - **lease-based sharding** (`sharding`): all replicas reconcile, each the keys of the shard
 *   Leases it holds (see `leaseShards`);
 * - **probe and metrics servers** (`server`): `/readyz` is 200 once every controller's cache is
 *   synced and 503 again as soon as a shutdown starts; `/metrics` on its own port;
 * - **signals** and a clean exit: on SIGTERM/SIGINT, `/readyz` turns 503 → no new reconcile
 *   starts → running reconciles finish (at most `shutdownTimeout`) → Leases are released (the
 *   writes awaited) → servers closed → `run()` completes, with no timer, socket or signal handler
 *   left, so Node exits by itself with code 0. A second signal exits at once (code 130 for
 *   SIGINT, 143 otherwise) with a line on stderr.
 *
 * `run()` emits {@link OperatorEvent}s; `runUntilStopped()` is its Promise form. Controllers
 * still work on their own (`controller.run(...)`) without an Operator. Throws a `TypeError` at
 * creation for bad config, and from `add` after `run`.
 *
 * @example
 * ```ts
 * const operator = new Operator({
 *   name: 'widget-operator',
 *   kubeConfig: kc,
 *   leaderElection: { lease: { name: 'widget-operator', namespace: 'ops' } },
 *   server: { health: { port: 8081 }, metrics: { port: 8080 } },
 * });
 * operator.add(new Controller(widgets), reconcile, perKeyBackoff(), ctx);
 * await operator.runUntilStopped(); // returns after SIGTERM, once everything is released
 * ```
 */
export class Operator {
  /** The identity this replica writes into Leases. */
  readonly identity: string;
  /** Metrics given to every controller without its own; `undefined` when none. */
  readonly metrics: ControllerMetrics | undefined;
  private readonly config: OperatorConfig;
  private readonly registrations: Registration[] = [];
  private readonly scheduler: SchedulerLike;
  private readonly shutdownTimeout: number;
  /**
   * Every reconcile result of every controller added, merged, while the operator runs (hot:
   * subscribe before `run()` to see them all); completes when the operator stops. Useful for
   * logging, counting or tests — the operator itself does not need anyone to listen.
   */
  readonly results$: Observable<Result<ReconcileOk, ControllerError>>;
  private readonly results = new Subject<Result<ReconcileOk, ControllerError>>();
  private requestShutdown: (() => void) | undefined;
  private shutdownRequested = false;
  private started = false;

  constructor(config: OperatorConfig) {
    validateOperatorConfig(config);
    this.config = config;
    this.identity = config.leaderElection?.identity ?? defaultIdentity();
    this.scheduler = config.scheduler ?? asyncScheduler;
    this.shutdownTimeout = config.shutdownTimeout ?? DEFAULT_OPERATOR_SHUTDOWN_TIMEOUT;
    // The leader gauge is labelled with the Lease's name, as client-go labels it.
    this.metrics =
      config.metrics ??
      (config.server?.metrics
        ? new ControllerMetrics({ name: config.leaderElection?.lease.name ?? config.name })
        : undefined);
    this.results$ = this.results.asObservable();
  }

  /**
   * Adds a controller, with the arguments of its `run`. Several may be added; all start with
   * `run()`. Throws a `TypeError` once the operator runs.
   *
   * @example
   * ```ts
   * operator
   *   .add(new Controller(widgets), reconcile, perKeyBackoff(), ctx)
   *   .add(new Controller(widgets, { labelSelector: 'tier=gold' }), reconcile, perKeyBackoff(), ctx);
   * ```
   */
  add<K extends KubeObject, C>(
    controller: Controller<K>,
    reconcile: ReconcileFunction<K, C>,
    errorPolicy: ErrorPolicy<K, unknown, C>,
    context: C,
  ): this {
    if (this.started) throw new TypeError('Operator.add: the operator is already running');
    if (!controller || typeof controller.runWithin !== 'function') {
      throw new TypeError('Operator.add: expected a Controller');
    }
    if (typeof reconcile !== 'function') {
      throw new TypeError('Operator.add: reconcile must be a function');
    }
    this.registrations.push({
      start: (host, gate) =>
        controller.runWithin(
          host,
          (object, ctx, run) => gate.track(objectRef(object), () => reconcile(object, ctx, run)),
          errorPolicy,
          context,
        ),
      ready$: controller.store.ready$,
      size: () => controller.store.size,
    });
    return this;
  }

  /**
   * Starts the graceful shutdown, as a signal does (without exiting on a second call). Does
   * nothing when not running or already shutting down.
   *
   * @example
   * ```ts
   * // An application-defined trigger, besides SIGTERM/SIGINT.
   * process.once('SIGUSR2', () => operator.shutdown());
   * ```
   */
  shutdown(): void {
    this.shutdownRequested = true;
    this.requestShutdown?.();
  }

  /**
   * Runs everything while subscribed (once per operator): emits the {@link OperatorEvent}s and
   * completes after `Stopped`. It errors only when a server cannot listen. Unsubscribing instead
   * of shutting down stops everything at once (the Lease release is then not awaited).
   *
   * @example
   * ```ts
   * operator.run().subscribe((event: OperatorEvent) => console.log(event.type));
   * ```
   */
  run(): Observable<OperatorEvent> {
    return new Observable<OperatorEvent>((subscriber) => {
      if (this.started) {
        subscriber.error(new TypeError('Operator.run: an operator runs once'));
        return;
      }
      this.started = true;
      return this.runSession((event) => subscriber.next(event), subscriber);
    });
  }

  /**
   * `run()` as a Promise: resolves once the operator stopped (after a signal or `shutdown()`),
   * rejects when a server cannot listen.
   *
   * @example
   * ```ts
   * await operator.runUntilStopped();
   * ```
   */
  runUntilStopped(): Promise<void> {
    return lastValueFrom(this.run().pipe(ignoreElements()), { defaultValue: undefined });
  }

  private runSession(
    next: (event: OperatorEvent) => void,
    subscriber: { error(error: unknown): void; complete(): void; readonly closed: boolean },
  ): Subscription {
    const { config, scheduler } = this;
    const name = config.name;
    const log = (): Logger => config.logger ?? defaultLogger();
    const session = new Subscription();
    const startedAt = scheduler.now();
    let phase: Phase = 'starting';
    let synced = false;
    let shutdownAt = 0;
    let servers: HealthServer[] = [];
    const drain$ = new ReplaySubject<void>(1);
    const release$ = new ReplaySubject<void>(1);

    const emit = (event: OperatorEvent): void => {
      logEvent(log(), name, event);
      if (event.type === 'LeaderAcquired' || event.type === 'LeaderLost') {
        leaderMetric(this.metrics, event.type === 'LeaderAcquired');
      } else if (event.type === 'ShardsChanged') {
        shardsMetric(this.metrics, event.held.length);
      }
      next(event);
    };

    const beginShutdown = (
      reason: 'signal' | 'requested' | 'leaderLost',
      signal?: NodeJS.Signals,
    ) => {
      if (phase === 'shuttingDown' || phase === 'stopped') return;
      const wasStarting = phase === 'starting';
      phase = 'shuttingDown';
      shutdownAt = scheduler.now();
      emit({ type: 'ShuttingDown', reason, ...(signal ? { signal } : {}) });
      drain$.next();
      drain$.complete();
      // Before the servers listened nothing else was started: finish right away.
      if (wasStarting) afterDrain();
    };

    const afterDrain = (): void => {
      const durationMs = scheduler.now() - shutdownAt;
      emit({ type: 'Drained', durationMs, timedOut: durationMs >= this.shutdownTimeout });
      release$.next();
      release$.complete();
    };

    const finish = (): void => {
      const open = servers;
      servers = [];
      Promise.all(open.map((server) => server.close())).then(
        () => {
          phase = 'stopped';
          session.unsubscribe();
          emit({ type: 'Stopped' });
          this.results.complete();
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error),
      );
    };

    const gate = this.gate(() => {
      if (config.leaderElection?.onLost !== 'standby') beginShutdown('leaderLost');
    });
    const registry = new SharedCacheRegistry({ scheduler });
    const host: ControllerHost = {
      watch: (watch, retry) => registry.watch(watch, retry),
      admits: (ref) => phase === 'running' && gate.admits(ref),
      admitted$: gate.admitted$,
      shutdown$: drain$,
      shutdownTimeout: this.shutdownTimeout,
      scheduler,
      ...(config.logger ? { logger: config.logger } : {}),
      ...(this.metrics ? { metrics: this.metrics } : {}),
    };

    const start = (): void => {
      phase = 'running';
      // Without controllers the "results" end with the shutdown signal.
      const results$ =
        this.registrations.length === 0
          ? drain$.pipe(ignoreElements())
          : merge(...this.registrations.map((r) => r.start(host, gate)));
      session.add(
        results$.subscribe({
          next: (result) => this.results.next(result),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            if (phase === 'shuttingDown') afterDrain();
            else beginShutdown('requested');
          },
        }),
      );
      const ready$ = this.registrations.map((r) => r.ready$);
      const onSynced = (): void => {
        synced = true;
        const objects = this.registrations.reduce((sum, r) => sum + r.size(), 0);
        if (phase === 'running') {
          emit({ type: 'CachesSynced', objects, durationMs: scheduler.now() - startedAt });
        }
      };
      if (ready$.length === 0) onSynced();
      else session.add(forkJoin(ready$).subscribe(onSynced));
      session.add(
        gate.run(release$).subscribe({
          next: emit,
          error: (error: unknown) => subscriber.error(error),
          complete: finish,
        }),
      );
      if (this.shutdownRequested) beginShutdown('requested');
    };

    const signals = config.signals === undefined ? DEFAULT_SIGNALS : config.signals;
    if (signals !== false) {
      session.add(
        shutdownSignals(
          name,
          signals,
          (signal) => beginShutdown('signal', signal),
          () => phase === 'shuttingDown',
        ),
      );
    }
    this.requestShutdown = () => beginShutdown('requested');
    session.add(() => {
      this.requestShutdown = undefined;
      if (phase !== 'stopped') for (const server of servers) void server.close();
    });

    emit({ type: 'Starting', name, identity: this.identity });
    startOperatorServers(
      config.server ?? {},
      this.metrics,
      () => synced && phase === 'running',
    ).then(
      (started) => {
        if (subscriber.closed) {
          for (const server of started.servers) void server.close();
          return;
        }
        servers = started.servers;
        if (started.event) emit(started.event);
        if (phase === 'shuttingDown') finish();
        else start();
      },
      (error: unknown) => subscriber.error(error),
    );
    return session;
  }

  /** The gate this operator's config asks for. */
  private gate(onLost: () => void): WorkGate {
    const { config } = this;
    const election = config.leaderElection;
    const timings = {
      ...(election?.leaseDuration !== undefined ? { leaseDuration: election.leaseDuration } : {}),
      ...(election?.renewDeadline !== undefined ? { renewDeadline: election.renewDeadline } : {}),
      ...(election?.retryPeriod !== undefined ? { retryPeriod: election.retryPeriod } : {}),
      ...(config.scheduler ? { scheduler: config.scheduler } : {}),
    };
    if (config.sharding) {
      return leaseShards({
        kubeConfig: config.kubeConfig,
        name: election?.lease.name ?? config.name,
        namespace: (config.sharding.namespace ?? election?.lease.namespace) as string,
        shards: config.sharding.shards,
        identity: this.identity,
        ...timings,
        onError: (error) => log(config).debug('shard lease attempt failed', { error }),
      });
    }
    if (election) {
      return leaderGate(
        {
          kubeConfig: config.kubeConfig,
          lease: election.lease,
          identity: this.identity,
          ...timings,
          onError: (error) => log(config).debug('lease attempt failed', { error }),
        },
        onLost,
      );
    }
    return openGate();
  }
}

function log(config: OperatorConfig): Logger {
  return config.logger ?? defaultLogger();
}
