import type { Status, StatusCause } from '@kube-rx/core';

/** What a Status needs to name a resource: its group, plural and kind. */
export interface StatusResource {
  group: string;
  plural: string;
  kind: string;
}

/**
 * A failed request on its way to the client: carries the Kubernetes `Status` body and any extra
 * response headers (e.g. `Retry-After`). Handlers throw it; the server turns it into a response.
 */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  readonly status: Status;
  readonly headers: Record<string, string>;

  constructor(status: Status, headers: Record<string, string> = {}) {
    super(status.message ?? `status ${status.code}`);
    this.status = status;
    this.headers = headers;
  }
}

/** `configmaps` for the core group, `leases.coordination.k8s.io` otherwise (as the apiserver writes it). */
export function qualifiedResource(resource: StatusResource): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

function qualifiedKind(resource: StatusResource): string {
  return resource.group === '' ? resource.kind : `${resource.kind}.${resource.group}`;
}

function failure(
  code: number,
  reason: string,
  message: string,
  details?: Status['details'],
  metadata: Record<string, unknown> = {},
): Status {
  // Keep the apiserver's key order: details sits between reason and code.
  const head = { kind: 'Status', apiVersion: 'v1', metadata, status: 'Failure', message, reason };
  return (details === undefined ? { ...head, code } : { ...head, details, code }) as Status;
}

function objectDetails(resource: StatusResource, name: string): NonNullable<Status['details']> {
  return resource.group === ''
    ? { name, kind: resource.plural }
    : { name, group: resource.group, kind: resource.plural };
}

/** 404 NotFound for a named object, e.g. `configmaps "x" not found`. */
export function notFound(resource: StatusResource, name: string): StatusError {
  return new StatusError(
    failure(
      404,
      'NotFound',
      `${qualifiedResource(resource)} "${name}" not found`,
      objectDetails(resource, name),
    ),
  );
}

/** 404 for a path or resource the server does not serve. */
export function pathNotFound(): StatusError {
  return new StatusError(
    failure(404, 'NotFound', 'the server could not find the requested resource', {}),
  );
}

/** 409 AlreadyExists on create. */
export function alreadyExists(resource: StatusResource, name: string): StatusError {
  return new StatusError(
    failure(
      409,
      'AlreadyExists',
      `${qualifiedResource(resource)} "${name}" already exists`,
      objectDetails(resource, name),
    ),
  );
}

