import { causeLevels } from './causeChain.js';
import { brandError, hasErrorBrand } from './kubeErrorBrand.js';
import { redactSecrets } from './redact.js';

// A thrown plain object becomes the message as JSON: keep a huge one out of log lines.
const MAX_MESSAGE_LENGTH = 500;

/**
 * Marks an error as permanent: retrying the same thing will fail the same way until something
 * changes (the object's spec, RBAC, the code). `classify` answers `'permanent'` for it, and for
 * any error that holds one anywhere in its `cause` chain, whatever else the chain holds — so a
 * `FinalizerError` or `ControllerError` around it stays permanent, and `perKeyBackoff` answers
 * `Action.awaitChange()` (after `recordCondition`) instead of requeueing.
 *
 * Every other error a reconciler throws is `'transient'` by default (retried with the key's
 * backoff): wrap only what must not be retried. Create one with {@link permanent}; detect one
 * with {@link isPermanent}, which works across duplicate copies of `@kube-rx/core`.
 *
 * @example
 * ```ts
 * const error = new PermanentError('spec.size is required', { cause: { field: 'spec.size' } });
 * classify(error); // 'permanent'
 * ```
 */
export class PermanentError extends Error {
  /** Always `'PermanentError'`; survives serialisation and bundling, unlike the class itself. */
  override readonly name = 'PermanentError' as const;
  /** Always `'Permanent'`: the discriminant, as on the other kube-rx errors. */
  readonly kind = 'Permanent' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(
      redactSecrets(message),
      options && 'cause' in options ? { cause: options.cause } : undefined,
    );
    brandError(this, 'PermanentError');
  }

  /** A plain object for structured logs and `JSON.stringify`: `name`, `kind` and `message`. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, kind: this.kind, message: this.message };
  }
}

/**
 * Wraps `error` in a {@link PermanentError} (kept as `cause`, message taken from it) so that
 * `classify` calls it `'permanent'` and the built-in error policy stops retrying it until the
 * object changes. A `PermanentError` is returned as it is. Accepts anything that can be thrown
 * (a string, a plain object, `undefined`).
 *
 * @example
 * ```ts
 * const reconcile = async (widget: KubeObject): Promise<Action> => {
 *   if (widget.metadata?.labels?.size === undefined) {
 *     // An invalid spec fails the same way on every retry: wait for the user to fix it.
 *     throw permanent(new Error('label size is required'));
 *   }
 *   return Action.awaitChange();
 * };
 * ```
 */
export function permanent(error: unknown): PermanentError {
  if (hasErrorBrand(error, 'PermanentError')) return error as PermanentError;
  return new PermanentError(messageOf(error), { cause: error });
}

/**
 * Whether `error` is a {@link PermanentError} or holds one anywhere in its `cause` chain (also
 * inside an `AggregateError`'s `errors`; at most 16 levels deep, cycles are safe). Works across
 * duplicate copies of `@kube-rx/core`.
 *
 * @example
 * ```ts
 * const wrapped = new Error('apply failed', { cause: permanent('bad spec') });
 * isPermanent(wrapped); // true
 * ```
 */
export function isPermanent(error: unknown): boolean {
  for (const level of causeLevels(error)) {
    if (level.some((candidate) => hasErrorBrand(candidate, 'PermanentError'))) return true;
  }
  return false;
}

function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
  }
  if (error === undefined || error === null) return 'permanent error';
  try {
    const text = typeof error === 'object' ? JSON.stringify(error) : String(error);
    return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
  } catch {
    return 'permanent error';
  }
}
