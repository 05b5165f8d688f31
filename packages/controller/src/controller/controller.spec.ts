import { exponentialBackoff, type KubeObject } from '@kube-rx/core';
import { appliedObjects, createStore, reflect, type WatcherEvent } from '@kube-rx/watcher';
import { lastValueFrom, NEVER, Observable, Subject, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Action } from '../action.js';
import type { Result } from '../result.js';
import { Controller } from './controller.js';
import type { ControllerError } from './controllerError.js';
import type { ReconcileOk } from './reconcileOk.js';
import { formatReconcileReason } from './reconcileReason.js';

const Widget = {
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
};
const widget = (name: string): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { namespace: 'ns', name, uid: name },
});

type Out = Result<ReconcileOk, ControllerError>;
const describeResult = (result: Out): string =>
  result.ok
    ? `${result.val.ref.name}: ${formatReconcileReason(result.val.reason)}`
    : `${result.val.kind}: ${result.val.message}`;

describe('Controller (virtual time)', () => {
  it('reconciles a stream, reconcileOn refs and reconcileAllOn bursts, after the store is ready', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot, expectObservable }) => {
      const { store, writer } = createStore<KubeObject>();
      const events$ = hot<WatcherEvent<KubeObject>>('a b c 5ms d', {
        a: { type: 'Init' },
        b: { type: 'InitApply', object: widget('w1') },
        c: { type: 'InitApply', object: widget('w2') },
        d: { type: 'InitDone' },
      });
      const objects$ = events$.pipe(reflect(writer), appliedObjects());
      const refs$ = hot('20ms r', { r: { namespace: 'ns', name: 'w2' } });
      const all$ = hot('40ms x');
      const results$ = Controller.forStream(objects$, store, Widget)
        .reconcileOn(refs$)
        .reconcileAllOn(all$)
        .withConfig({ scheduler })
        .run(
          () => Action.awaitChange(),
          () => Action.awaitChange(),
          undefined,
        );
      const toText = (source: Observable<Out>) =>
        new Observable<string>((subscriber) =>
          source.subscribe({
            next: (value) => subscriber.next(describeResult(value)),
            complete: () => subscriber.complete(),
          }),
        );
      // w1 and w2 wait for InitDone (frame 8), then run in order.
      expectObservable(results$.pipe(toText), '^ 50ms !').toBe('8ms (ab) 8ms c 19ms (de)', {
        a: 'w1: object updated',
        b: 'w2: object updated',
        c: 'w2: unknown',
        d: 'w1: bulk reconcile requested',
        e: 'w2: bulk reconcile requested',
      });
    });
  });

  it('runWithin: reconciles only what the host admits, requests every cached object when admission grows, and drains on the host shutdown', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { store, writer } = createStore<KubeObject>();
      const events$ = hot<WatcherEvent<KubeObject>>('(abcd) 29ms e', {
        a: { type: 'Init' },
        b: { type: 'InitApply', object: widget('w1') },
        c: { type: 'InitApply', object: widget('w2') },
        d: { type: 'InitDone' },
        e: { type: 'Apply', object: widget('w1') },
      });
      let leading = false;
      const admitted$ = new Subject<void>();
      cold('10ms x').subscribe(() => {
        leading = true;
        admitted$.next();
      });
      const results$ = Controller.forStream(
        events$.pipe(reflect(writer), appliedObjects()),
        store,
        Widget,
      )
        .withConfig({ scheduler })
        .runWithin(
          {
            watch: () => NEVER,
            admits: () => leading,
            admitted$,
            shutdown$: hot('50ms s'),
            shutdownTimeout: 1_000,
          },
          () => Action.awaitChange(),
          () => Action.awaitChange(),
          undefined,
        );
      const toText = (source: Observable<Out>) =>
        new Observable<string>((subscriber) =>
          source.subscribe({
            next: (value) => subscriber.next(describeResult(value)),
            complete: () => subscriber.complete(),
          }),
        );
      // Nothing while not admitted (the listed objects are dropped); at 10 ms every cached object;
      // then live changes; the host's shutdown completes the stream.
      expectObservable(results$.pipe(toText)).toBe('10ms (ab) 21ms c 14ms |', {
        a: 'w1: bulk reconcile requested',
        b: 'w2: bulk reconcile requested',
        c: 'w1: object updated',
      });
    });
  });

  it('runWithin rejects something that is not a host', () => {
    const { store } = createStore<KubeObject>();
    const controller = Controller.forStream(NEVER, store, Widget);
    expect(() =>
      controller.runWithin(
        {} as never,
        () => Action.awaitChange(),
        () => Action.awaitChange(),
        undefined,
      ),
    ).toThrow(TypeError);
  });

  it('reports a failing trigger stream as QueueError and retries it with the trigger backoff', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const { store, writer } = createStore<KubeObject>();
      writer.apply({ type: 'Init' });
      writer.apply({ type: 'InitApply', object: widget('w1') });
      writer.apply({ type: 'InitDone' });
      const flaky = cold<KubeObject>('a #', { a: widget('w1') }, new Error('watch broke'));
      const results$ = Controller.forStream(flaky, store, Widget)
        .withConfig({
          scheduler,
          triggerBackoff: exponentialBackoff({ initialDelay: 100, jitter: false }),
        })
        .run(
          () => Action.awaitChange(),
          () => Action.awaitChange(),
          undefined,
        );
      // Fails at 1, resubscribed 100 ms later, fails again at 102.
      expectObservable(results$, '^ 150ms !').toBe('a b 99ms c d', {
        a: expect.objectContaining({ ok: true }),
        b: expect.objectContaining({
          err: true,
          val: expect.objectContaining({ kind: 'QueueError' }),
        }),
        c: expect.objectContaining({ ok: true }),
        d: expect.objectContaining({ err: true }),
      });
      expectSubscriptions(flaky.subscriptions).toBe(['^!', '101ms ^!']);
    });
  });

  it('shuts down on SIGTERM while subscribed, and removes its handlers', async () => {
    const { store, writer } = createStore<KubeObject>();
    writer.apply({ type: 'Init' });
    writer.apply({ type: 'InitDone' });
    const before = process.listenerCount('SIGTERM');
    const done = lastValueFrom(
      Controller.forStream(NEVER as Observable<KubeObject>, store, Widget)
        .shutdownOnSignal()
        .run(
          () => Action.awaitChange(),
          () => Action.awaitChange(),
          undefined,
        )
        .pipe(toArray()),
    );
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    process.emit('SIGTERM');
    await expect(done).resolves.toEqual([]);
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('validates its inputs', () => {
    const { store } = createStore<KubeObject>();
    expect(() => new Controller({} as never)).toThrow(TypeError);
    expect(() => Controller.forStream('x' as never, store)).toThrow(TypeError);
    expect(() => Controller.forStream(new Subject<KubeObject>(), store).owns({} as never)).toThrow(
      TypeError,
    );
    const controller = Controller.forStream(new Subject<KubeObject>(), store, Widget);
    expect(() => controller.watches({} as never, {}, () => undefined)).toThrow(TypeError);
    expect(() => controller.reconcileOn('x' as never)).toThrow(TypeError);
    expect(() =>
      controller
        .withConfig({ concurrency: -1 })
        .run(
          () => Action.awaitChange(),
          () => Action.awaitChange(),
          undefined,
        )
        .subscribe(),
    ).toThrow(TypeError);
  });
});
