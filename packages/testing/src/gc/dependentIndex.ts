import type { KubeObject } from '@kube-rx/core';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import { storageKey } from '../store/storageViews.js';
import type { StoredObject } from '../store/storedObject.js';
import type { ChangeEvent } from '../watch/watchEvent.js';

/** Where a dependent is stored. */
export interface DependentRef {
  readonly definition: ResourceDefinition;
  readonly namespace: string | undefined;
  readonly name: string;
}

/**
 * Owner uid → the objects whose `metadata.ownerReferences` name it, kept up to date from the
 * store's change events, so finding an owner's dependents does not scan the store. Objects
 * without owner references cost nothing.
 */
export class DependentIndex {
  private readonly byOwner = new Map<string, Map<string, DependentRef>>();

  /** Updates the index after one write. */
  apply(event: ChangeEvent): void {
    const before = ownerUids(event.previous?.object);
    const after = event.type === 'DELETED' ? [] : ownerUids(event.object.object);
    if (before.length === 0 && after.length === 0) return;
    const key = dependentKey(event.object);
    for (const uid of before) {
      if (after.includes(uid)) continue;
      const dependents = this.byOwner.get(uid);
      dependents?.delete(key);
      if (dependents?.size === 0) this.byOwner.delete(uid);
    }
    const ref: DependentRef = {
      definition: event.object.definition,
      namespace: event.object.namespace,
      name: event.object.name,
    };
    for (const uid of after) {
      let dependents = this.byOwner.get(uid);
      if (dependents === undefined) this.byOwner.set(uid, (dependents = new Map()));
      dependents.set(key, ref);
    }
  }

  /** The objects that name `ownerUid` as an owner, in no particular order. */
  dependentsOf(ownerUid: string): DependentRef[] {
    return [...(this.byOwner.get(ownerUid)?.values() ?? [])];
  }
}

/** The uids an object's `ownerReferences` name. */
export function ownerUids(object: KubeObject | undefined): string[] {
  return (object?.metadata?.ownerReferences ?? []).map((reference) => reference.uid);
}

// Keyed by storage: an Event is one dependent whichever Event API last wrote it.
function dependentKey(object: StoredObject): string {
  return `${storageKey(object.definition)}/${object.key}`;
}
