import { defaultLogger, type Logger } from '@kube-rx/core';
import { asyncScheduler, NEVER, Observable, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { DEFAULT_RUNNER_CONCURRENCY } from '../../runner.js';
import { DEFAULT_RETRY_RATE_LIMIT } from './applierConfig.js';
import { resolveApplierConfig } from './resolveApplierConfig.js';

describe('resolveApplierConfig', () => {
  it('fills in the defaults and freezes the result', () => {
    const resolved = resolveApplierConfig();
    expect(resolved).toMatchObject({
      concurrency: DEFAULT_RUNNER_CONCURRENCY,
      debounce: 0,
      reconcileTimeout: undefined,
      shard: undefined,
      readiness: undefined,
      shutdown$: NEVER,
      shutdownTimeout: 30_000,
      queueErrors: undefined,
      policyFailureRequeue: 5_000,
      retryRateLimit: DEFAULT_RETRY_RATE_LIMIT,
      metrics: undefined,
      name: 'controller',
      scheduler: asyncScheduler,
    });
    expect(resolved.logger()).toBe(defaultLogger());
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('keeps what is given, normalized', () => {
    const scheduler = new TestScheduler(() => undefined);
    const logger = {} as Logger;
    const shard = () => true;
    const resolved = resolveApplierConfig({
      concurrency: 0,
      debounce: 250,
      reconcileTimeout: 1_000,
      shard,
      shutdownTimeout: 0,
      policyFailureRequeue: 0,
      retryRateLimit: false,
      name: 'widgets',
      logger,
      scheduler,
    });
    expect(resolved).toMatchObject({
      concurrency: Infinity,
      debounce: 250,
      reconcileTimeout: 1_000,
      shard,
      shutdownTimeout: 0,
      policyFailureRequeue: 0,
      retryRateLimit: false,
      name: 'widgets',
      scheduler,
    });
    expect(resolved.logger()).toBe(logger);
    const limited = resolveApplierConfig({ retryRateLimit: { qps: 0.5, burst: 1 } });
    expect(limited.retryRateLimit).toEqual({ qps: 0.5, burst: 1 });
    expect(Object.isFrozen(limited.retryRateLimit)).toBe(true);
  });

  it('turns a shutdown signal into its first value, taken per subscription', () => {
    let subscriptions = 0;
    const signal$ = new Observable<number>((subscriber) => {
      subscriptions++;
      subscriber.next(1);
    });
    const resolved = resolveApplierConfig({ shutdown: signal$ });
    expect(subscriptions).toBe(0);
    resolved.shutdown$.subscribe();
    resolved.shutdown$.subscribe();
    expect(subscriptions).toBe(2);
    const emitted: unknown[] = [];
    resolveApplierConfig({ shutdown: of(1, 2, 3) }).shutdown$.subscribe((v) => emitted.push(v));
    expect(emitted).toEqual([1]);
  });

  it.each([
    [{ shutdownTimeout: -1 }, 'applier: shutdownTimeout must be a finite number >= 0, got -1'],
    [
      { policyFailureRequeue: Number.NaN },
      'applier: policyFailureRequeue must be a finite number >= 0, got NaN',
    ],
    [{ reconcileTimeout: 0 }, 'applier: reconcileTimeout must be a number > 0, got 0'],
    [{ debounce: -5 }, 'scheduler: `debounce` must be a finite number ≥ 0, got -5'],
    [{ scheduler: {} }, 'scheduler: `scheduler` must be an RxJS SchedulerLike'],
    [{ shard: 'x' }, 'applier: shard must be a predicate'],
    [{ retryRateLimit: true }, 'applier: retryRateLimit must be { qps, burst } or false'],
    [
      { retryRateLimit: { qps: 0, burst: 1 } },
      'applier: retryRateLimit.qps must be a finite number > 0, got 0',
    ],
    [
      { retryRateLimit: { qps: 1, burst: 2.5 } },
      'applier: retryRateLimit.burst must be an integer >= 1, got 2.5',
    ],
    [
      { concurrency: 1.5 },
      'runner: `concurrency` must be a positive integer, or 0/Infinity for unbounded; got 1.5',
    ],
  ])('rejects %p with a TypeError', (config, message) => {
    expect(() => resolveApplierConfig(config as never)).toThrow(new TypeError(message));
  });

  it('reports the first invalid option', () => {
    expect(() => resolveApplierConfig({ concurrency: -1, shutdownTimeout: -1 })).toThrow(
      'applier: shutdownTimeout must be a finite number >= 0, got -1',
    );
  });
});
