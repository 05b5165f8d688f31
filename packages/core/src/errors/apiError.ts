import { brandError, hasErrorBrand } from './kubeErrorBrand.js';
import { redactSecrets } from './redact.js';
import type { Status } from './status.js';

/** Structured payload of an {@link ApiError}. */
export interface ApiErrorInit {
  /** `Retry-After` header in seconds, when the server sent one (429, 503, 504 "too large resource version"). */
  retryAfterSeconds?: number | undefined;
  /** HTTP method of the failed request. */
  method?: string | undefined;
  /** URL of the failed request; token-like values are redacted when the error is built. */
  url?: string | undefined;
  /** The underlying error (e.g. a client-node `ApiException`), kept as the ES2022 `cause`. */
  cause?: unknown;
}

/**
 * The API server answered with a non-2xx status. `status` is the Kubernetes `Status` the server
 * sent (or one synthesised from the HTTP status line when the body was not a `Status`).
 *
 * Retryable: 429/500/502/503/504 are `'transient'`, 409 is `'conflict'`, everything else is
 * `'permanent'` (see {@link classify}). `retryPolicy()` retries 429/503/504 by default and waits
 * at least `retryAfterSeconds`.
 */
export class ApiError extends Error {
  /** Always `'ApiError'`; survives serialisation and bundling, unlike the class itself. */
  override readonly name = 'ApiError' as const;
  /** Always `'Api'`: the {@link KubeError} discriminant. */
  readonly kind = 'Api' as const;
  /**
   * The `Status` the server sent, or one synthesised from the HTTP status line (with the
   * apiserver's usual `reason` for that code) when the body was not a `Status`. `code` is always set.
   */
  readonly status: Status;
  /** `Retry-After` in seconds, if the server sent the header (or `details.retryAfterSeconds`). */
  readonly retryAfterSeconds: number | undefined;
  /** HTTP method of the failed request; `undefined` when the error was not tied to one. */
  readonly method: string | undefined;
  /** URL of the failed request with token-like values redacted; `undefined` when unknown. */
  readonly url: string | undefined;

  constructor(status: Status, init: ApiErrorInit = {}) {
    const summary = `${status.code}${status.reason ? ` ${status.reason}` : ''}`;
    super(
      redactSecrets(`${summary}: ${status.message ?? 'request failed'}`),
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.status = status;
    this.retryAfterSeconds = init.retryAfterSeconds ?? status.details?.retryAfterSeconds;
    this.method = init.method;
    this.url = init.url === undefined ? undefined : redactSecrets(init.url);
    brandError(this, 'ApiError');
  }

  /** The HTTP status code (`status.code`). */
  get code(): number {
    return this.status.code;
  }

  /** The Kubernetes reason (`status.reason`), e.g. `NotFound`. */
  get reason(): string | undefined {
    return this.status.reason;
  }

  /**
   * A plain object for structured logs and `JSON.stringify`: `name`, `kind`, `message`, the whole
   * `status` and the request fields. Leaves out `stack` and `cause`.
   */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      status: this.status,
      retryAfterSeconds: this.retryAfterSeconds,
      method: this.method,
      url: this.url,
    };
  }
}

/**
 * Whether `value` is an {@link ApiError}, optionally with one of the given HTTP codes.
 *
 * @example
 * ```ts
 * if (isApiError(err, 404)) return Action.awaitChange();
 * if (isApiError(err, [409, 422])) return Action.requeue(1_000);
 * ```
 */
export function isApiError(value: unknown, code?: number | readonly number[]): value is ApiError {
  if (!hasErrorBrand(value, 'ApiError')) return false;
  if (code === undefined) return true;
  const actual = (value as ApiError).status.code;
  return typeof code === 'number' ? actual === code : code.includes(actual);
}
