import { ApiError, type KubeObject, type ObjectRef } from '@kube-rx/core';
import {
  concat,
  firstValueFrom,
  from,
  lastValueFrom,
  NEVER,
  Observable,
  of,
  Subject,
  take,
  TimeoutError,
  toArray,
} from 'rxjs';
import { Action } from '../action.js';
import { ControllerMetrics } from '../metrics/controllerMetrics.js';
import { shard } from '../sharding/shard.js';
import { applier } from './applier.js';
import { isControllerError, type ControllerError } from './controllerError.js';
import type { ReconcileOk } from './reconcileOk.js';
import { ReconcileReason, type ReconcileRequest } from './reconcileReason.js';
import type { Result } from '../result.js';
import { captureLogger } from '../../test/captureLogger.js';
import { runInVirtualTime } from '../../test/virtualTime.js';

const object = (name: string, resourceVersion = '1'): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { namespace: 'ns', name, resourceVersion, uid: `uid-${name}` },
});

function storeOf(...objects: KubeObject[]) {
  const map = new Map(objects.map((o) => [o.metadata!.name!, o]));
  return {
    get: (ref: ObjectRef) => map.get(ref.name),
    delete: (name: string) => map.delete(name),
  };
}

const request = (name: string, reason = ReconcileReason.objectUpdated()): ReconcileRequest => ({
  ref: { namespace: 'ns', name },
  reason,
});

type Out = Result<ReconcileOk, ControllerError>;
const summary = (result: Out): string =>
  result.ok
    ? `ok ${result.val.ref.name} ${result.val.reason.type} ${result.val.durationMs}`
    : `${result.val.kind} ${result.val.ref?.name ?? '-'} ${result.val.reason?.type ?? '-'}`;

