import type { KubeObject } from '@kube-rx/core';
import { isPlainObject } from '../patch/mergePatch.js';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import { badRequest, invalid, type FieldError } from '../status.js';
import { crdResources } from '../resources/crdResources.js';
import { CustomResourceSchema } from './customResourceSchema.js';
import { validateDeployment } from './deploymentValidation.js';

const MICRO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{6})(Z|[+-]\d{2}:\d{2})$/;
const GO_MICRO_LAYOUT = '2006-01-02T15:04:05.000000Z07:00';

/**
 * The checks the apiserver makes for particular kinds, applied on every write:
 * - coordination.k8s.io Lease: `spec.acquireTime`/`spec.renewTime` are MicroTime (exactly six
 *   fractional digits; `Date.toISOString()` output is rejected with 400). Offsets become UTC.
 * - events.k8s.io Event: the required fields, in the apiserver's two rounds of 422 causes.
 * - apps/v1 Deployment: a selector that selects the pod template's labels.
 * - custom resources with a schema: pruning, defaults and validation (see CustomResourceSchema).
 *
 * Mutates `object` to its normalised form; throws a StatusError when invalid.
 */
export function validateKindSpecific(definition: ResourceDefinition, object: KubeObject): void {
  definition.schema?.admit(definition, object);
  if (definition.group === 'coordination.k8s.io' && definition.plural === 'leases') {
    validateLease(object as KubeObject & { spec?: Record<string, unknown> });
  } else if (definition.group === 'events.k8s.io' && definition.plural === 'events') {
    validateEventsV1(definition, object as KubeObject & Record<string, unknown>);
  } else if (definition.group === 'apps' && definition.plural === 'deployments') {
    validateDeployment(definition, object);
  } else if (definition.group === 'apiextensions.k8s.io') {
    validateCrdSchemas(definition, object);
  }
}

function validateLease(lease: KubeObject & { spec?: Record<string, unknown> }): void {
  const spec = lease.spec;
  if (!isPlainObject(spec)) return;
  for (const [field, goField] of [
    ['acquireTime', 'AcquireTime'],
    ['renewTime', 'RenewTime'],
  ] as const) {
    const value = spec[field];
    if (value === undefined || value === null) continue;
    const normalised = typeof value === 'string' ? normaliseMicroTime(value) : undefined;
    if (normalised === undefined) {
      throw badRequest(
        `Lease in version "v1" cannot be handled as a Lease: v1.Lease.Spec: v1.LeaseSpec.${goField}: unmarshalerDecoder: parsing time ${JSON.stringify(value)} as "${GO_MICRO_LAYOUT}"`,
      );
    }
    spec[field] = normalised;
  }
}

/** A MicroTime in UTC (`...45.234245Z`), or undefined when `value` is not one. */
export function normaliseMicroTime(value: string): string | undefined {
  const match = MICRO_TIME.exec(value);
  if (match === null) return undefined;
  const [, base, micros, zone] = match;
  if (zone === 'Z') return value;
  const millis = Date.parse(`${base}.${micros?.slice(0, 3)}${zone}`);
  if (Number.isNaN(millis)) return undefined;
  return new Date(millis).toISOString().slice(0, 19) + `.${micros}Z`;
}

// A CRD whose schema cannot be compiled is refused before it is stored.
function validateCrdSchemas(definition: ResourceDefinition, crd: KubeObject): void {
  const errors: FieldError[] = [];
  crdResources(crd).forEach((config, index) => {
    if (config.schema === undefined) return;
    try {
      new CustomResourceSchema(config.schema);
    } catch (error) {
      errors.push({
        reason: 'FieldValueInvalid',
        field: `spec.versions[${index}].schema.openAPIV3Schema`,
        message: `Invalid value: "object": ${(error as Error).message}`,
      });
    }
  });
  if (errors.length > 0) throw invalid(definition, crd.metadata?.name ?? '', errors);
}

const QUALIFIED_NAME_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function validateEventsV1(
  served: ResourceDefinition,
  event: KubeObject & Record<string, unknown>,
): void {
  // events.k8s.io Events are stored as core Events: validation errors name the core kind.
  const definition = { ...served, group: '' };
  const name = event.metadata?.name ?? '';
  const first: FieldError[] = [];
  const series = event.series;
  if (isPlainObject(series)) {
    if (typeof series.count !== 'number' || series.count < 2) {
      first.push({
        reason: 'FieldValueInvalid',
        field: 'series.count',
        message: 'Invalid value: "": should be at least 2',
      });
    }
    if (series.lastObservedTime === undefined || series.lastObservedTime === null) {
      first.push({
        reason: 'FieldValueRequired',
        field: 'series.lastObservedTime',
        message: 'Required value',
      });
    }
  }
  if (event.eventTime === undefined || event.eventTime === null) {
    first.push({ reason: 'FieldValueRequired', field: 'eventTime', message: 'Required value' });
  }
  if (first.length > 0) throw invalid(definition, name, first);
  const second: FieldError[] = [];
  const controller = typeof event.reportingController === 'string' ? event.reportingController : '';
  if (controller === '') {
    second.push(
      { reason: 'FieldValueRequired', field: 'reportingController', message: 'Required value' },
      {
        reason: 'FieldValueInvalid',
        field: 'reportingController',
        message: 'Invalid value: "": name part must be non-empty',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'reportingController',
        message: `Invalid value: "": ${QUALIFIED_NAME_MESSAGE}`,
      },
    );
  }
  for (const field of ['reportingInstance', 'action', 'reason'] as const) {
    if (typeof event[field] !== 'string' || event[field] === '') {
      second.push({ reason: 'FieldValueRequired', field, message: 'Required value' });
    }
  }
  if (event.type !== 'Normal' && event.type !== 'Warning') {
    const type = typeof event.type === 'string' ? event.type : '';
    second.push({
      reason: 'FieldValueInvalid',
      field: 'type',
      message: `Invalid value: "${type}": has invalid value: ${type}`,
    });
  }
  if (second.length > 0) throw invalid(definition, name, second);
  event.deprecatedSource ??= {};
  event.deprecatedFirstTimestamp ??= null;
  event.deprecatedLastTimestamp ??= null;
}
