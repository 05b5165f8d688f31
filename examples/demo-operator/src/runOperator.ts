import type { KubeConfig } from '@kubernetes/client-node';
import { ReplaySubject, firstValueFrom, filter, type Observable } from 'rxjs';
import { refKey } from '@kube-rx/core';
import {
  Operator,
  formatReconcileReason,
  type ControllerError,
  type OperatorEvent,
  type ReconcileOk,
} from '@kube-rx/controller';
import type { Result } from 'ts-results';
import { generatorController } from './generatorController.js';
import { generatorErrorPolicy, type GeneratorErrorPolicyConfig } from './errorPolicy.js';
import type { OperatorContext } from './operatorContext.js';
import { reconcileGenerator } from './reconcile.js';

/** The Lease every replica of the demo operator competes for. */
export const DEMO_LEASE = 'configmapgenerator-operator';

/** Options of {@link runOperator}. */
export interface RunOperatorConfig extends GeneratorErrorPolicyConfig {
  /** Cluster access for the Lease. Required. */
  kubeConfig: KubeConfig;
  /** Namespace of the Lease. Required. */
  leaseNamespace: string;
  /** This replica's identity in the Lease. Default: hostname + random suffix. */
  identity?: string;
  /** Reconciles at once. Default `4`. */
  concurrency?: number;
}

/** A running replica. */
export interface RunningOperator {
  /** The identity this replica writes into the Lease. */
  readonly identity: string;
  /** Every reconcile result of this replica. */
  readonly results$: Observable<Result<ReconcileOk, ControllerError>>;
  /** The operator's lifecycle events, replayed to late subscribers. */
  readonly events$: Observable<OperatorEvent>;
  /** Resolves with the probe and metrics URLs once the servers listen. */
  servers(): Promise<{ health: string; metrics: string }>;
  /**
   * Graceful shutdown: `/readyz` turns 503, running reconciles finish, the Lease is released
   * (awaited), servers close; resolves when all of it is done.
   */
  stop(): Promise<void>;
}

/**
 * Starts one replica of the ConfigMapGenerator operator: an `Operator` with leader election
 * (only the leader reconciles; a standby keeps its caches warm and takes over without a LIST),
 * `/healthz` + `/readyz` and `/metrics` on free ports of 127.0.0.1, and the controller — it
 * watches generators in all namespaces (reconciling a generator when its spec changes,
 * `generation`, not when its status does) and the ConfigMaps they own (a change to a generated
 * ConfigMap, edited or deleted by someone, reconciles its generator, which repairs it). Signals
 * are left to the caller (`main.ts` turns Ctrl-C into `stop()`).
 */
export function runOperator(ctx: OperatorContext, config: RunOperatorConfig): RunningOperator {
  const logger = ctx.logger.child({ component: 'controller' });
  const operator = new Operator({
    name: 'configmapgenerator-operator',
    kubeConfig: config.kubeConfig,
    leaderElection: {
      lease: { name: DEMO_LEASE, namespace: config.leaseNamespace },
      ...(config.identity ? { identity: config.identity } : {}),
      // Shorter than client-go's 15/10/2 s so that a takeover after a crash fits in a demo.
      leaseDuration: 6_000,
      renewDeadline: 4_000,
      retryPeriod: 500,
    },
    server: { health: { port: 0, host: '127.0.0.1' }, metrics: { port: 0, host: '127.0.0.1' } },
    logger: ctx.logger.child({ component: 'operator' }),
    signals: false,
    shutdownTimeout: 10_000,
  });
  const controller = generatorController(ctx).withConfig({
    concurrency: config.concurrency ?? 4,
    logger,
  });
  operator.add(controller, reconcileGenerator, generatorErrorPolicy(config), ctx);

  const identity = operator.identity;
  operator.results$.subscribe((result) => {
    if (result.ok) {
      ctx.stats.reconciles += 1;
      logger.info('reconciled', {
        replica: identity,
        object: refKey(result.val.ref),
        reason: formatReconcileReason(result.val.reason),
        next: result.val.action.toString(),
        durationMs: Math.round(result.val.durationMs),
      });
    } else if (result.val.kind === 'ReconcilerFailed') {
      // Logged by the error policy, which also counted it by class.
      ctx.stats.reconciles += 1;
    } else if (result.val.kind === 'QueueError') {
      ctx.stats.watchErrors += 1;
      logger.warn('watch stream failed; resuming with backoff', { error: result.val.cause });
    } else {
      logger.info('object gone before its reconcile started', { detail: result.val.message });
    }
  });

  const events$ = new ReplaySubject<OperatorEvent>();
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  operator.run().subscribe({
    next: (event) => events$.next(event),
    complete: () => {
      events$.complete();
      done();
    },
    error: (error: unknown) => {
      logger.error('operator stopped', { error });
      events$.complete();
      done();
    },
  });
  return {
    identity,
    results$: operator.results$,
    events$,
    servers: async () => {
      const event = await firstValueFrom(
        events$.pipe(
          filter(
            (e): e is Extract<OperatorEvent, { type: 'ServersListening' }> =>
              e.type === 'ServersListening',
          ),
        ),
      );
      return { health: event.health ?? '', metrics: event.metrics ?? '' };
    },
    stop: async () => {
      operator.shutdown();
      await finished;
    },
  };
}