describe('applier', () => {
  it('reconciles requested objects and requeues from the end of the run', () => {
    const runs: Array<[string, number]> = [];
    runInVirtualTime(({ cold, hot, expectObservable }, scheduler) => {
      const requests$ = hot<ReconcileRequest>('a', { a: request('w1') });
      const results$ = applier(
        (obj) => {
          runs.push([obj.metadata!.name!, scheduler.now()]);
          return cold('100ms (a|)', { a: Action.requeue(1_000) });
        },
        () => Action.awaitChange(),
        undefined,
        storeOf(object('w1')),
        requests$,
        { scheduler },
      ).pipe(take(3));
      expectObservable(results$.pipe(toSummary())).toBe('100ms a 1099ms b 1099ms (c|)', {
        a: 'ok w1 ObjectUpdated 100',
        b: 'ok w1 ReconcilerRequestedRetry 100',
        c: 'ok w1 ReconcilerRequestedRetry 100',
      });
    });
    expect(runs).toEqual([
      ['w1', 0],
      ['w1', 1_100],
      ['w1', 2_200],
    ]);
  });

  it('lets the error policy decide after a failure, and reports the cause', () => {
    const failure = new Error('boom');
    const seen: unknown[] = [];
    runInVirtualTime(({ cold, hot, expectObservable }, scheduler) => {
      const results$ = applier(
        () => cold('50ms #', undefined, failure),
        (obj, error, ctx) => {
          seen.push([obj.metadata?.name, error, ctx]);
          return seen.length === 1 ? Action.requeue(500) : Action.awaitChange();
        },
        'ctx',
        storeOf(object('w1')),
        hot<ReconcileRequest>('a', { a: request('w1') }),
        { scheduler },
      );
      expectObservable(results$.pipe(toSummary()), '^ 2s !').toBe('50ms a 549ms b', {
        a: 'ReconcilerFailed w1 ObjectUpdated',
        b: 'ReconcilerFailed w1 ErrorPolicyRequestedRetry',
      });
    });
    expect(seen).toEqual([
      ['w1', failure, 'ctx'],
      ['w1', failure, 'ctx'],
    ]);
  });

  it('reports ObjectNotFound without calling reconcile', () => {
    let calls = 0;
    runInVirtualTime(({ hot, expectObservable }, scheduler) => {
      const results$ = applier(
        () => {
          calls += 1;
          return Action.awaitChange();
        },
        () => Action.awaitChange(),
        undefined,
        storeOf(),
        hot<ReconcileRequest>('a', { a: request('gone') }),
        { scheduler },
      );
      expectObservable(results$.pipe(toSummary()), '^ 1s !').toBe('a', {
        a: 'ObjectNotFound gone ObjectUpdated',
      });
    });
    expect(calls).toBe(0);
  });

  it('fails a reconcile that exceeds reconcileTimeout with a TimeoutError for the policy', () => {
    const errors: unknown[] = [];
    runInVirtualTime(({ hot, expectObservable }, scheduler) => {
      const results$ = applier(
        () => NEVER,
        (_obj, error) => {
          errors.push(error);
          return Action.awaitChange();
        },
        undefined,
        storeOf(object('w1')),
        hot<ReconcileRequest>('a', { a: request('w1') }),
        { scheduler, reconcileTimeout: 300 },
      );
      expectObservable(results$.pipe(toSummary()), '^ 1s !').toBe('300ms a', {
        a: 'ReconcilerFailed w1 ObjectUpdated',
      });
    });
    expect(errors[0]).toBeInstanceOf(TimeoutError);
  });

  it('requeues after policyFailureRequeue when the policy itself throws', () => {
    runInVirtualTime(({ hot, expectObservable }, scheduler) => {
      const results$ = applier(
        () => {
          throw new Error('reconcile failed');
        },
        () => {
          throw new Error('policy failed');
        },
        undefined,
        storeOf(object('w1')),
        hot<ReconcileRequest>('a', { a: request('w1') }),
        { scheduler, policyFailureRequeue: 700, logger: silentLogger },
      );
      expectObservable(results$.pipe(toSummary()), '^ 1s !').toBe('a 699ms b', {
        a: 'ReconcilerFailed w1 ObjectUpdated',
        b: 'ReconcilerFailed w1 ErrorPolicyRequestedRetry',
      });
    });
  });

  it('calls onSuccess after each success', () => {
    const successes: string[] = [];
    runInVirtualTime(({ hot, expectObservable }, scheduler) => {
      const results$ = applier(
        () => Action.awaitChange(),
        {
          onError: () => Action.awaitChange(),
          onSuccess: (obj) => {
            successes.push(obj.metadata!.name!);
          },
        },
        undefined,
        storeOf(object('w1'), object('w2')),
        hot<ReconcileRequest>('a b', { a: request('w1'), b: request('w2') }),
        { scheduler },
      );
      expectObservable(results$.pipe(toSummary()), '^ 1s !').toBe('a b', {
        a: 'ok w1 ObjectUpdated 0',
        b: 'ok w2 ObjectUpdated 0',
      });
    });
    expect(successes).toEqual(['w1', 'w2']);
  });

  it('waits for readiness and drops keys of other shards', () => {
    const mine = shard({ shards: 2, index: 0 });
    const names = Array.from({ length: 20 }, (_, i) => `w${i}`);
    const expected = names.filter((name) => mine({ namespace: 'ns', name }));
    const seen: string[] = [];
    runInVirtualTime(({ hot, cold, expectObservable }, scheduler) => {
      const results$ = applier(
        (obj) => {
          seen.push(obj.metadata!.name!);
          return Action.awaitChange();
        },
        () => Action.awaitChange(),
        undefined,
        storeOf(...names.map((name) => object(name))),
        hot<ReconcileRequest>('a', { a: request('w0') }).pipe(
          (source) =>
            new Observable<ReconcileRequest>((subscriber) => {
              const inner = source.subscribe(() =>
                names.forEach((n) => subscriber.next(request(n))),
              );
              return inner;
            }),
        ),
        { scheduler, shard: mine, readiness: cold('500ms r') },
      );
      expectObservable(results$.pipe(toSummary(), toArray()), '^ 1s !').toBe('');
    });
    expect(seen).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(20);
  });

  it('shuts down gracefully: running reconciles finish, waiting ones are dropped', () => {
    const started: string[] = [];
    runInVirtualTime(({ hot, cold, expectObservable }, scheduler) => {
      const results$ = applier(
        (obj) => {
          started.push(obj.metadata!.name!);
          return cold('1s (a|)', { a: Action.requeue(10) });
        },
        () => Action.awaitChange(),
        undefined,
        storeOf(object('w1'), object('w2')),
        hot<ReconcileRequest>('a b', { a: request('w1'), b: request('w2') }),
        { scheduler, concurrency: 1, shutdown: cold('200ms s') },
      );
      expectObservable(results$.pipe(toSummary())).toBe('1s (a|)', {
        a: 'ok w1 ObjectUpdated 1000',
      });
    });
    expect(started).toEqual(['w1']);
  });

  it('cuts running reconciles off at the shutdown deadline', () => {
    runInVirtualTime(({ hot, cold, expectObservable, expectSubscriptions }, scheduler) => {
      const slow = cold<Action>('10s (a|)', { a: Action.awaitChange() });
      const results$ = applier(
        () => slow,
        () => Action.awaitChange(),
        undefined,
        storeOf(object('w1')),
        hot<ReconcileRequest>('a', { a: request('w1') }),
        { scheduler, shutdown: cold('1s s'), shutdownTimeout: 2_000 },
      );
      expectObservable(results$).toBe('3s |');
      expectSubscriptions(slow.subscriptions).toBe('^ 2999ms !');
    });
  });

  it('reports a failed request stream as QueueError, then finishes what was requested', async () => {
    const requests$ = new Subject<ReconcileRequest>();
    const results = lastValueFrom(
      applier(
        () => Action.requeue(60_000),
        () => Action.awaitChange(),
        undefined,
        storeOf(object('w1')),
        requests$,
      ).pipe(toArray()),
    );
    requests$.next(request('w1'));
    requests$.error(new ApiError({ code: 403, reason: 'Forbidden' }));
    const all = await results;
    expect(all.map((r) => (r.ok ? `ok ${r.val.ref.name}` : r.val.kind)).sort()).toEqual([
      'QueueError',
      'ok w1',
    ]);
    const queueError = all.find((r) => r.err)!;
    expect(isControllerError(queueError.val, 'QueueError')).toBe(true);
  });

  it('awaits an async error policy', async () => {
    const result = await firstValueFrom(
      applier(
        () => Promise.reject(new Error('x')),
        async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return Action.requeue(0);
        },
        undefined,
        storeOf(object('w1')),
        concat(of(request('w1')), NEVER),
      ).pipe(take(2), toArray()),
    );
    expect(result.map(summary)).toEqual([
      'ReconcilerFailed w1 ObjectUpdated',
      'ReconcilerFailed w1 ErrorPolicyRequestedRetry',
    ]);
  });

  it('keeps workqueue_depth at the number of distinct keys due and waiting', async () => {
    const metrics = new ControllerMetrics({ defaultMetrics: false });
    const depth = async (): Promise<number | undefined> =>
      (await metrics.workqueueDepth.get()).values.find((v) => v.labels.controller === 'widgets')
        ?.value;
    const requests$ = new Subject<ReconcileRequest>();
    const readiness$ = new Subject<void>();
    const results: Out[] = [];
    const subscription = applier(
      () => Action.awaitChange(),
      () => Action.awaitChange(),
      undefined,
      storeOf(object('w1'), object('w2')),
      requests$,
      { metrics, name: 'widgets', readiness: readiness$ },
    ).subscribe((result) => results.push(result));
    requests$.next(request('w1'));
    requests$.next(request('w2'));
    requests$.next(request('w1'));
    expect(await depth()).toBe(2);
    readiness$.next();
    expect(results.map((result) => result.ok && result.val.ref.name)).toEqual(['w1', 'w2']);
    expect(await depth()).toBe(0);
    subscription.unsubscribe();
  });

  it('keeps the requeues of runs that a synchronous request stream starts', () => {
    const runs: number[] = [];
    runInVirtualTime((_helpers, scheduler) => {
      applier(
        () => {
          runs.push(scheduler.now());
          return runs.length < 3 ? Action.requeue(50) : Action.awaitChange();
        },
        () => Action.awaitChange(),
        undefined,
        storeOf(object('w1')),
        concat(of(request('w1')), NEVER),
        { scheduler },
      ).subscribe();
    });
    expect(runs).toEqual([0, 50, 100]);
  });

  it('validates its config when created', () => {
    const store = storeOf();
    const make = (config: object) =>
      applier(
        () => Action.awaitChange(),
        () => Action.awaitChange(),
        undefined,
        store,
        of(),
        config,
      );
    expect(() => make({ shutdownTimeout: -1 })).toThrow(TypeError);
    expect(() => make({ reconcileTimeout: 0 })).toThrow(TypeError);
    expect(() => make({ debounce: -5 })).toThrow(TypeError);
    expect(() => make({ shard: 'x' })).toThrow(TypeError);
    expect(() => make({ concurrency: 1.5 })).toThrow(TypeError);
    expect(() => applier(() => Action.awaitChange(), 42 as never, undefined, store, of())).toThrow(
      TypeError,
    );
  });
});

