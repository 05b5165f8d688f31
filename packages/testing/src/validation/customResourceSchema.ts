import type { KubeObject } from '@kube-rx/core';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isPlainObject } from '../patch/mergePatch.js';
import { invalid, type FieldError, type StatusResource } from '../status.js';
import { openApiToJsonSchema } from './openApiToJsonSchema.js';
import { pruneUnknownFields } from './pruneUnknownFields.js';

// One validator for every schema. Kubernetes formats (int32, byte...) are not checked, and
// `x-kubernetes-*` keywords are left alone (strict: false).
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, validateFormats: false });

/**
 * A custom resource's `openAPIV3Schema`, compiled: {@link CustomResourceSchema.admit} prunes
 * unknown fields, applies `default`s and validates an object as the apiserver does on every
 * write, answering 422 Invalid with one cause per violation.
 *
 * @throws TypeError when the schema itself is not a valid schema.
 */
export class CustomResourceSchema {
  /** The schema as given (OpenAPI v3, as in a CRD). */
  readonly openApiSchema: Record<string, unknown>;
  private readonly validate: ValidateFunction;

  constructor(openApiSchema: Record<string, unknown>) {
    this.openApiSchema = openApiSchema;
    const schema = openApiToJsonSchema(openApiSchema);
    // metadata is checked by the server's own rules, never by the CRD's schema.
    if (isPlainObject(schema.properties)) {
      const { metadata: _metadata, ...properties } = schema.properties;
      schema.properties = properties;
    }
    try {
      this.validate = ajv.compile(schema);
    } catch (error) {
      throw new TypeError(`invalid openAPIV3Schema: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Prunes, defaults and validates `object` in place; throws a 422 StatusError when invalid. */
  admit(resource: StatusResource, object: KubeObject): void {
    pruneUnknownFields(object, this.openApiSchema);
    const { metadata, ...body } = object as KubeObject & Record<string, unknown>;
    if (this.validate(body)) {
      Object.assign(object, body, metadata === undefined ? {} : { metadata });
      return;
    }
    const errors = (this.validate.errors ?? [])
      .filter((error) => error.keyword !== 'if')
      .map((error) => fieldError(error, body));
    throw invalid(resource, object.metadata?.name ?? '', errors);
  }
}

function fieldError(error: ErrorObject, body: unknown): FieldError {
  const path = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const value = valueAt(body, error.instancePath);
  const shown = goValue(value);
  switch (error.keyword) {
    case 'required': {
      const field = [...path, String(params.missingProperty)];
      return { reason: 'FieldValueRequired', field: fieldPath(field), message: 'Required value' };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(goValue).join(', ');
      return {
        reason: 'FieldValueNotSupported',
        field: fieldPath(path),
        message: `Unsupported value: ${shown}: supported values: ${allowed}`,
      };
    }
    case 'maxLength':
      return {
        reason: 'FieldValueTooLong',
        field: fieldPath(path),
        message: `Too long: may not be longer than ${String(params.limit)}`,
      };
    case 'maxItems':
      return {
        reason: 'FieldValueTooMany',
        field: fieldPath(path),
        message: `Too many: ${Array.isArray(value) ? value.length : 0}: must have at most ${String(params.limit)} items`,
      };
    case 'type':
      return {
        reason: 'FieldValueTypeInvalid',
        field: fieldPath(path),
        message: `Invalid value: ${shown}: ${bodyPath(path)} in body must be of type ${String(params.type)}: ${shown}`,
      };
    default:
      return {
        reason: 'FieldValueInvalid',
        field: fieldPath(path),
        message: `Invalid value: ${shown}: ${bodyPath(path)} in body ${describe(error)}`,
      };
  }
}

// The apiserver's wording of the remaining keywords (kube-openapi's validate package).
function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const limit = String(params.limit);
  switch (error.keyword) {
    case 'minimum':
      return `should be greater than or equal to ${limit}`;
    case 'exclusiveMinimum':
      return `should be greater than ${limit}`;
    case 'maximum':
      return `should be less than or equal to ${limit}`;
    case 'exclusiveMaximum':
      return `should be less than ${limit}`;
    case 'minLength':
      return `should be at least ${limit} chars long`;
    case 'pattern':
      return `should match '${String(params.pattern)}'`;
    case 'minItems':
      return `should have at least ${limit} items`;
    case 'multipleOf':
      return `should be a multiple of ${String(params.multipleOf)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

function pathOf(instancePath: string): string[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `spec.items[0].name`, as field paths are written in causes. */
function fieldPath(path: readonly string[]): string {
  return path.reduce(
    (joined, part) =>
      /^\d+$/.test(part) ? `${joined}[${part}]` : joined === '' ? part : `${joined}.${part}`,
    '',
  );
}

function bodyPath(path: readonly string[]): string {
  return path.length === 0 ? 'body' : fieldPath(path);
}

function valueAt(body: unknown, instancePath: string): unknown {
  let value = body;
  for (const part of pathOf(instancePath)) {
    value = isPlainObject(value) || Array.isArray(value) ? (value as never)[part] : undefined;
  }
  return value;
}

// Go's %v/%q as the apiserver's messages print values: strings quoted, numbers plain.
function goValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return `"${Array.isArray(value) ? 'array' : 'object'}"`;
  return String(value);
}
