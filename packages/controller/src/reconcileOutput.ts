import {
  defer,
  from,
  isObservable,
  last,
  map,
  of,
  type Observable,
  type ObservableInput,
} from 'rxjs';
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
 * toActionObservable(() => reconcile(widget, ctx)).subscribe((action) => console.log(action.toString()));
 * ```
 */
export function toActionObservable(run: () => ReconcileOutput): Observable<Action> {
  // defer turns a synchronous throw of `run` into an error of the Observable.
  return defer(() => {
    const output: ReconcileOutput = run();
    if (Action.isAction(output)) return of(output);
    const source: Observable<unknown> = isObservable(output)
      ? output
      : isPromiseLike(output)
        ? from(output as ObservableInput<unknown>)
        : of(output);
    return source.pipe(last(null, NO_VALUE), map(toAction));
  });
}

const NO_VALUE: unique symbol = Symbol('no value');

function toAction(value: unknown): Action {
  if (value === NO_VALUE) throw new TypeError('reconcile completed without returning an Action');
  if (!Action.isAction(value)) {
    throw new TypeError(`reconcile must return an Action, got ${describeValue(value)}`);
  }
  return value;
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
