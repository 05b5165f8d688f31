/**
 * The Kubernetes `Status` object (`kind: Status, apiVersion: v1`) that the API server sends
 * for every failed request and inside watch `ERROR` events.
 *
 * Only `code` is guaranteed; everything else is optional because proxies and older servers
 * may leave fields out.
 */
export interface Status {
  /** Always `'Status'` when present; {@link isStatus} requires it. */
  kind?: 'Status';
  /** `'v1'` from the API server and in `Status` objects kube-rx synthesises; may be absent elsewhere. */
  apiVersion?: string;
  /** List metadata of the `Status` (usually empty `{}`); carries nothing useful for failures. */
  metadata?: Record<string, unknown>;
  /** `'Success'` or `'Failure'`. */
  status?: string;
  /** Human-readable description of the failure. */
  message?: string;
  /** Machine-readable reason, e.g. `NotFound`, `AlreadyExists`, `Conflict`, `Expired`, `Invalid`. */
  reason?: string;
  /** Extra data about the failure: the object it concerns and, for `Invalid`, the field causes. */
  details?: StatusDetails;
  /** The HTTP status code this `Status` stands for. */
  code: number;
}

/** `Status.details`: which object a failure concerns and why. */
export interface StatusDetails {
  /** Name of the object the failure concerns (e.g. the missing object of a `NotFound`). */
  name?: string;
  /** API group of that object; absent or `''` for the core group. */
  group?: string;
  /** Kind of that object, or its plural resource name (e.g. `configmaps` for `NotFound`). */
  kind?: string;
  /** UID of that object, when the server knows it (e.g. failed UID preconditions). */
  uid?: string;
  /** Field-level causes; present mainly for `Invalid` (422). */
  causes?: StatusCause[];
  /**
   * Seconds the client should wait before retrying, set by the server for some 429/5xx and
   * `ServerTimeout` failures. {@link ApiError.retryAfterSeconds} falls back to it when there is
   * no `Retry-After` header.
   */
  retryAfterSeconds?: number;
}

/** One cause of an `Invalid` (422) failure, e.g. `{ reason: 'FieldValueRequired', field: 'metadata.name' }`. */
export interface StatusCause {
  /** Machine-readable cause, e.g. `FieldValueRequired`, `FieldValueInvalid`, `FieldValueDuplicate`. */
  reason?: string;
  /** Human-readable explanation of this cause. */
  message?: string;
  /**
   * Path of the offending field, e.g. `metadata.name` or `spec.containers[0].image`; absent when
   * the cause does not concern one field.
   */
  field?: string;
}

/**
 * Whether `value` looks like a Kubernetes `Status` object.
 *
 * @example
 * ```ts
 * const body: unknown = JSON.parse(await response.text());
 * if (isStatus(body)) console.log(body.reason);
 * ```
 */
export function isStatus(value: unknown): value is Status {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { kind?: unknown; code?: unknown };
  return candidate.kind === 'Status' && typeof candidate.code === 'number';
}
