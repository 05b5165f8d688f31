/**
 * What a reconcile (or an error policy) asks the controller to do next with the object it just
 * handled. Immutable value; build one with {@link Action.requeue} or {@link Action.awaitChange}.
 *
 * - `Action.requeue(ms)`: reconcile this object again `ms` milliseconds after this run finished,
 *   even if nothing changes. A change that arrives earlier reconciles it at once (the earliest
 *   request for a key wins in the scheduler).
 * - `Action.awaitChange()`: do nothing until the object (or something related to it) changes.
 *
 * Gotcha: controllers relying only on `awaitChange` miss drift in external systems; a periodic
 * `requeue` (e.g. every 5 minutes) is the usual safety net, as in kube-rs.
 *
 * @example
 * ```ts
 * async function reconcile(widget: Widget): Promise<Action> {
 *   // … create or update what the widget owns …
 *   return Action.requeue(300_000);
 * }
 * ```
 */
export class Action {
  /** Delay in milliseconds before the next reconcile, or `undefined` to await a change. */
  readonly requeueAfter: number | undefined;

  private constructor(requeueAfter: number | undefined) {
    this.requeueAfter = requeueAfter;
    Object.freeze(this);
  }

  /**
   * Reconcile again after `ms` milliseconds (measured from the end of the run that returned it).
   * Throws a `TypeError` when `ms` is negative, `NaN` or infinite. `0` means "as soon as possible".
   *
   * @example
   * ```ts
   * return Action.requeue(5_000);
   * ```
   */
  static requeue(ms: number): Action {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new TypeError(`Action.requeue: delay must be a finite number >= 0, got ${String(ms)}`);
    }
    return new Action(ms);
  }

  /**
   * Do nothing until the object or one of its related objects changes.
   *
   * @example
   * ```ts
   * if (!widget.spec?.size) return Action.awaitChange();
   * ```
   */
  static awaitChange(): Action {
    return Action.awaitChangeAction;
  }

  private static readonly awaitChangeAction = new Action(undefined);

  /** Whether `value` is an {@link Action} (works across duplicate package copies). */
  static isAction(value: unknown): value is Action {
    return (
      value instanceof Action ||
      (typeof value === 'object' &&
        value !== null &&
        (value as { [ACTION_BRAND]?: unknown })[ACTION_BRAND] === true)
    );
  }

  /** `requeue(5000ms)` or `awaitChange`, for logs. */
  toString(): string {
    return this.requeueAfter === undefined ? 'awaitChange' : `requeue(${this.requeueAfter}ms)`;
  }
}

const ACTION_BRAND = Symbol.for('kube-rx.action');
Object.defineProperty(Action.prototype, ACTION_BRAND, { value: true, enumerable: false });
