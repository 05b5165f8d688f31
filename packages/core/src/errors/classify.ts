import { isApiError, type ApiError } from './apiError.js';
import { isHttpError } from './httpError.js';
import { isSerdeError } from './serdeError.js';

/**
 * What to do about an error: `'transient'` — try again later, it may go away by itself;
 * `'permanent'` — retrying the same thing will fail the same way until something changes (the
 * object, RBAC, the code); `'conflict'` — the object changed under us (HTTP 409): re-read and try
 * again soon, or surface a server-side-apply field conflict.
 */
export type ErrorClassification = 'transient' | 'permanent' | 'conflict';

const TRANSIENT_API_CODES = new Set([429, 500, 502, 503, 504]);
const MAX_CAUSE_DEPTH = 16;

/**
 * The one place that decides whether an error is worth retrying.
 *
 * | error | classification |
 * |---|---|
 * | `HttpError` (network, TLS, timeout, `withTimeout`) | `'transient'` |
 * | `ApiError` 429, 500, 502, 503, 504 | `'transient'` |
 * | `ApiError` 409 (resourceVersion conflict, AlreadyExists, apply field conflict) | `'conflict'` |
 * | `ApiError` 400, 401, 403, 404, 405, 410, 415, 422 and every other 4xx | `'permanent'` |
 * | `ApiError` other 5xx (501, 505, ...) | `'transient'` |
 * | `SerdeError` | `'permanent'` |
 * | RxJS `TimeoutError` (from `timeout()`), DOMException `TimeoutError` | `'transient'` |
 * | an error whose `cause` chain holds one of the above (a `WatcherError`, a `ControllerError`, your own error wrapping a `KubeError`) | the classification of the nearest one |
 * | anything else | `'permanent'` |
 *
 * Unknown errors are `'permanent'` on purpose: they come from user code (a bug, invalid input,
 * a failing external service) rather than from the API server, and calling them transient would
 * retry a deterministic failure forever. To have your own error retried, give it the Kubernetes
 * error as `cause` (`new MyError('...', { cause: err })`), or decide in your error policy before
 * falling back to `classify`. The `Api` client turns everything it throws into `KubeError`s
 * (`toKubeError`), so raw socket errors do not reach here from it.
 *
 * A 403 is `'permanent'` for a single call, but watchers still back off and retry it (RBAC may
 * be fixed later): classification is advice for request-level policies, not for streams.
 *
 * @example
 * ```ts
 * const errorPolicy = (obj, err) =>
 *   classify(err) === 'permanent' ? Action.awaitChange() : Action.requeue(5_000);
 * ```
 */
export function classify(error: unknown): ErrorClassification {
  let current = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
    const direct = classifyOne(current);
    if (direct !== undefined) return direct;
    if (typeof current !== 'object' || current === null || !('cause' in current)) break;
    current = current.cause;
  }
  return 'permanent';
}

function classifyOne(error: unknown): ErrorClassification | undefined {
  if (isHttpError(error)) return 'transient';
  if (isApiError(error)) return classifyApiError(error);
  if (isSerdeError(error)) return 'permanent';
  if (isTimeoutError(error)) return 'transient';
  return undefined;
}

function classifyApiError(error: ApiError): ErrorClassification {
  const code = error.status.code;
  if (code === 409) return 'conflict';
  if (TRANSIENT_API_CODES.has(code) || code >= 500) return 'transient';
  return 'permanent';
}

// By name, so that it works across RxJS copies and for `AbortSignal.timeout()`'s DOMException.
function isTimeoutError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'TimeoutError'
  );
}
