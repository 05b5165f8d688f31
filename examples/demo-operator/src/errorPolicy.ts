import { classify, exponentialBackoff, objectKey, type BackoffStrategy } from '@kube-rx/core';
import { perKeyBackoff, type ErrorPolicyHandlers } from '@kube-rx/controller';
import type { ConfigMapGenerator } from './configMapGenerator.js';
import type { OperatorContext } from './operatorContext.js';
import { recordFailureCondition } from './reconcile.js';

/** Options of {@link generatorErrorPolicy}. */
export interface GeneratorErrorPolicyConfig {
  /**
   * Per-key backoff of transient errors. Default: perKeyBackoff's own (1 s doubling to 5 min);
   * the scripted demo uses a faster one so that a few attempts fit in seconds.
   */
  strategy?: BackoffStrategy;
}

/** The quicker per-key backoff of the scripted demo: 200–400 ms, 400–800 ms, ... up to 2–4 s. */
export function demoBackoffStrategy(): BackoffStrategy {
  return exponentialBackoff({ initialDelay: 400, maxDelay: 4_000, resetAfter: Infinity });
}

/**
 * The operator's error policy: `perKeyBackoff` (transient → requeue with this key's exponential
 * backoff, reset on its next success; permanent → `Ready=False` condition and
 * `Action.awaitChange()`; conflict → quick requeue), plus a log line per decision so a person
 * can watch the delays grow and reset.
 */
export function generatorErrorPolicy(
  config: GeneratorErrorPolicyConfig = {},
): ErrorPolicyHandlers<ConfigMapGenerator, unknown, OperatorContext> {
  const policy = perKeyBackoff<ConfigMapGenerator, unknown, OperatorContext>(config.strategy, {
    recordCondition: recordFailureCondition,
  });
  const failuresInARow = new Map<string, number>();
  return {
    async onError(generator, error, ctx) {
      const key = objectKey(generator) ?? '';
      const attempt = (failuresInARow.get(key) ?? 0) + 1;
      failuresInARow.set(key, attempt);
      const classification = classify(error);
      ctx.stats.errors[classification] += 1;
      const action = await policy.onError(generator, error, ctx);
      if (action.requeueAfter !== undefined) ctx.stats.policyRequeues += 1;
      ctx.logger.warn('reconcile failed', {
        object: key,
        class: classification,
        attempt,
        next:
          action.requeueAfter === undefined
            ? 'await change'
            : `requeue in ${Math.round(action.requeueAfter)}ms`,
        error,
      });
      return action;
    },
    async onSuccess(generator, ctx) {
      const key = objectKey(generator) ?? '';
      const failures = failuresInARow.get(key);
      failuresInARow.delete(key);
      await policy.onSuccess?.(generator, ctx);
      if (failures !== undefined) {
        ctx.stats.backoffResets += 1;
        ctx.logger.info('reconcile succeeded: backoff reset', {
          object: key,
          afterFailures: failures,
        });
      }
    },
  };
}
