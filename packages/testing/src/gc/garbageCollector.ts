import type { KubeObject } from '@kube-rx/core';
import type { V1OwnerReference } from '@kubernetes/client-node';
import type { ApiContext } from '../operations/apiContext.js';
import { timestampNow } from '../operations/apiContext.js';
import { commitUpdate } from '../operations/commitUpdate.js';
import { deleteObject } from '../operations/deleteObject.js';
import { apiVersionOfDefinition } from '../resources/resourceDefinition.js';
import { StatusError } from '../status.js';
import type { ObjectStore } from '../store/objectStore.js';
import type { StoredObject } from '../store/storedObject.js';
import type { ChangeEvent } from '../watch/watchEvent.js';
import { DependentIndex, ownerUids, type DependentRef } from './dependentIndex.js';

/** The finalizer that holds an owner while its dependents are deleted (Foreground). */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

type Mutable = KubeObject & Record<string, unknown>;

/**
 * The garbage collector of `metadata.ownerReferences`, matching dependents to owners by uid as
 * the apiserver's controller does:
 * - Background (the default): once an owner is gone from the store, each dependent is deleted,
 *   unless another of its owners still exists; then only the reference is removed.
 * - Foreground: the owner gets the `foregroundDeletion` finalizer and a deletionTimestamp, its
 *   dependents are deleted (Foreground too), and the owner goes once no dependent with
 *   `blockOwnerDeletion: true` is left.
 * - Orphan: the dependents lose their references to the owner before it is deleted.
 *
 * Deterministic and quick: the work runs in a microtask right after the write that caused it,
 * so it is done before the client can see the DELETE's response, and watchers get the owner's
 * event before its dependents'. Dry runs collect nothing.
 */
export class GarbageCollector {
  private readonly index = new DependentIndex();
  // Owners in foreground deletion, by uid.
  private readonly foreground = new Map<string, DependentRef>();
  private readonly queue: (() => void)[] = [];
  private scheduled = false;
  private context: ApiContext | undefined;

  constructor(store: ObjectStore) {
    store.subscribe((event) => this.observe(event));
  }

  /** Starts collecting with the operations of `context` (whose store this watches). */
  start(context: ApiContext): void {
    this.context = context;
  }

  /** Orphan: removes every reference to `owner` from its dependents, at once. */
  orphanDependents(owner: StoredObject): void {
    const uid = owner.object.metadata?.uid ?? '';
    for (const ref of this.index.dependentsOf(uid)) this.removeReferences(ref, [uid]);
  }

  /**
   * Foreground: marks `owner` (finalizer, deletionTimestamp) and schedules the deletion of its
   * dependents. Returns the marked owner, or undefined when it has no dependents (then it is
   * deleted as usual).
   */
  startForegroundDeletion(owner: StoredObject): StoredObject | undefined {
    const context = this.requireContext();
    const uid = owner.object.metadata?.uid ?? '';
    if (this.index.dependentsOf(uid).length === 0) return undefined;
    const marked = owner.clone();
    const finalizers = marked.metadata?.finalizers ?? [];
    marked.metadata = {
      ...marked.metadata,
      finalizers: finalizers.includes(FOREGROUND_FINALIZER)
        ? finalizers
        : [...finalizers, FOREGROUND_FINALIZER],
      deletionTimestamp: marked.metadata?.deletionTimestamp ?? timestampNow(),
      deletionGracePeriodSeconds: 0,
    };
    const stored = context.store.replace(owner, marked);
    if (!context.store.simulating) {
      this.foreground.set(uid, refOf(stored));
      this.enqueue(() => {
        for (const ref of this.index.dependentsOf(uid)) this.collect(ref);
        this.finishForeground(uid);
      });
    }
    return stored;
  }

  private observe(event: ChangeEvent): void {
    this.index.apply(event);
    const uid = event.object.object.metadata?.uid ?? '';
    if (event.type === 'DELETED' && this.index.dependentsOf(uid).length > 0) {
      this.enqueue(() => {
        for (const ref of this.index.dependentsOf(uid)) this.collect(ref);
      });
    }
    const owners = new Set([
      ...ownerUids(event.previous?.object),
      ...ownerUids(event.object.object),
    ]);
    for (const owner of owners) {
      if (this.foreground.has(owner)) this.enqueue(() => this.finishForeground(owner));
    }
  }

