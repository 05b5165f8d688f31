import type { KubeObject } from '@kube-rx/core';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from '../resources/eventConversion.js';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import { canonicalObject } from './canonicalObject.js';
import { StoredObject } from './storedObject.js';

// Converted views of stored objects, built once per object and API.
const views = new WeakMap<StoredObject, Map<string, StoredObject>>();

/**
 * The storage a resource's objects live in. Resources served through more than one API share
 * one: core/v1 `events` and events.k8s.io/v1 `events` are the same objects (one uid, one
 * resourceVersion), each API showing them in its own shape. Every other resource is stored on
 * its own, keyed by group and plural (so re-registering a custom resource keeps its objects).
 */
export function storageKey(definition: ResourceDefinition): string {
  if (isEvents(definition)) return '/events';
  return `${definition.group}/${definition.plural}`;
}

/**
 * `stored` as `definition`'s API shows it: itself when it was written through that API (or the
 * resources do not share storage), else its conversion, built once and cached.
 */
export function viewAs(stored: StoredObject, definition: ResourceDefinition): StoredObject {
  const from = stored.definition;
  if (from.group === definition.group && from.plural === definition.plural) return stored;
  if (storageKey(from) !== storageKey(definition)) return stored;
  const key = `${definition.group}/${definition.plural}`;
  let cached = views.get(stored);
  const existing = cached?.get(key);
  if (existing !== undefined) return existing;
  const converted = convert(stored.object, definition);
  const view = new StoredObject(canonicalObject(converted, definition.custom), definition);
  if (cached === undefined) views.set(stored, (cached = new Map()));
  cached.set(key, view);
  return view;
}

function convert(object: KubeObject, to: ResourceDefinition): KubeObject {
  return to.group === 'events.k8s.io' ? coreEventToEventsV1(object) : eventsV1ToCoreEvent(object);
}

function isEvents(definition: ResourceDefinition): boolean {
  return (
    !definition.custom &&
    definition.plural === 'events' &&
    (definition.group === '' || definition.group === 'events.k8s.io')
  );
}
