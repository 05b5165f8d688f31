import { from, isObservable, Observable, of, type ObservableInput } from 'rxjs';
import { Action } from './action.js';

/**
 * What a reconcile (or a finalizer handler) may return: an {@link Action} directly, a Promise of
 * one, or an Observable whose **last** value is the Action (earlier values are ignored; an
 * Observable that completes without a value is an error).
 */
export type ReconcileOutput = Action | PromiseLike<Action> | Observable<Action>;

/**
 * Calls `run` and turns whatever it returns (or throws) into a cold Observable of exactly one
 * {@link Action}. Synchronous throws become errors of the Observable.
 *
 * @example
 * ```ts
 * toActionObservable(() => reconcile(object, ctx)).subscribe((action) => console.log(action.toString()));
 * ```
 */
export function toActionObservable(run: () => ReconcileOutput): Observable<Action> {
  return new Observable<Action>((subscriber) => {
    let output: ReconcileOutput;
    try {
      output = run();
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }
    if (Action.isAction(output)) {
      subscriber.next(output);
      subscriber.complete();
      return undefined;
    }
    const source: Observable<unknown> = isObservable(output)
      ? output
      : isPromiseLike(output)
        ? from(output as ObservableInput<unknown>)
        : of(output);
    let last: { value: unknown } | undefined;
    return source.subscribe({
      next: (value) => {
        last = { value };
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        if (last === undefined) {
          subscriber.error(new TypeError('reconcile completed without returning an Action'));
        } else if (!Action.isAction(last.value)) {
          subscriber.error(
            new TypeError(`reconcile must return an Action, got ${describeValue(last.value)}`),
          );
        } else {
          subscriber.next(last.value);
          subscriber.complete();
        }
      },
    });
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