/** The default Conflict detail: a stale resourceVersion. */
export const STALE_OBJECT_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 409 Conflict (optimistic concurrency or a failed precondition). */
export function conflict(
  resource: StatusResource,
  name: string,
  detail: string = STALE_OBJECT_MESSAGE,
): StatusError {
  return new StatusError(
    failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(resource)} "${name}": ${detail}`,
      objectDetails(resource, name),
    ),
  );
}

/** One field error of a 422 Invalid. */
export interface FieldError {
  reason:
    | 'FieldValueInvalid'
    | 'FieldValueRequired'
    | 'FieldValueForbidden'
    | 'FieldValueNotSupported'
    | 'FieldValueTooLong'
    | 'FieldValueTooMany'
    | 'FieldValueTypeInvalid';
  field: string;
  /** Message without the field prefix, e.g. `Required value: name or generateName is required`. */
  message: string;
}

/**
 * 422 Invalid with `details.causes`. `details.kind` is the Kind (not the plural) and the message
 * is `Kind "name" is invalid: field: message`, or a bracketed list when there are several.
 */
export function invalid(
  resource: StatusResource,
  name: string,
  errors: readonly FieldError[],
): StatusError {
  const unique = [...new Set(errors.map((e) => `${e.field}: ${e.message}`))];
  const summary = unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
  const causes: StatusCause[] = errors.map((e) => ({
    reason: e.reason,
    message: e.message,
    field: e.field,
  }));
  const details: NonNullable<Status['details']> = {};
  if (name !== '') details.name = name;
  if (resource.group !== '') details.group = resource.group;
  details.kind = resource.kind;
  details.causes = causes;
  return new StatusError(
    failure(422, 'Invalid', `${qualifiedKind(resource)} "${name}" is invalid: ${summary}`, details),
  );
}

/** 422 Invalid with the generic message the apiserver uses for a failed JSON patch. */
export function invalidPatch(): StatusError {
  return new StatusError(
    failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {}),
  );
}

/** 410 Expired, optionally with list metadata (a fresh continue token). */
export function expired(message: string, metadata: Record<string, unknown> = {}): StatusError {
  return new StatusError(failure(410, 'Expired', message, undefined, metadata));
}

/** 504 for a LIST/GET at a resourceVersion the server has not reached yet. */
export function tooLargeResourceVersion(requested: string, current: string): StatusError {
  return new StatusError(
    failure(
      504,
      'Timeout',
      `Timeout: Too large resource version: ${requested}, current: ${current}`,
      {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      },
    ),
  );
}

/** 415 for PATCH with `application/json`. */
export function unsupportedPatchMediaType(): StatusError {
  return new StatusError(failure(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {}));
}

/** 415 for a POST/PUT body in a media type the server does not decode (protobuf, CBOR). */
export function unsupportedBodyMediaType(): StatusError {
  return new StatusError(
    failure(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    ),
  );
}

/** 415 for a strategic merge patch on a custom resource (no details, as the apiserver sends it). */
export function strategicMergeNotSupported(): StatusError {
  return new StatusError(
    failure(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    ),
  );
}

/** 400 BadRequest. */
export function badRequest(message: string): StatusError {
  return new StatusError(failure(400, 'BadRequest', message));
}

/** 406 NotAcceptable: the client accepts only encodings this server cannot write (protobuf, CBOR). */
export function notAcceptable(): StatusError {
  return new StatusError(
    failure(
      406,
      'NotAcceptable',
      'only the following media types are accepted: application/json, application/yaml',
    ),
  );
}

/** 405 MethodNotAllowed. */
export function methodNotAllowed(): StatusError {
  return new StatusError(
    failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  );
}

/** 403 Forbidden for one object, e.g. `namespaces "default" is forbidden: this namespace may not be deleted`. */
export function forbidden(resource: StatusResource, name: string, reason: string): StatusError {
  return new StatusError(
    failure(
      403,
      'Forbidden',
      `${qualifiedResource(resource)} "${name}" is forbidden: ${reason}`,
      objectDetails(resource, name),
    ),
  );
}

/** 401 Unauthorized, as sent for a missing or wrong bearer token. */
export function unauthorized(): StatusError {
  return new StatusError(failure(401, 'Unauthorized', 'Unauthorized'));
}

const REASONS: Record<number, [reason: string, message: string]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'Unauthorized'],
  403: ['Forbidden', 'forbidden: the test server refused this request'],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  406: [
    'NotAcceptable',
    'the server was unable to respond with a content type that the client supports',
  ],
  409: ['Conflict', 'the server reported a conflict'],
  410: ['Expired', 'the resource has expired'],
  415: ['UnsupportedMediaType', '415: Unsupported Media Type'],
  422: ['Invalid', 'the server rejected our request due to an error in our request'],
  429: ['TooManyRequests', 'Too many requests, please try again later.'],
  500: ['InternalError', 'Internal error occurred: injected fault'],
  502: ['InternalError', 'Bad Gateway'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: ['Timeout', 'the server was unable to return a response in the time allotted'],
};

/**
 * A Status for an arbitrary HTTP code (used by injected faults): the reason and message the
 * apiserver uses for that code, with `details.retryAfterSeconds` and a `Retry-After` header when
 * `retryAfterSeconds` is given.
 */
export function statusForCode(code: number, retryAfterSeconds?: number): StatusError {
  const [reason, message] = REASONS[code] ?? [
    'Unknown',
    `the server responded with status ${code}`,
  ];
  const details = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return new StatusError(failure(code, reason, message, details), headers);
}

/** The `Status` a DELETE returns for resources that do not return the deleted object. */
export function deletedStatus(resource: StatusResource, name: string, uid: string): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { ...objectDetails(resource, name), uid },
  } as Status;
}
