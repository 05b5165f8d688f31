import { Observable, Subscription, take } from 'rxjs';
import { subscribeWithin } from './subscribeWithin.js';

/** An infinite synchronous source that counts what it produced. */
function naturals(): { source: Observable<number>; produced: () => number } {
  let produced = 0;
  const source = new Observable<number>((subscriber) => {
    for (let i = 0; !subscriber.closed; i++) {
      produced++;
      subscriber.next(i);
    }
  });
  return { source, produced: () => produced };
}

describe('subscribeWithin', () => {
  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const { source, produced } = naturals();
    const seen: number[] = [];
    const passThrough = new Observable<number>((subscriber) => {
      subscribeWithin(subscriber, source, {
        next: (value) => subscriber.next(value),
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
    passThrough.pipe(take(2)).subscribe((value) => seen.push(value));
    expect(seen).toEqual([0, 1]);
    expect(produced()).toBe(2);
  });

  it('does not subscribe the source when the parent is already closed', () => {
    const { source, produced } = naturals();
    const parent = new Subscription();
    parent.unsubscribe();
    const child = subscribeWithin(parent, source, {});
    expect(child.closed).toBe(true);
    expect(produced()).toBe(0);
  });

  it('passes errors and completion on, and a finished child leaves its parent', () => {
    const parent = new Subscription();
    const log: string[] = [];
    let teardowns = 0;
    const finite = new Observable<number>((subscriber) => {
      subscriber.next(1);
      subscriber.complete();
      return () => teardowns++;
    });
    for (let i = 0; i < 3; i++) {
      subscribeWithin(parent, finite, {
        next: (value) => log.push(`next ${value}`),
        complete: () => log.push('complete'),
      });
    }
    const failing = new Observable<number>((subscriber) => subscriber.error(new Error('boom')));
    subscribeWithin(parent, failing, { error: (error: Error) => log.push(error.message) });
    expect(log).toEqual(['next 1', 'complete', 'next 1', 'complete', 'next 1', 'complete', 'boom']);
    expect(teardowns).toBe(3);
    // Nothing is left to tear down: a parent does not keep finished children.
    let parentTeardowns = 0;
    parent.add(() => parentTeardowns++);
    parent.unsubscribe();
    expect(parentTeardowns).toBe(1);
  });

  it('unsubscribing the child stops the source but leaves the parent open', () => {
    const parent = new Subscription();
    let stopped = false;
    const endless = new Observable<number>(() => () => (stopped = true));
    const child = subscribeWithin(parent, endless, {});
    child.unsubscribe();
    expect(stopped).toBe(true);
    expect(parent.closed).toBe(false);
  });
});