describe('applier retryRateLimit', () => {
  /**
   * Runs `count` keys that all fail their first reconcile at 0 ms and succeed on the second;
   * returns when each key's second run started, sorted, and the rate-limit metrics.
   */
  function failAllOnce(count: number, policyDelay: number, config: object = {}) {
    const names = Array.from({ length: count }, (_, i) => `w${i}`);
    const runs = new Map<string, number[]>();
    const metrics = new ControllerMetrics();
    runInVirtualTime((_helpers, scheduler) => {
      applier(
        (obj) => {
          const times = runs.get(obj.metadata!.name!) ?? [];
          times.push(scheduler.now());
          runs.set(obj.metadata!.name!, times);
          if (times.length === 1) throw new Error('upstream refused the connection');
          return Action.awaitChange();
        },
        () => Action.requeue(policyDelay),
        undefined,
        storeOf(...names.map((name) => object(name))),
        concat(from(names.map((name) => request(name))), NEVER),
        { scheduler, concurrency: count, metrics, name: 'widgets', ...config },
      ).subscribe();
    });
    const retries = names.map((name) => runs.get(name)?.[1] ?? Number.NaN).sort((a, b) => a - b);
    const firstRuns = names.map((name) => runs.get(name)?.[0]);
    return { retries, firstRuns, metrics };
  }

  it('lets a burst of 100 retries through, then spreads the rest at 10 per second', async () => {
    const { retries, firstRuns, metrics } = failAllOnce(300, 50);
    expect(firstRuns.every((at) => at === 0)).toBe(true);
    expect(retries.slice(0, 100)).toEqual(Array.from({ length: 100 }, () => 50));
    // Reservation 101 waits 100 ms for its token, 102 waits 200 ms, ..., 300 waits 20 s.
    expect(retries.slice(100)).toEqual(Array.from({ length: 200 }, (_, i) => (i + 1) * 100));
    for (let second = 1; second < 20; second++) {
      const inWindow = retries.filter((at) => at > second * 1_000 && at <= (second + 1) * 1_000);
      expect(inWindow).toHaveLength(10);
    }
    const limited = await metrics.rateLimitedRequeues.get();
    expect(limited.values[0]).toMatchObject({ labels: { controller: 'widgets' }, value: 200 });
    const delay = await metrics.rateLimitDelay.get();
    const sum = delay.values.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
    // Added delays: 50 ms, 150 ms, ..., 19 950 ms (the policy asked for 50 ms each).
    expect(sum).toBeCloseTo((200 * (50 + 19_950)) / 2 / 1_000, 6);
  });

  it('keeps the per-key delay when it is later than the free slot', () => {
    const { retries } = failAllOnce(150, 3_000);
    // Slots of 101..130 (100 ms .. 3 s) are before the policy's 3 s; 131..150 come after it.
    expect(retries.slice(0, 130)).toEqual(Array.from({ length: 130 }, () => 3_000));
    expect(retries.slice(130)).toEqual(Array.from({ length: 20 }, (_, i) => 3_100 + i * 100));
  });

  it('follows a custom qps and burst', () => {
    const { retries } = failAllOnce(8, 0, { retryRateLimit: { qps: 2, burst: 3 } });
    expect(retries).toEqual([0, 0, 0, 500, 1_000, 1_500, 2_000, 2_500]);
  });

  it('is off with false: every key retries at its policy delay', async () => {
    const { retries, metrics } = failAllOnce(300, 50, { retryRateLimit: false });
    expect(retries).toEqual(Array.from({ length: 300 }, () => 50));
    expect((await metrics.rateLimitedRequeues.get()).values).toEqual([]);
  });

  it('does not limit requeues a successful reconcile asks for', () => {
    const names = Array.from({ length: 300 }, (_, i) => `w${i}`);
    const second: number[] = [];
    const seen = new Set<string>();
    runInVirtualTime((_helpers, scheduler) => {
      applier(
        (obj) => {
          const name = obj.metadata!.name!;
          if (seen.has(name)) {
            second.push(scheduler.now());
            return Action.awaitChange();
          }
          seen.add(name);
          return Action.requeue(50);
        },
        () => Action.awaitChange(),
        undefined,
        storeOf(...names.map((name) => object(name))),
        concat(from(names.map((name) => request(name))), NEVER),
        { scheduler, concurrency: 300, retryRateLimit: { qps: 1, burst: 1 } },
      ).subscribe();
    });
    expect(second).toEqual(Array.from({ length: 300 }, () => 50));
  });

  it('validates retryRateLimit when created', () => {
    const make = (retryRateLimit: unknown) =>
      applier(
        () => Action.awaitChange(),
        () => Action.awaitChange(),
        undefined,
        storeOf(),
        of(),
        { retryRateLimit } as never,
      );
    for (const bad of [
      { qps: 0, burst: 10 },
      { qps: -1, burst: 10 },
      { qps: Number.POSITIVE_INFINITY, burst: 10 },
      { qps: 10, burst: 0 },
      { qps: 10, burst: 2.5 },
      { qps: 10 },
      true,
      null,
      'fast',
    ]) {
      expect(() => make(bad)).toThrow(TypeError);
    }
    expect(() => make(false)).not.toThrow();
    expect(() => make({ qps: 0.5, burst: 1 })).not.toThrow();
  });
});

const silentLogger = captureLogger().logger;

function toSummary() {
  return (source: Observable<Out>) =>
    new Observable<string>((subscriber) =>
      source.subscribe({
        next: (value) => subscriber.next(summary(value)),
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
