import { brandError, hasErrorBrand } from '@kube-rx/core';

/** Discriminant of a {@link FinalizerError}. */
export type FinalizerErrorKind =
  | 'ApplyFailed'
  | 'CleanupFailed'
  | 'AddFinalizer'
  | 'RemoveFinalizer'
  | 'UnnamedObject'
  | 'InvalidFinalizer';

/**
 * A failure of {@link finalizer}, with the same kinds as kube-runtime's `finalizer::Error`:
 *
 * - `ApplyFailed` / `CleanupFailed`: your handler failed; `cause` is its error. A failed cleanup
 *   keeps the finalizer, so the object stays until a later cleanup succeeds.
 * - `AddFinalizer` / `RemoveFinalizer`: the JSON patch failed; `cause` is the `KubeError`. A
 *   failed `test` op (422) means the object changed under us: a newer version is on its way and
 *   will trigger another reconcile.
 * - `UnnamedObject`: the object has no `metadata.name`.
 * - `InvalidFinalizer`: the finalizer name is not a valid qualified name.
 *
 * Retryable: error policies that look through `cause` (e.g. `perKeyBackoff`) classify the
 * underlying error; handler errors are yours to classify.
 *
 * @example
 * ```ts
 * if (isFinalizerError(err, 'CleanupFailed')) logger.warn('cleanup failed; finalizer kept', { cause: err.cause });
 * ```
 */
export class FinalizerError extends Error {
  /** Always `'FinalizerError'`; survives serialisation and bundling, unlike the class itself. */
  override readonly name = 'FinalizerError' as const;
  /** Which step failed (see the class description); decides what `cause` holds. */
  readonly kind: FinalizerErrorKind;
  /** The finalizer name. */
  readonly finalizer: string;

  constructor(kind: FinalizerErrorKind, finalizer: string, cause?: unknown) {
    super(describe(kind, finalizer, cause), cause === undefined ? undefined : { cause });
    this.kind = kind;
    this.finalizer = finalizer;
    brandError(this, 'FinalizerError');
  }
}

function describe(kind: FinalizerErrorKind, finalizer: string, cause: unknown): string {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  switch (kind) {
    case 'ApplyFailed':
      return `apply failed${detail}`;
    case 'CleanupFailed':
      return `cleanup failed (finalizer ${finalizer} kept)${detail}`;
    case 'AddFinalizer':
      return `adding finalizer ${finalizer} failed${detail}`;
    case 'RemoveFinalizer':
      return `removing finalizer ${finalizer} failed${detail}`;
    case 'UnnamedObject':
      return 'object has no metadata.name';
    case 'InvalidFinalizer':
      return `invalid finalizer name ${JSON.stringify(finalizer)}`;
  }
}

/**
 * Whether `value` is a {@link FinalizerError}, optionally of the given kind (works across
 * duplicate package copies).
 *
 * @example
 * ```ts
 * if (isFinalizerError(err, 'ApplyFailed') && classify(err.cause) === 'permanent') return Action.awaitChange();
 * ```
 */
export function isFinalizerError(
  value: unknown,
  kind?: FinalizerErrorKind,
): value is FinalizerError {
  if (!hasErrorBrand(value, 'FinalizerError')) return false;
  return kind === undefined || (value as FinalizerError).kind === kind;
}
