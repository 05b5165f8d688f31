import type { KubeObject } from '@kube-rx/core';
import { isPlainObject } from '../patch/mergePatch.js';
import { deepEqual } from '../patch/jsonPatch.js';
import { crdResources } from '../resources/crdResources.js';
import { invalid } from '../status.js';
import { canonicalObject } from '../store/canonicalObject.js';
import { StoredObject } from '../store/storedObject.js';
import { validateKindSpecific } from '../validation/kindValidation.js';
import type { ApiContext } from './apiContext.js';

type Mutable = KubeObject & Record<string, unknown>;

/** Which part of the object a write targets. */
export type WriteTarget = 'main' | 'status';

/**
 * The shared end of PUT and PATCH: turns the candidate into the next stored version of
 * `previous` following the apiserver's rules and stores it.
 * - Server-owned metadata (uid, creationTimestamp, deletionTimestamp, generation...) is kept.
 * - With a status subresource, main writes keep the old `.status` and `/status` writes change
 *   only `.status`.
 * - `generation` +1 when anything but metadata and status changed (kinds that track it).
 * - No new finalizers once `deletionTimestamp` is set (422); removing the last one deletes the
 *   object (the response is the object with its old resourceVersion, watchers get DELETED).
 * - A write that changes nothing stores nothing (same resourceVersion, no event).
 *
 * Returns what the response carries.
 */
export function commitUpdate(
  context: ApiContext,
  previous: StoredObject,
  candidate: Mutable,
  target: WriteTarget,
): StoredObject {
  const definition = previous.definition;
  const old = previous.object as Mutable;
  const next = target === 'status' ? statusOnly(old, candidate) : candidate;
  if (target === 'main' && definition.statusSubresource) {
    if (old.status === undefined) delete next.status;
    else next.status = structuredClone(old.status);
  }
  Object.assign(next, { kind: old.kind, apiVersion: old.apiVersion });
  const oldMeta = (old.metadata ?? {}) as Record<string, unknown>;
  const meta: Record<string, unknown> = isPlainObject(next.metadata) ? { ...next.metadata } : {};
  for (const key of [
    'name',
    'namespace',
    'uid',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'generation',
    'resourceVersion',
  ]) {
    if (oldMeta[key] === undefined) delete meta[key];
    else meta[key] = oldMeta[key];
  }
  if (Array.isArray(meta.finalizers) && meta.finalizers.length === 0) delete meta.finalizers;
  Object.assign(next, { metadata: meta });
  const terminating = oldMeta.deletionTimestamp !== undefined;
  if (terminating) rejectNewFinalizers(previous, meta);
  validateKindSpecific(definition, next);
  if (
    definition.tracksGeneration &&
    !deepEqual(withoutMetaAndStatus(old), withoutMetaAndStatus(next))
  ) {
    meta.generation = (typeof oldMeta.generation === 'number' ? oldMeta.generation : 0) + 1;
  }
  const canonical = canonicalObject(next, definition.custom);
  if (JSON.stringify(canonical) === previous.json) return previous;
  if (terminating && meta.finalizers === undefined) {
    context.store.remove(previous);
    return new StoredObject(canonical, definition);
  }
  const stored = context.store.replace(previous, next);
  if (definition.group === 'apiextensions.k8s.io' && !context.store.simulating) {
    // An updated CRD serves its new versions, scope and schemas from now on.
    for (const config of crdResources(stored.object)) context.registry.register(config);
  }
  return stored;
}

function statusOnly(old: Mutable, candidate: Mutable): Mutable {
  const next = structuredClone(old);
  if (candidate.status === undefined) delete next.status;
  else next.status = candidate.status;
  return next;
}

function withoutMetaAndStatus(object: Mutable): Record<string, unknown> {
  const { metadata: _metadata, status: _status, ...rest } = object;
  return rest;
}

function rejectNewFinalizers(previous: StoredObject, meta: Record<string, unknown>): void {
  const before = new Set(previous.object.metadata?.finalizers ?? []);
  const after = Array.isArray(meta.finalizers) ? (meta.finalizers as unknown[]).map(String) : [];
  const added = after.filter((f) => !before.has(f));
  if (added.length === 0) return;
  const message = `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`;
  const cause = { reason: 'FieldValueForbidden', field: 'metadata.finalizers', message } as const;
  // The apiserver reports this cause twice (generic and per-kind validation both catch it).
  throw invalid(previous.definition, previous.name, [cause, cause]);
}
