import { STATUS_CODES } from 'node:http';
import { redactSecrets } from '../errors/redact.js';
import type { Status } from '../errors/status.js';

// The reasons the API server itself uses for these codes (k8s.io/apimachinery StatusReason), so
// that code matching on `reason` works the same whether or not the body was a Status.
const REASONS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/**
 * A `Status` for an HTTP error response whose body was not one (a proxy's HTML page, an empty
 * body, plain text), in the spirit of client-go's `newUnstructuredResponseError`: `code` is the
 * HTTP status, `reason` the apiserver's reason for that code, `message` the body text when there
 * is one (trimmed, at most 500 characters, credentials redacted) or the status text.
 *
 * @example
 * ```ts
 * syntheticStatus(503, '<html>upstream down</html>');
 * // { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 503,
 * //   reason: 'ServiceUnavailable', message: '<html>upstream down</html>' }
 * ```
 */
export function syntheticStatus(code: number, bodyText?: string, statusText?: string): Status {
  const text = bodyText === undefined ? undefined : redactSecrets(bodyText.trim().slice(0, 500));
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    code,
    message: text || statusText || STATUS_CODES[code] || `HTTP ${code}`,
  };
  const reason = REASONS[code];
  if (reason !== undefined) status.reason = reason;
  return status;
}

/**
 * `status` with credentials removed from its `message` (the server quotes request bodies in some
 * 400/422 messages). Returns the same object when there was nothing to remove.
 *
 * @example
 * ```ts
 * const body: unknown = JSON.parse(await response.text());
 * if (isStatus(body)) console.log(redactStatus(body).message);
 * ```
 */
export function redactStatus(status: Status): Status {
  if (status.message === undefined) return status;
  const message = redactSecrets(status.message);
  return message === status.message ? status : { ...status, message };
}
