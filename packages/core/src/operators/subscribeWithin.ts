import { Observable, type Observer, type Subscription } from 'rxjs';

/**
 * Subscribes `observer` to `source` as a child of `parent` (usually the subscriber of a
 * hand-written operator), registering the child **before** `source` is subscribed. When `parent`
 * is unsubscribed — even while `source` is still emitting synchronously inside its own
 * `subscribe` — the child is closed, so a synchronous source checking `subscriber.closed` stops
 * at once instead of running to its end (or forever). `source.subscribe(observer)` cannot do
 * this: it hands back its subscription only after a synchronous source has finished.
 *
 * The returned subscription is the child: unsubscribe it to stop `source` alone. A child that
 * ends (error, completion, unsubscription) removes itself from `parent`, so `parent` does not
 * grow when it re-subscribes many times.
 *
 * For operator authors: compose public RxJS operators (`tap`, `filter`, `map`) where they fit;
 * use this where an operator must be hand-written.
 *
 * @example
 * ```ts
 * import { Observable, take, type MonoTypeOperatorFunction } from 'rxjs';
 * import { subscribeWithin } from '@kube-rx/core';
 *
 * const everyOther = <T>(): MonoTypeOperatorFunction<T> => (source) =>
 *   new Observable<T>((subscriber) => {
 *     let index = 0;
 *     subscribeWithin(subscriber, source, {
 *       next: (value) => (index++ % 2 === 0 ? subscriber.next(value) : undefined),
 *       error: (error: unknown) => subscriber.error(error),
 *       complete: () => subscriber.complete(),
 *     });
 *   });
 * const naturals$ = new Observable<number>((subscriber) => {
 *   for (let i = 0; !subscriber.closed; i++) subscriber.next(i);
 * });
 * naturals$.pipe(everyOther(), take(3)).subscribe(console.log); // 0, 2, 4 — then the loop stops
 * ```
 */
export function subscribeWithin<T>(
  parent: Subscription,
  source: Observable<T>,
  observer: Partial<Observer<T>>,
): Subscription {
  // `new Observable` hands over its subscriber before anything runs: registered with `parent`
  // first, it is then passed to `source` as is (RxJS uses a given Subscriber directly), so the
  // source sees it close.
  return new Observable<T>((child) => {
    parent.add(child);
    if (!child.closed) source.subscribe(child);
  }).subscribe(observer);
}
