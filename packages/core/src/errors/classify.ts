import { isApiError, type ApiError } from './apiError.js';
import { causeLevels } from './causeChain.js';
import { isHttpError } from './httpError.js';
import { isPermanent } from './permanentError.js';
import { isSerdeError } from './serdeError.js';

/**
 * What to do about an error: `'transient'` — try again later, it may go away by itself;
 * `'permanent'` — retrying the same thing will fail the same way until something changes (the
 * object, RBAC, the code); `'conflict'` — the object changed under us (HTTP 409): re-read and try
 * again soon, or surface a server-side-apply field conflict.
 */
export type ErrorClassification = 'transient' | 'permanent' | 'conflict';

const TRANSIENT_API_CODES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Codes of Node system errors (`err.code`) and undici errors that mean the network failed: the
 * peer, the route or the name lookup, not the request itself.
 */
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_REQ_RETRY',
]);

// Messages of undici's `TypeError`s around a network failure (the socket error is its `cause`).
const FETCH_FAILURE_MESSAGES = new Set(['fetch failed', 'terminated']);

// Most retryable first: when equally near errors disagree, the first of these present wins.
const PRECEDENCE: readonly ErrorClassification[] = ['transient', 'conflict', 'permanent'];

/**
 * The one place that decides whether an error is worth retrying. No default leaves an object
 * un-retried forever: only Kubernetes errors that cannot go away by themselves, and errors you
 * mark with {@link permanent}, are `'permanent'`.
 *
 * | error | classification |
 * |---|---|
 * | a {@link PermanentError} (from `permanent(err)`), or an error holding one anywhere in its `cause` chain | `'permanent'` (the explicit mark wins) |
 * | `HttpError` (network, TLS, timeout, `withTimeout`) | `'transient'` |
 * | a network failure: a Node system error with `code` `ECONNRESET`, `ECONNREFUSED`, `ECONNABORTED`, `ETIMEDOUT`, `ESOCKETTIMEDOUT`, `EPIPE`, `EAI_AGAIN`, `ENOTFOUND`, `EHOSTUNREACH`, `EHOSTDOWN`, `ENETUNREACH`, `ENETDOWN`; undici `UND_ERR_CONNECT_TIMEOUT`, `UND_ERR_HEADERS_TIMEOUT`, `UND_ERR_BODY_TIMEOUT`, `UND_ERR_SOCKET`, `UND_ERR_CLOSED`, `UND_ERR_DESTROYED`, `UND_ERR_REQ_RETRY`; `TypeError: fetch failed` / `terminated` | `'transient'` |
 * | RxJS `TimeoutError` (from `timeout()`), DOMException `TimeoutError` (`AbortSignal.timeout()`) | `'transient'` |
 * | `ApiError` 408, 429, 500, 502, 503, 504 and every other 5xx | `'transient'` |
 * | `ApiError` 409 (resourceVersion conflict, AlreadyExists, apply field conflict) | `'conflict'` |
 * | `ApiError` 400, 401, 403, 404, 405, 410, 415, 422 and every other 4xx | `'permanent'` |
 * | `SerdeError` | `'permanent'` |
 * | an error whose `cause` chain (or `AggregateError` `errors`) holds one of the above (a `WatcherError`, a `ControllerError`, `fetch failed` around `ECONNRESET`, your own error wrapping a `KubeError`) | the classification of the nearest one; among equally near ones (members of one `AggregateError`) the most retryable: transient, then conflict, then permanent |
 * | anything else: your own errors, bugs, a thrown string, `undefined`, a plain object | `'transient'` |
 *
 * Unknown errors are `'transient'`, as in controller-runtime: a failing external service, a
 * flaky dependency or a bug fixed by a redeploy must not leave an object stalled until it happens
 * to change. The per-key backoff keeps a deterministic failure cheap (its delay grows to
 * minutes). Mark what retrying cannot fix with `permanent(err)` — an invalid spec, say — and the
 * built-in error policy records it and waits for the object to change instead.
 *
 * The chain is followed at most 16 levels deep; cycles are safe. A 403 is `'permanent'` for a
 * single call, but watchers still back off and retry it (RBAC may be fixed later):
 * classification is advice for request-level policies, not for streams.
 *
 * @example
 * ```ts
 * const errorPolicy = (obj: KubeObject, err: unknown) =>
 *   classify(err) === 'permanent' ? Action.awaitChange() : Action.requeue(5_000);
 * classify(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })); // 'transient'
 * classify(permanent(new Error('spec.size is required'))); // 'permanent'
 * ```
 */
export function classify(error: unknown): ErrorClassification {
  if (isPermanent(error)) return 'permanent';
  for (const level of causeLevels(error)) {
    const found = new Set<ErrorClassification>();
    for (const candidate of level) {
      const direct = classifyOne(candidate);
      if (direct !== undefined) found.add(direct);
    }
    const decided = PRECEDENCE.find((classification) => found.has(classification));
    if (decided !== undefined) return decided;
  }
  return 'transient';
}

function classifyOne(error: unknown): ErrorClassification | undefined {
  if (isHttpError(error)) return 'transient';
  if (isApiError(error)) return classifyApiError(error);
  if (isSerdeError(error)) return 'permanent';
  if (isTimeoutError(error) || isNetworkError(error)) return 'transient';
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

function isNetworkError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
  return (
    error instanceof TypeError && typeof message === 'string' && FETCH_FAILURE_MESSAGES.has(message)
  );
}
