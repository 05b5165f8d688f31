import { redactSecrets } from '../errors/redact.js';

/** The loggable summary of an error made by {@link describeError}. */
export interface ErrorDescription {
  /** `error.name` (`'ApiError'`, `'WatcherError'`, ...), or the `typeof` of a thrown non-error. */
  name: string;
  /** The `kind` discriminant of kube-rx errors (`'Api'`, `'Http'`, `'WatchFailed'`, ...). */
  kind?: string;
  /** The HTTP status code of an `ApiError`, the system code of an `HttpError` (`'ECONNRESET'`). */
  code?: string | number;
  /** The message with bearer tokens and key material removed. */
  message: string;
  /**
   * The stack (`error.stack`: the first line is `name: message`, then the frames) with secrets
   * removed, when the error has one.
   */
  stack?: string;
  /** The description of `error.cause`, when it is an error (at most 5 levels deep). */
  cause?: ErrorDescription;
}

const MAX_CAUSE_DEPTH = 5;

/**
 * Summarises any thrown value as plain, JSON-safe, secret-free fields for a log line. Loggers
 * print `Error` objects as `{}` in JSON; this keeps what matters for a retry decision: name,
 * kind, code, message, stack, and the chain of causes (a `WatcherError` wrapping an `ApiError`).
 *
 * @example
 * ```ts
 * logger.warn('reconcile failed', { object: refKey(objectRef(widget)), error: describeError(err) });
 * ```
 */
export function describeError(error: unknown): ErrorDescription {
  return describe(error, 0);
}

function describe(error: unknown, depth: number): ErrorDescription {
  if (!(error instanceof Error)) {
    return { name: typeof error, message: redactSecrets(String(error)) };
  }
  const own = error as Error & { kind?: unknown; code?: unknown };
  const description: ErrorDescription = { name: error.name, message: '' };
  if (typeof own.kind === 'string') description.kind = own.kind;
  if (typeof own.code === 'string' || typeof own.code === 'number') description.code = own.code;
  description.message = redactSecrets(error.message);
  if (typeof error.stack === 'string') description.stack = redactSecrets(error.stack);
  if (error.cause instanceof Error && depth < MAX_CAUSE_DEPTH) {
    description.cause = describe(error.cause, depth + 1);
  }
  return description;
}
