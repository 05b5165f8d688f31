import type { KubeObject } from '@kube-rx/core';
import { load, YAML11_SCHEMA } from 'js-yaml';
import { timestampNow, type ApiContext } from '../operations/apiContext.js';
import { commitUpdate } from '../operations/commitUpdate.js';
import { createObject } from '../operations/createObject.js';
import type { PatchRequest, PatchResult } from '../operations/patchObject.js';
import {
  apiVersionOfDefinition,
  type ResourceDefinition,
} from '../resources/resourceDefinition.js';
import { badRequest, StatusError } from '../status.js';
import { deleteAt, fromFieldsV1, leafFields, toFieldsV1, valueAt } from './managedFields.js';
import { deepEqual } from './jsonPatch.js';
import { isPlainObject } from './mergePatch.js';

interface ManagedEntry {
  manager: string;
  operation: string;
  apiVersion?: string;
  time?: string;
  fields: Set<string>;
}

/**
 * Server-side apply (`application/apply-patch+yaml`, parsed as YAML 1.1 like the apiserver):
 * creates the object when missing (201); otherwise merges the applied configuration, tracking
 * field ownership per manager in `metadata.managedFields` at leaf-field granularity (lists are
 * atomic). A field owned by another manager with a different value is a 409 FieldManagerConflict
 * unless `force=true` (then ownership moves). Fields this manager applied before and now omits
 * are removed unless another manager owns them. `fieldManager` is required (422).
 */
export function serverSideApply(
  context: ApiContext,
  definition: ResourceDefinition,
  request: PatchRequest,
): PatchResult {
  const manager = request.query.fieldManager;
  if (manager === undefined || manager === '') throw missingFieldManager();
  const applied = parseApplied(request.body);
  const force = request.query.force === 'true';
  const applyFields = leafFields(applied);
  const entry = (fields: Set<string>): Record<string, unknown> => ({
    manager,
    operation: 'Apply',
    apiVersion: apiVersionOfDefinition(definition),
    time: timestampNow(),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(fields),
  });
  const previous = context.store.get(definition, request.namespace, request.name);
  if (previous === undefined) {
    const metadata = isPlainObject(applied.metadata) ? applied.metadata : {};
    const object = {
      ...applied,
      metadata: { ...metadata, name: request.name, managedFields: [entry(applyFields)] },
    };
    return { object: createObject(context, definition, request.namespace, object), created: true };
  }
  const current = previous.clone() as KubeObject & Record<string, unknown>;
  const managers = readManagedFields(current);
  const conflicts = findConflicts(managers, manager, applyFields, applied, current);
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);
  for (const { owner, field } of conflicts) owner.fields.delete(field);
  const own = managers.find((m) => m.manager === manager && m.operation === 'Apply');
  for (const field of own?.fields ?? []) {
    if (applyFields.has(field)) continue;
    if (managers.some((m) => m !== own && m.fields.has(field))) continue;
    deleteAt(current, JSON.parse(field) as string[]);
  }
  const merged = mergeApplied(current, applied) as KubeObject & Record<string, unknown>;
  const entries = managers
    .filter((m) => m !== own && m.fields.size > 0)
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      time: m.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(m.fields),
    }));
  const position = own === undefined ? entries.length : managers.indexOf(own);
  entries.splice(Math.min(position, entries.length), 0, entry(applyFields) as never);
  merged.metadata = { ...merged.metadata, managedFields: entries as never };
  return { object: commitUpdate(context, previous, merged, request.target), created: false };
}

function parseApplied(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = load(body, { schema: YAML11_SCHEMA });
  } catch (error) {
    throw badRequest(`error decoding YAML: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed))
    throw badRequest('error decoding YAML: the applied configuration is not an object');
  return parsed;
}

function readManagedFields(object: KubeObject): ManagedEntry[] {
  const entries = object.metadata?.managedFields ?? [];
  return entries.map((e) => {
    const entry: ManagedEntry = {
      manager: e.manager ?? '',
      operation: e.operation ?? 'Update',
      fields: fromFieldsV1(e.fieldsV1),
    };
    if (e.apiVersion !== undefined) entry.apiVersion = e.apiVersion;
    if (e.time !== undefined) entry.time = e.time as unknown as string;
    return entry;
  });
}

interface Conflict {
  owner: ManagedEntry;
  field: string;
}

function findConflicts(
  managers: ManagedEntry[],
  manager: string,
  applyFields: Set<string>,
  applied: unknown,
  current: unknown,
): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const owner of managers) {
    if (owner.manager === manager) continue;
    for (const field of applyFields) {
      if (!owner.fields.has(field)) continue;
      const path = JSON.parse(field) as string[];
      if (!deepEqual(valueAt(applied, path), valueAt(current, path)))
        conflicts.push({ owner, field });
    }
  }
  return conflicts;
}

function conflictError(conflicts: Conflict[]): StatusError {
  const dotted = (field: string) => '.' + (JSON.parse(field) as string[]).join('.');
  const count = conflicts.length;
  const byOwner = new Map<string, string[]>();
  for (const { owner, field } of conflicts) {
    byOwner.set(owner.manager, [...(byOwner.get(owner.manager) ?? []), dotted(field)]);
  }
  const parts = [...byOwner].map(([owner, fields]) =>
    fields.length === 1
      ? `conflict with "${owner}": ${fields[0]}`
      : `conflicts with "${owner}":\n${fields.map((f) => `- ${f}`).join('\n')}`,
  );
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Apply failed with ${count} conflict${count === 1 ? '' : 's'}: ${parts.join('\n')}`,
    reason: 'Conflict',
    details: {
      causes: conflicts.map(({ owner, field }) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with "${owner.manager}"`,
        field: dotted(field),
      })),
    },
    code: 409,
  });
}

function missingFieldManager(): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message:
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    reason: 'Invalid',
    details: {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: is required for apply patch',
          field: 'fieldManager',
        },
      ],
    },
    code: 422,
  });
}

// Maps merge recursively; scalars and lists from the applied configuration replace.
function mergeApplied(current: unknown, applied: unknown): unknown {
  if (!isPlainObject(applied) || !isPlainObject(current)) return structuredClone(applied);
  const result: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(applied)) {
    result[key] = mergeApplied(result[key], value);
  }
  return result;
}
