import { ApiError, type KubeObject, type ObjectRef } from '@kube-rx/core';
import {
  concat,
  firstValueFrom,
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

  it('keeps the queue-depth gauge at the number of distinct keys waiting', async () => {
    const metrics = new ControllerMetrics();
    const depth = async (): Promise<number | undefined> =>
      (await metrics.queueDepth.get()).values.find((v) => v.labels.controller === 'widgets')?.value;
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

const silentLogger = { warn: () => undefined, error: () => undefined } as never;

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
