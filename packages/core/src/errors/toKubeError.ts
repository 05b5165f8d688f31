import { asyncScheduler } from 'rxjs';
import { parseRetryAfter } from '../client/retryAfter.js';
import { redactStatus, syntheticStatus } from '../client/syntheticStatus.js';
import { ApiError } from './apiError.js';
import { HttpError, type HttpErrorStage } from './httpError.js';
import { isKubeError, type KubeError } from './kubeError.js';
import { redactSecrets } from './redact.js';
import { SerdeError } from './serdeError.js';
import { isStatus, type Status } from './status.js';

/** What the caller knows about the request that failed; it is copied onto the error. */
export interface ToKubeErrorContext {
  /** HTTP method of the request. Default: unknown (`undefined`). */
  method?: string | undefined;
  /** URL of the request (query secrets are redacted by the error classes). Default: unknown. */
  url?: string | undefined;
  /**
   * Whether the response headers had already arrived when a transport error happened (`'body'`)
   * or not (`'request'`). Default: `'request'`.
   */
  stage?: HttpErrorStage | undefined;
  /**
   * Current time in ms, to turn an HTTP-date `Retry-After` into seconds. Default:
   * `asyncScheduler.now()`; pass `scheduler.now()` from virtual-time code.
   */
  now?: number | undefined;
}

// Codes that mean "gave up waiting" rather than "was refused": these set `timedOut`.
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const MAX_CAUSE_DEPTH = 8;

/**
 * Maps anything the client layer can throw into the kube-rx error taxonomy ({@link KubeError}).
 * The original error is kept as `cause` (a redacted copy when its text holds credentials).
 *
 * | input | result |
 * |---|---|
 * | a `KubeError` (any package copy) | returned as is |
 * | client-node `ApiException` (`code` + `body` + `headers`), or any error with a numeric HTTP `statusCode`/`code` | `ApiError` with the body's `Status` (synthesised from the code when the body is not one) and `Retry-After` |
 * | `SyntaxError` (JSON.parse) | `SerdeError` |
 * | RxJS `TimeoutError`, DOMException `TimeoutError`, `ETIMEDOUT`, undici `UND_ERR_*_TIMEOUT` | `HttpError` with `timedOut: true` (code `ETIMEDOUT` unless a more precise one is known) |
 * | DOMException `AbortError` | `HttpError` code `ABORT_ERR` (`timedOut` when its reason was a timeout) |
 * | undici `TypeError: fetch failed` / `terminated`, Node socket and TLS errors | `HttpError` with the system code found on the error or its `cause` chain (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, `EAI_AGAIN`, `EPIPE`, `CERT_HAS_EXPIRED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`, `UND_ERR_SOCKET`, ...) |
 * | anything else | `HttpError` without a code |
 *
 * Messages never contain bearer tokens or key material (see {@link redactSecrets}).
 *
 * @example
 * ```ts
 * const coreV1 = kc.makeApiClient(CoreV1Api);
 * from(coreV1.readNamespacedPod({ name: 'web-0', namespace: 'default' })).pipe(
 *   catchError((error) => throwError(() => toKubeError(error, { method: 'GET' }))),
 * );
 * ```
 */
export function toKubeError(error: unknown, context: ToKubeErrorContext = {}): KubeError {
  if (isKubeError(error)) return error;
  const httpCode = httpStatusCodeOf(error);
  if (httpCode !== undefined) return apiErrorFrom(error as HttpLikeError, httpCode, context);
  const cause = safeCause(error);
  const base = { method: context.method, url: context.url, cause };
  if (error instanceof SyntaxError) {
    return new SerdeError(`response is not valid JSON: ${error.message}`, { cause });
  }
  const name = nameOf(error);
  if (name === 'TimeoutError') {
    return new HttpError(describe(context, 'timed out'), {
      ...base,
      code: 'ETIMEDOUT',
      timedOut: true,
      stage: context.stage ?? 'request',
    });
  }
  if (name === 'AbortError') {
    const timedOut = nameOf((error as { cause?: unknown }).cause) === 'TimeoutError';
    return new HttpError(describe(context, timedOut ? 'timed out' : 'was aborted'), {
      ...base,
      code: timedOut ? 'ETIMEDOUT' : 'ABORT_ERR',
      timedOut,
      stage: context.stage ?? 'request',
    });
  }
  const code = systemCodeOf(error);
  return new HttpError(describe(context, `failed: ${innermostMessage(error)}`), {
    ...base,
    code,
    timedOut: code !== undefined && TIMEOUT_CODES.has(code),
    stage: context.stage ?? 'request',
  });
}

