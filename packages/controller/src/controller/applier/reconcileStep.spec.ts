import { objectRef, refKey, type KubeObject, type ObjectRef } from '@kube-rx/core';
import { firstValueFrom, isObservable, NEVER, type Observable, TimeoutError } from 'rxjs';
import { captureLogger } from '../../../test/captureLogger.js';
import { runInVirtualTime } from '../../../test/virtualTime.js';
import { Action } from '../../action.js';
import { normalizeErrorPolicy, type ErrorPolicy } from '../../errorPolicy/errorPolicy.js';
import { ReconcileReason } from '../reconcileReason.js';
import { keyedRequest } from './keyedRequest.js';
import type { ReconcileFunction } from './reconcileFunction.js';
import type { ReconcileInfo } from './reconcileInfo.js';
import { reconcileStep, type Step } from './reconcileStep.js';

const widget: KubeObject = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { namespace: 'ns', name: 'w1', resourceVersion: '1', uid: 'uid-w1' },
};
// The step reports the ref of the object it read (with kind and uid), not the request's.
const ref = objectRef(widget);
const request = keyedRequest({ namespace: 'ns', name: 'w1' }, ReconcileReason.objectUpdated());
const store = { get: (wanted: ObjectRef) => (wanted.name === 'w1' ? widget : undefined) };

function setUp(
  reconcile: ReconcileFunction<KubeObject, undefined>,
  errorPolicy: ErrorPolicy<KubeObject, unknown, undefined> = () => Action.requeue(10),
  extra: { reconcileTimeout?: number; scheduler?: never } = {},
) {
  const counts = { started: 0, ended: 0 };
  const captured = captureLogger();
  const step = reconcileStep({
    reconcile,
    policy: normalizeErrorPolicy(errorPolicy),
    context: undefined,
    store,
    reconcileTimeout: extra.reconcileTimeout,
    policyFailureRequeue: 5_000,
    scheduler: extra.scheduler ?? ({ now: () => 0 } as never),
    logger: () => captured.logger,
    onStart: () => void counts.started++,
    onEnd: () => void counts.ended++,
    controller: 'widgets',
  });
  const logged = (): string[] => captured.lines.map((line) => line.message);
  return { step, counts, logged, lines: captured.lines };
}

