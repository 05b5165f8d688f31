import { brandError, hasErrorBrand, refKey, type ObjectRef } from '@kube-rx/core';
import { formatReconcileReason, type ReconcileReason } from './reconcileReason.js';

/** Discriminant of a {@link ControllerError}. */
export type ControllerErrorKind = 'ReconcilerFailed' | 'ObjectNotFound' | 'QueueError';

/** Structured payload of a {@link ControllerError}. */
export interface ControllerErrorInit {
  /** The object concerned (absent for a `QueueError`). */
  ref?: ObjectRef | undefined;
  /** Why the failed run was scheduled (absent for a `QueueError`). */
  reason?: ReconcileReason | undefined;
  /** How long the run took in milliseconds, when one ran. */
  durationMs?: number | undefined;
  /** The error the reconciler threw, or the trigger stream's error. */
  cause?: unknown;
}

/**
 * A failure reported by `Controller.run` / `applier` as an `Err` in the results stream (the
 * stream itself never errors because of one of these).
 *
 * - `ReconcilerFailed`: the reconcile function threw, rejected, errored or timed out; `cause` is
 *   the original error. The error policy has already decided the next {@link Action}.
 * - `ObjectNotFound`: the object was gone from the store when its run started (deleted in the
 *   meantime); the reconciler was not called. Not retried: the next change triggers again.
 * - `QueueError`: a trigger stream (a watcher of the main, owned or watched kind) failed; it is
 *   retried with `defaultBackoff()`, so this is informational.
 *
 * Retryable: the controller already retries according to the error policy; nothing to do.
 *
 * @example
 * ```ts
 * controller.run(reconcile, policy, ctx).subscribe((result) => {
 *   if (result.err && result.val.kind === 'ReconcilerFailed') logger.warn(result.val.message);
 * });
 * ```
 */
export class ControllerError extends Error {
  /** Always `'ControllerError'`; survives serialisation and bundling, unlike the class itself. */
  override readonly name = 'ControllerError' as const;
  /** `'ReconcilerFailed'`, `'ObjectNotFound'` or `'QueueError'` (see the class description). */
  readonly kind: ControllerErrorKind;
  /** The object whose run failed; `undefined` for a `QueueError`. */
  readonly ref: ObjectRef | undefined;
  /** Why the failed run was scheduled; `undefined` for a `QueueError`. */
  readonly reason: ReconcileReason | undefined;
  /** Milliseconds the reconciler ran before failing; `undefined` when it did not run. */
  readonly durationMs: number | undefined;

  constructor(kind: ControllerErrorKind, init: ControllerErrorInit = {}) {
    super(describe(kind, init), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = kind;
    this.ref = init.ref;
    this.reason = init.reason;
    this.durationMs = init.durationMs;
    brandError(this, 'ControllerError');
  }

  /**
   * A plain object for structured logs and `JSON.stringify`: `name`, `kind`, `message`, `ref`,
   * `reason` and `durationMs`. Leaves out `stack` and `cause`.
   */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      ref: this.ref,
      reason: this.reason,
      durationMs: this.durationMs,
    };
  }
}

function describe(kind: ControllerErrorKind, init: ControllerErrorInit): string {
  const target = init.ref ? ` ${refKey(init.ref)}` : '';
  const why = init.reason ? ` (${formatReconcileReason(init.reason)})` : '';
  const cause = init.cause instanceof Error ? `: ${init.cause.message}` : '';
  switch (kind) {
    case 'ReconcilerFailed':
      return `reconciling${target} failed${why}${cause}`;
    case 'ObjectNotFound':
      return `object${target} not found in the store${why}`;
    case 'QueueError':
      return `a trigger stream failed${cause}`;
  }
}

/**
 * Whether `value` is a {@link ControllerError}, optionally of the given kind (works across
 * duplicate package copies).
 *
 * @example
 * ```ts
 * if (isControllerError(err, 'ObjectNotFound')) return;
 * ```
 */
export function isControllerError(
  value: unknown,
  kind?: ControllerErrorKind,
): value is ControllerError {
  if (!hasErrorBrand(value, 'ControllerError')) return false;
  return kind === undefined || (value as ControllerError).kind === kind;
}
