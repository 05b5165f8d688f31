import type { KubeObject, ObjectRef } from '@kube-rx/core';
import { Observable, Subject } from 'rxjs';
import { Action } from '../action.js';
import type { Result } from '../result.js';
import { captureLogger } from '../../test/captureLogger.js';
import { runInVirtualTime } from '../../test/virtualTime.js';
import { applier } from './applier.js';
import type { ControllerError } from './controllerError.js';
import type { ReconcileOk } from './reconcileOk.js';
import { ReconcileReason, type ReconcileRequest } from './reconcileReason.js';

// What a controller does with values that are not Errors, thrown by user code.

const widget: KubeObject = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { namespace: 'ns', name: 'w1', resourceVersion: '1', uid: 'uid-w1' },
};
const store = { get: (ref: ObjectRef) => (ref.name === 'w1' ? widget : undefined) };
const request: ReconcileRequest = {
  ref: { namespace: 'ns', name: 'w1' },
  reason: ReconcileReason.objectUpdated(),
};
type Out = Result<ReconcileOk, ControllerError>;

const recordLogger = captureLogger;

describe('applier with reconcilers and policies that throw non-Errors', () => {
  it.each([
    ['a string', 'just a string'],
    ['undefined', undefined],
    ['null', null],
  ])(
    'a reconciler throwing %s reaches the policy as is and the key is requeued',
    (_label, thrown) => {
      const seen: unknown[] = [];
      const results: Out[] = [];
      let runs = 0;
      runInVirtualTime(({ hot, expectObservable }, scheduler) => {
        const results$ = applier(
          () => {
            runs += 1;
            throw thrown;
          },
          (_object, error) => {
            seen.push(error);
            return Action.requeue(100);
          },
          undefined,
          store,
          hot<ReconcileRequest>('a', { a: request }),
          { scheduler },
        );
        const kinds$ = new Observable<string>((subscriber) =>
          results$.subscribe((result) => {
            results.push(result);
            subscriber.next(result.ok ? 'ok' : result.val.kind);
          }),
        );
        // Run at 0, then requeued at 100 and 200 (the requeue counts from the end of the run).
        expectObservable(kinds$, '^ 250ms !').toBe('a 99ms a 99ms a', { a: 'ReconcilerFailed' });
      });
      expect(runs).toBe(3);
      expect(seen).toEqual([thrown, thrown, thrown]);
      const first = results[0];
      expect(first?.err).toBe(true);
      const error = first?.val as ControllerError;
      expect(error.kind).toBe('ReconcilerFailed');
      expect(error.cause).toBe(thrown);
      expect(typeof error.message).toBe('string');
    },
  );

  it.each([
    [
      'throws a string',
      () => {
        throw 'policy broke';
      },
    ],
    [
      'throws undefined',
      () => {
        throw undefined;
      },
    ],
    ['rejects with undefined', () => Promise.reject(undefined)],
  ])(
    'an error policy that %s: the controller keeps running, logs it and requeues the key',
    async (_label, policy) => {
      const { lines, logger } = recordLogger();
      const requests$ = new Subject<ReconcileRequest>();
      const results: Out[] = [];
      let runs = 0;
      await new Promise<void>((resolve) => {
        const results$: Observable<Out> = applier(
          () => {
            runs += 1;
            if (runs === 1) throw 'reconcile broke';
            return Action.awaitChange();
          },
          policy as never,
          undefined,
          store,
          requests$,
          { policyFailureRequeue: 1, logger },
        );
        const subscription = results$.subscribe((result) => {
          results.push(result);
          if (results.length === 2) {
            subscription.unsubscribe();
            resolve();
          }
        });
        requests$.next(request);
      });
      // Both runs are reported (not necessarily in run order when the policy is async).
      expect(results.map((result) => (result.ok ? 'ok' : result.val.kind)).sort()).toEqual([
        'ReconcilerFailed',
        'ok',
      ]);
      expect(lines.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
        'error policy failed; requeueing',
      ]);
    },
  );
});
