/** Discriminant of a {@link GeneratorError}. */
export type GeneratorErrorKind = 'InvalidSpec' | 'ConfigMapWriteFailed' | 'StatusWriteFailed';

/**
 * The reconciler's own error type: a `kind` to switch on in the error policy, and the Kubernetes
 * error (if any) as `cause`, so that `classify()` sees through it — a 503 under
 * `ConfigMapWriteFailed` is transient. An `InvalidSpec` has no Kubernetes cause: the reconciler
 * wraps it in `permanent()`, otherwise it would be retried like any unknown error.
 */
export class GeneratorError extends Error {
  override readonly name = 'GeneratorError';
  readonly kind: GeneratorErrorKind;

  constructor(kind: GeneratorErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** Whether `value` is a {@link GeneratorError}, optionally of one kind. */
export function isGeneratorError(
  value: unknown,
  kind?: GeneratorErrorKind,
): value is GeneratorError {
  return value instanceof GeneratorError && (kind === undefined || value.kind === kind);
}
