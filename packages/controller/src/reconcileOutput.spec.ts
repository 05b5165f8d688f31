import { EMPTY, firstValueFrom, Observable, of, Subject, takeUntil, throwError } from 'rxjs';
import { Action } from './action.js';
import { toActionObservable } from './reconcileOutput.js';

describe('toActionObservable', () => {
  it('accepts an Action, a Promise of one, or an Observable (last value wins)', async () => {
    expect(await firstValueFrom(toActionObservable(() => Action.requeue(1)))).toEqual(
      Action.requeue(1),
    );
    expect(
      (await firstValueFrom(toActionObservable(() => Promise.resolve(Action.requeue(2)))))
        .requeueAfter,
    ).toBe(2);
    expect(
      (await firstValueFrom(toActionObservable(() => of(Action.requeue(3), Action.requeue(4)))))
        .requeueAfter,
    ).toBe(4);
  });

  it('turns throws, rejections and errors into errors of the Observable', async () => {
    const boom = new Error('boom');
    for (const run of [
      () => {
        throw boom;
      },
      () => Promise.reject(boom),
      () => throwError(() => boom),
    ]) {
      await expect(firstValueFrom(toActionObservable(run))).rejects.toBe(boom);
    }
  });

  it('rejects outputs that are not Actions', async () => {
    await expect(firstValueFrom(toActionObservable(() => EMPTY))).rejects.toThrow(TypeError);
    await expect(
      firstValueFrom(toActionObservable(() => Promise.resolve(undefined) as never)),
    ).rejects.toThrow(/must return an Action/);
    await expect(firstValueFrom(toActionObservable(() => ({}) as never))).rejects.toThrow(
      TypeError,
    );
  });
});

describe('toActionObservable with a synchronous source', () => {
  it('should stop listening to a synchronous observable when unsubscribed', () => {
    let produced = 0;
    const stop$ = new Subject<void>();
    const endless = new Observable<Action>((subscriber) => {
      for (let i = 0; !subscriber.closed; i++) {
        produced++;
        if (i === 2) stop$.next();
        subscriber.next(Action.awaitChange());
      }
    });
    let completed = false;
    toActionObservable(() => endless)
      .pipe(takeUntil(stop$))
      .subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
    expect(produced).toBe(3);
  });
});
