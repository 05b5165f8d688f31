/**
 * The Kubernetes `Status` object (`kind: Status, apiVersion: v1`) that the API server sends
 * for every failed request and inside watch `ERROR` events.
 *
 * Only `code` is guaranteed; everything else is optional because proxies and older servers
 * may leave fields out.
 */
export interface Status {
  kind?: 'Status';
  apiVersion?: string;
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
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** One cause of an `Invalid` (422) failure, e.g. `{ reason: 'FieldValueRequired', field: 'metadata.name' }`. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/**
 * Whether `value` looks like a Kubernetes `Status` object.
 *
 * @example
 * ```ts
 * if (isStatus(body)) console.log(body.reason);
 * ```
 */
export function isStatus(value: unknown): value is Status {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { kind?: unknown; code?: unknown };
  return candidate.kind === 'Status' && typeof candidate.code === 'number';
}
