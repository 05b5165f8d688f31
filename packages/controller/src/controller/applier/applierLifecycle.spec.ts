import type { KubeObject } from '@kube-rx/core';
import { map, Subject, timer, VirtualTimeScheduler } from 'rxjs';
import { captureLogger } from '../../../test/captureLogger.js';
import { Action } from '../../action.js';
import { applier } from '../applier.js';
import { ReconcileReason, type ReconcileRequest } from '../reconcileReason.js';

const widget: KubeObject = { metadata: { namespace: 'ns', name: 'w1', resourceVersion: '1' } };

describe('applier lifecycle lines', () => {
  it('logs shutting down with the running count, drained after the run, then stopped', () => {
    const scheduler = new VirtualTimeScheduler();
    const { logger, lines } = captureLogger();
    const shutdown$ = new Subject<void>();
    const requests$ = new Subject<ReconcileRequest>();
    applier(
      () => timer(100, scheduler).pipe(map(() => Action.awaitChange())),
      () => Action.awaitChange(),
      undefined,
      { get: () => widget },
      requests$,
      { scheduler, logger, name: 'widgets', shutdown: shutdown$ },
    ).subscribe();
    requests$.next({
      ref: { namespace: 'ns', name: 'w1' },
      reason: ReconcileReason.objectUpdated(),
    });
    scheduler.schedule(() => shutdown$.next(), 10);
    scheduler.flush();
    expect(lines.map(({ level, message, fields }) => [level, message, fields])).toEqual([
      ['info', 'controller shutting down', { controller: 'widgets', running: 1 }],
      ['info', 'controller drained', { controller: 'widgets', durationMs: 90 }],
      ['info', 'controller stopped', { controller: 'widgets' }],
    ]);
  });

  it('warns when the deadline passes with reconciles still running', () => {
    const scheduler = new VirtualTimeScheduler();
    const { logger, lines } = captureLogger();
    const shutdown$ = new Subject<void>();
    const requests$ = new Subject<ReconcileRequest>();
    let completedAt: number | undefined;
    applier(
      () => timer(1_000, scheduler).pipe(map(() => Action.awaitChange())),
      () => Action.awaitChange(),
      undefined,
      { get: () => widget },
      requests$,
      { scheduler, logger, name: 'widgets', shutdown: shutdown$, shutdownTimeout: 50 },
    ).subscribe({ complete: () => (completedAt = scheduler.now()) });
    requests$.next({
      ref: { namespace: 'ns', name: 'w1' },
      reason: ReconcileReason.objectUpdated(),
    });
    scheduler.schedule(() => shutdown$.next(), 10);
    scheduler.flush();
    expect(completedAt).toBe(60);
    expect(lines.map(({ level, message, fields }) => [level, message, fields])).toEqual([
      ['info', 'controller shutting down', { controller: 'widgets', running: 1 }],
      [
        'warn',
        'controller shutdown deadline passed; cancelling running reconciles',
        { controller: 'widgets', running: 1, shutdownTimeoutMs: 50 },
      ],
      ['info', 'controller stopped', { controller: 'widgets' }],
    ]);
  });
});