describe('reconcileStep', () => {
  it('returns the step itself when the reconcile and onSuccess are synchronous', () => {
    const succeeded: KubeObject[] = [];
    const onSuccess = (object: KubeObject) => void succeeded.push(object);
    const { step, counts } = setUp(() => Action.requeue(30), {
      onError: () => Action.awaitChange(),
      onSuccess,
    });
    expect(step(request)).toEqual({ type: 'ok', ref, action: Action.requeue(30) });
    expect(succeeded).toEqual([widget]);
    expect(counts).toEqual({ started: 1, ended: 1 });
  });

  it('logs a throwing onSuccess and still succeeds, synchronously', () => {
    const { step, logged } = setUp(() => Action.awaitChange(), {
      onError: () => Action.awaitChange(),
      onSuccess: () => {
        throw new Error('status update failed');
      },
    });
    expect(step(request)).toEqual({ type: 'ok', ref, action: Action.awaitChange() });
    expect(logged()).toEqual(['error policy onSuccess failed']);
  });

  it('is not found, without a reconcile, when the store has no object', () => {
    let reconciles = 0;
    const { step, counts } = setUp(() => (reconciles++, Action.awaitChange()));
    expect(step(keyedRequest({ namespace: 'ns', name: 'gone' }, request.reason))).toEqual({
      type: 'notFound',
    });
    expect(reconciles).toBe(0);
    expect(counts).toEqual({ started: 0, ended: 0 });
  });

  it('reads by key when the store can', () => {
    const keys: string[] = [];
    const byKeyStore = {
      get: () => undefined,
      getByKey: (key: string) => (keys.push(key), widget),
    };
    const step = reconcileStep({
      ...setUpConfig(),
      store: byKeyStore,
    });
    expect(step(request)).toMatchObject({ type: 'ok' });
    expect(keys).toEqual([refKey(ref)]);
  });

  it('hands a thrown error to the policy, synchronously within the returned Observable', () => {
    const error = new Error('boom');
    const { step, counts } = setUp(() => {
      throw error;
    });
    const result = step(request);
    expect(isObservable(result)).toBe(true);
    expect(counts).toEqual({ started: 1, ended: 0 });
    const steps: Step[] = [];
    (result as Observable<Step>).subscribe((value) => steps.push(value));
    expect(steps).toEqual([{ type: 'failed', ref, error, action: Action.requeue(10) }]);
    expect(counts).toEqual({ started: 1, ended: 1 });
  });

  it('follows an async reconcile and an async onSuccess', async () => {
    let succeeded = false;
    const { step, counts } = setUp(async () => Action.requeue(5), {
      onError: () => Action.awaitChange(),
      onSuccess: async () => {
        succeeded = true;
      },
    });
    const result = step(request) as Observable<Step>;
    await expect(firstValueFrom(result)).resolves.toEqual({
      type: 'ok',
      ref,
      action: Action.requeue(5),
    });
    expect(succeeded).toBe(true);
    expect(counts).toEqual({ started: 1, ended: 1 });
  });

  it('requeues after policyFailureRequeue when the policy itself fails', async () => {
    const { step, logged } = setUp(
      () => Promise.reject(new Error('down')),
      async () => {
        throw new Error('policy broke');
      },
    );
    const outcome = await firstValueFrom(step(request) as Observable<Step>);
    expect(outcome).toMatchObject({ type: 'failed', action: Action.requeue(5_000) });
    expect(logged()).toEqual(['error policy failed; requeueing', 'reconcile failed']);
  });

  it('gives the reconcile its run: a unique reconcileID and a logger bound to the run', () => {
    const runs: ReconcileInfo[] = [];
    const { step, lines } = setUp((_object, _ctx, run) => {
      runs.push(run);
      run.logger.info('working', { step: 1 });
      throw new Error('down');
    });
    (step(request) as Observable<Step>).subscribe();
    (step(request) as Observable<Step>).subscribe();
    expect(runs.map((run) => [run.controller, run.ref, run.reason])).toEqual([
      ['widgets', ref, request.reason],
      ['widgets', ref, request.reason],
    ]);
    expect(runs[0]!.reconcileID).toMatch(/^[0-9a-f-]{36}$/);
    expect(runs[0]!.reconcileID).toBe(runs[0]!.reconcileID);
    expect(runs[1]!.reconcileID).not.toBe(runs[0]!.reconcileID);
    expect(lines.map((line) => line.message)).toEqual([
      'working',
      'reconcile failed',
      'working',
      'reconcile failed',
    ]);
    for (const [index, line] of lines.entries()) {
      expect(line.fields).toMatchObject({
        controller: 'widgets',
        namespace: 'ns',
        name: 'w1',
        reconcileID: runs[Math.floor(index / 2)]!.reconcileID,
      });
    }
    expect(lines[1]).toMatchObject({
      level: 'warn',
      fields: { errorClass: 'transient', requeueAfterMs: 10, reason: 'ObjectUpdated' },
    });
    expect(lines[1]!.fields['error']).toBeInstanceOf(Error);
  });

  it('fails a reconcile that outlives reconcileTimeout, in virtual time', () => {
    runInVirtualTime(({ cold, expectObservable }, scheduler) => {
      const { step } = setUp(() => cold('-'), undefined, {
        reconcileTimeout: 100,
        scheduler: scheduler as never,
      });
      expectObservable(step(request) as Observable<Step>).toBe('100ms (a|)', {
        a: { type: 'failed', ref, error: expect.any(TimeoutError), action: Action.requeue(10) },
      });
    });
  });

  it('ends a cancelled run', () => {
    const { step, counts } = setUp(() => NEVER);
    (step(request) as Observable<Step>).subscribe().unsubscribe();
    expect(counts).toEqual({ started: 1, ended: 1 });
  });
});

function setUpConfig() {
  return {
    reconcile: () => Action.awaitChange(),
    policy: normalizeErrorPolicy<KubeObject, unknown, undefined>(() => Action.awaitChange()),
    context: undefined,
    store,
    reconcileTimeout: undefined,
    policyFailureRequeue: 5_000,
    scheduler: { now: () => 0 } as never,
    logger: () => ({}) as never,
    onStart: () => undefined,
    onEnd: () => undefined,
    controller: 'widgets',
  };
}
