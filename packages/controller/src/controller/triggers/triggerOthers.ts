import { objectRef, type ApiResource, type KubeObject, type ObjectRef } from '@kube-rx/core';
import type { WatcherEvent } from '@kube-rx/watcher';
import type { OperatorFunction } from 'rxjs';
import { ReconcileReason, type ReconcileRequest } from '../reconcileReason.js';
import { relatedTrigger } from './relatedTrigger.js';

/** What a {@link triggerOthers} mapper returns: the objects to reconcile, or none. */
export type TriggerMapperResult = ObjectRef | Iterable<ObjectRef> | undefined | null;

/**
 * The trigger of related objects by a mapping of your own (kube-runtime's `trigger_others` /
 * `trigger_with`): every watcher event of the related kind requests a reconcile of each ref that
 * `mapper` returns for its object (reason `RelatedObjectUpdated`, with the object as `related`).
 *
 * Beyond a plain mapping: when an object's mapping changes, the refs it mapped to before are
 * triggered once more; a (re)list triggers at its `InitDone`; and an object deleted while the
 * watch was down (missing from the relist) triggers its last mapped refs. For that it
 * remembers the last refs of every object that mapped to any.
 *
 * `mapper` must be pure and cheap: it runs once per event. A mapper that throws errors the stream.
 *
 * @example
 * ```ts
 * // Reconcile every Widget named in a Secret's `example.com/widget` annotation.
 * const requests$ = watcher(secrets).pipe(
 *   defaultBackoff(),
 *   triggerOthers((secret) => {
 *     const name = secret.metadata?.annotations?.['example.com/widget'];
 *     return name ? { name, namespace: secret.metadata?.namespace ?? 'default' } : undefined;
 *   }),
 * );
 * ```
 */
export function triggerOthers<O extends KubeObject>(
  mapper: (object: O) => TriggerMapperResult,
  relatedResource?: ApiResource,
): OperatorFunction<WatcherEvent<O>, ReconcileRequest> {
  if (typeof mapper !== 'function') throw new TypeError('triggerOthers: mapper must be a function');
  return relatedTrigger<O>((object) => {
    if (!object.metadata?.name) return [];
    const mapped = mapper(object);
    if (mapped === undefined || mapped === null) return [];
    const refs = isIterable(mapped) ? [...mapped] : [mapped];
    if (refs.length === 0) return [];
    const related = objectRef(object);
    if (!related.kind && relatedResource) related.kind = relatedResource.kind;
    const reason = ReconcileReason.relatedObjectUpdated(related);
    return refs.map((ref): ReconcileRequest => ({ ref, reason }));
  });
}

function isIterable(value: unknown): value is Iterable<ObjectRef> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}
