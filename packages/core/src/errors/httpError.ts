import { brandError, hasErrorBrand } from './kubeErrorBrand.js';
import { redactSecrets } from './redact.js';

/** Where in an HTTP exchange a transport failure happened. */
export type HttpErrorStage = 'request' | 'body';

/** Structured payload of an {@link HttpError}. */
export interface HttpErrorInit {
  /** System error code when there is one: `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`, `CERT_HAS_EXPIRED`, ... */
  code?: string | undefined;
  /** True when the request was abandoned because it took too long. */
  timedOut?: boolean;
  /**
   * `'request'` when the failure happened before response headers arrived (connect, TLS, send);
   * `'body'` when the response had started and its body broke off (e.g. a watch stream reset).
   * Defaults to `'request'`.
   */
  stage?: HttpErrorStage;
  /** HTTP method of the failed request. */
  method?: string | undefined;
  /** URL of the failed request, without query secrets. */
  url?: string | undefined;
  /** The underlying error (e.g. undici's `TypeError: fetch failed`), kept as the ES2022 `cause`. */
  cause?: unknown;
}

/**
 * A transport-level failure: the connection could not be made, TLS failed, the socket was reset,
 * or the request timed out. Comes from the client layer; nothing was (fully) received from the
 * API server.
 *
 * Retryable: always classified `'transient'` by {@link classify}. `retryPolicy()` leaves it alone
 * by default (opt in with `retryNetworkErrors`); watchers back off and retry it.
 */
export class HttpError extends Error {
  /** Always `'HttpError'`; survives serialisation and bundling, unlike the class itself. */
  override readonly name = 'HttpError' as const;
  /** Always `'Http'`: the {@link KubeError} discriminant. */
  readonly kind = 'Http' as const;
  /**
   * System error code, e.g. `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT` (also set by
   * `withTimeout`), `ABORT_ERR` for an abort; `undefined` when the failure had none.
   */
  readonly code: string | undefined;
  /** True when the request was abandoned because it took too long; `false` by default. */
  readonly timedOut: boolean;
  /**
   * `'request'` if the failure came before response headers (nothing received), `'body'` if the
   * response had started and its body broke off, e.g. a reset watch stream. Default `'request'`.
   */
  readonly stage: HttpErrorStage;
  /** HTTP method of the failed request; `undefined` when the error was not tied to one. */
  readonly method: string | undefined;
  /** URL of the failed request with token-like values redacted; `undefined` when unknown. */
  readonly url: string | undefined;

  constructor(message: string, init: HttpErrorInit = {}) {
    super(redactSecrets(message), init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.timedOut = init.timedOut ?? false;
    this.stage = init.stage ?? 'request';
    this.method = init.method;
    this.url = init.url === undefined ? undefined : redactSecrets(init.url);
    brandError(this, 'HttpError');
  }

  /**
   * A plain object for structured logs and `JSON.stringify`: `name`, `kind`, `message` and the
   * payload fields. Leaves out `stack` and `cause`.
   */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      code: this.code,
      timedOut: this.timedOut,
      stage: this.stage,
      method: this.method,
      url: this.url,
    };
  }
}

/**
 * Whether `value` is an {@link HttpError} (from any copy of `@kube-rx/core`).
 *
 * @example
 * ```ts
 * if (isHttpError(err) && err.timedOut) logger.warn('API call timed out');
 * ```
 */
export function isHttpError(value: unknown): value is HttpError {
  return hasErrorBrand(value, 'HttpError');
}