  // A dependent one of whose owners is going: keep it if an owner remains (dropping the
  // references to the others), else delete it.
  private collect(ref: DependentRef): void {
    const context = this.requireContext();
    const dependent = context.store.get(ref.definition, ref.namespace, ref.name);
    if (dependent === undefined) return;
    const references = dependent.object.metadata?.ownerReferences ?? [];
    const states = references.map((reference) => this.ownerState(dependent, reference));
    const gone = references.filter((_, i) => states[i] !== 'solid').map((r) => r.uid);
    if (gone.length === 0) return;
    if (states.includes('solid')) {
      this.removeReferences(ref, gone);
      return;
    }
    const propagationPolicy = states.includes('waiting') ? 'Foreground' : 'Background';
    deleteObject(context, ref.definition, ref.namespace, ref.name, { propagationPolicy });
  }

  private ownerState(
    dependent: StoredObject,
    reference: V1OwnerReference,
  ): 'solid' | 'waiting' | 'absent' {
    const context = this.requireContext();
    const definition = context.registry
      .all()
      .find((d) => apiVersionOfDefinition(d) === reference.apiVersion && d.kind === reference.kind);
    if (definition === undefined) return 'absent';
    const namespace = definition.namespaced ? dependent.namespace : undefined;
    const owner = context.store.get(definition, namespace, reference.name);
    if (owner === undefined || owner.object.metadata?.uid !== reference.uid) return 'absent';
    const finalizers = owner.object.metadata?.finalizers ?? [];
    const deleting = owner.object.metadata?.deletionTimestamp !== undefined;
    return deleting && finalizers.includes(FOREGROUND_FINALIZER) ? 'waiting' : 'solid';
  }

  // The owner may go once no dependent that blocks it is left.
  private finishForeground(uid: string): void {
    const context = this.requireContext();
    const ref = this.foreground.get(uid);
    if (ref === undefined) return;
    const owner = context.store.get(ref.definition, ref.namespace, ref.name);
    const finalizers = owner?.object.metadata?.finalizers ?? [];
    if (owner?.object.metadata?.uid !== uid || !finalizers.includes(FOREGROUND_FINALIZER)) {
      this.foreground.delete(uid);
      return;
    }
    const blocked = this.index.dependentsOf(uid).some((dependentRef) => {
      const dependent = context.store.get(
        dependentRef.definition,
        dependentRef.namespace,
        dependentRef.name,
      );
      return (dependent?.object.metadata?.ownerReferences ?? []).some(
        (reference) => reference.uid === uid && reference.blockOwnerDeletion === true,
      );
    });
    if (blocked) return;
    this.foreground.delete(uid);
    const candidate = owner.clone() as Mutable;
    candidate.metadata = {
      ...candidate.metadata,
      finalizers: finalizers.filter((f) => f !== FOREGROUND_FINALIZER),
    };
    commitUpdate(context, owner, candidate, 'main');
  }

  private removeReferences(ref: DependentRef, uids: readonly string[]): void {
    const context = this.requireContext();
    const dependent = context.store.get(ref.definition, ref.namespace, ref.name);
    if (dependent === undefined) return;
    const candidate = dependent.clone() as Mutable;
    const kept = (candidate.metadata?.ownerReferences ?? []).filter((r) => !uids.includes(r.uid));
    candidate.metadata = { ...candidate.metadata, ownerReferences: kept };
    if (kept.length === 0) delete candidate.metadata.ownerReferences;
    commitUpdate(context, dependent, candidate, 'main');
  }

  private enqueue(job: () => void): void {
    this.queue.push(job);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
      try {
        job();
      } catch (error) {
        // A dependent that became invalid or undeletable (403) stays, as with the real collector.
        if (!(error instanceof StatusError)) throw error;
      }
    }
    this.scheduled = false;
  }

  private requireContext(): ApiContext {
    if (this.context === undefined) throw new Error('GarbageCollector used before start()');
    return this.context;
  }
}

function refOf(object: StoredObject): DependentRef {
  return { definition: object.definition, namespace: object.namespace, name: object.name };
}
