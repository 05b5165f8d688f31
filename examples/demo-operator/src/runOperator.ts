import type { Observable } from 'rxjs';
import { Subject, share, type Subscription } from 'rxjs';
import { refKey } from '@kube-rx/core';
import { formatReconcileReason, type ControllerError, type ReconcileOk } from '@kube-rx/controller';
import type { Result } from 'ts-results';
import { generatorController } from './generatorController.js';
import { generatorErrorPolicy, type GeneratorErrorPolicyConfig } from './errorPolicy.js';
import type { OperatorContext } from './operatorContext.js';
import { reconcileGenerator } from './reconcile.js';

/** Options of {@link runOperator}. */
export interface RunOperatorConfig extends GeneratorErrorPolicyConfig {
  /** Reconciles at once. Default `4`. */
  concurrency?: number;
}

/** A running operator. */
export interface RunningOperator {
  /** Every reconcile result (shared; the operator runs whether or not anyone listens). */
  readonly results$: Observable<Result<ReconcileOk, ControllerError>>;
  /** Graceful shutdown: no new reconciles, running ones finish; resolves when all stopped. */
  stop(): Promise<void>;
}

/**
 * Starts the ConfigMapGenerator controller: watches generators in all namespaces (reconciling a
 * generator when its spec changes — `generation` — not when its status does) and the ConfigMaps they own (a change to a generated ConfigMap — edited or deleted by someone —
 * reconciles its generator, which repairs it), runs {@link reconcileGenerator} with the
 * per-key-backoff error policy, and logs each result.
 */
export function runOperator(ctx: OperatorContext, config: RunOperatorConfig = {}): RunningOperator {
  const shutdown$ = new Subject<void>();
  const logger = ctx.logger.child({ component: 'controller' });
  const results$ = generatorController(ctx)
    .withConfig({ concurrency: config.concurrency ?? 4, logger })
    .gracefulShutdownOn(shutdown$)
    .run(reconcileGenerator, generatorErrorPolicy(config), ctx)
    .pipe(share());

  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const subscription: Subscription = results$.subscribe({
    next: (result) => {
      if (result.ok) {
        ctx.stats.reconciles += 1;
        logger.info('reconciled', {
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
    },
    complete: () => done(),
    error: (error: unknown) => {
      logger.error('controller stopped', { error });
      done();
    },
  });
  return {
    results$,
    stop: async () => {
      shutdown$.next();
      shutdown$.complete();
      await finished;
      subscription.unsubscribe();
    },
  };
}