interface HttpLikeError {
  body?: unknown;
  headers?: unknown;
  message?: unknown;
}

/** The HTTP status of client-node's `ApiException` (`code`) or of errors with `statusCode`. */
function httpStatusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { code?: unknown; statusCode?: unknown; body?: unknown };
  const code =
    typeof candidate.statusCode === 'number'
      ? candidate.statusCode
      : typeof candidate.code === 'number' && 'body' in candidate
        ? candidate.code
        : undefined;
  return code !== undefined && Number.isInteger(code) && code >= 100 && code <= 599
    ? code
    : undefined;
}

function apiErrorFrom(error: HttpLikeError, code: number, context: ToKubeErrorContext): ApiError {
  const status = statusFromBody(error.body, code, error);
  const retryAfter = parseRetryAfter(
    headerValue(error.headers, 'retry-after'),
    context.now ?? asyncScheduler.now(),
  );
  return new ApiError(status, {
    retryAfterSeconds: retryAfter,
    method: context.method,
    url: context.url,
    cause: safeCause(error),
  });
}

function statusFromBody(body: unknown, code: number, error: HttpLikeError): Status {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return syntheticStatus(code, body);
    }
  }
  if (isStatus(parsed)) return redactStatus(parsed);
  // client-node's V1Status model drops `kind` when it deserialises; keep what it carries.
  if (typeof parsed === 'object' && parsed !== null && 'reason' in parsed) {
    return redactStatus({
      ...syntheticStatus(code),
      ...(parsed as Partial<Status>),
      kind: 'Status',
      code,
    });
  }
  const message = typeof error.message === 'string' ? error.message.split('\n')[0] : undefined;
  return syntheticStatus(code, undefined, message);
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value);
  }
  return undefined;
}

function nameOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const name = (value as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** The first string `code` down the cause chain (undici nests the socket error as `cause`). */
function systemCodeOf(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof current === 'object' && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    // Happy-eyeballs connects fail with an AggregateError listing one error per address.
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = systemCodeOf(errors[0]);
      if (inner !== undefined) return inner;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The most specific message: `fetch failed` says less than its cause `connect ECONNREFUSED`. */
function innermostMessage(error: unknown): string {
  let message = typeof error === 'string' ? error : String(error);
  let current = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof current === 'object' && current; depth++) {
    const text = (current as { message?: unknown }).message;
    if (typeof text === 'string' && text !== '') message = text;
    const errors = (current as { errors?: unknown }).errors;
    current =
      (current as { cause?: unknown }).cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return message;
}

function describe(context: ToKubeErrorContext, what: string): string {
  const target = [context.method, context.url].filter(Boolean).join(' ');
  return target ? `${target} ${what}` : `request ${what}`;
}

/**
 * The original error, or a redacted copy of it (same prototype, so `instanceof` and `name` still
 * work) when its message, stack or nested causes quote credentials: a logger printing the
 * `cause` chain must not leak a token either.
 */
function safeCause(error: unknown, depth = 0): unknown {
  if (typeof error === 'string') return redactSecrets(error);
  if (typeof error !== 'object' || error === null || depth > MAX_CAUSE_DEPTH) return error;
  if (!(error instanceof Error) && !('message' in error)) return error;
  const source = error as { message?: unknown; stack?: unknown; cause?: unknown };
  const message = typeof source.message === 'string' ? source.message : undefined;
  const stack = typeof source.stack === 'string' ? source.stack : undefined;
  const cause = 'cause' in source ? safeCause(source.cause, depth + 1) : undefined;
  const leaks =
    (message !== undefined && redactSecrets(message) !== message) ||
    (stack !== undefined && redactSecrets(stack) !== stack) ||
    cause !== source.cause;
  if (!leaks) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object | null) as Record<
    PropertyKey,
    unknown
  >;
  for (const key of Reflect.ownKeys(error)) {
    const value = (error as Record<PropertyKey, unknown>)[key];
    copy[key] = typeof value === 'string' ? redactSecrets(value) : value;
  }
  for (const key of ['message', 'stack'] as const) {
    const value = source[key];
    if (typeof value === 'string') {
      Object.defineProperty(copy, key, {
        value: redactSecrets(value),
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }
  if ('cause' in source) {
    Object.defineProperty(copy, 'cause', {
      value: cause,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  return copy;
}
