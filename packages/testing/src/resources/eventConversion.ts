import type { KubeObject } from '@kube-rx/core';
import { isPlainObject } from '../patch/mergePatch.js';

type Fields = Record<string, unknown>;

// ObjectReference fields in the order the apiserver serialises them.
const REFERENCE_ORDER = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion'];

/**
 * A core/v1 Event as events.k8s.io/v1 shows it, with the apiserver's field mapping:
 * `message` → `note`, `involvedObject` → `regarding`, `reportingComponent` →
 * `reportingController`, `source`/`count`/`firstTimestamp`/`lastTimestamp` →
 * `deprecatedSource`/`deprecatedCount`/`deprecatedFirstTimestamp`/`deprecatedLastTimestamp`;
 * `eventTime`, `series`, `action`, `reason`, `related`, `reportingInstance` and `type` keep their
 * names. Empty optional fields are left out and `eventTime`, `regarding`, `deprecatedSource` and
 * the deprecated timestamps are always present (`null`/`{}`), as the apiserver serialises them.
 * Metadata (uid, resourceVersion, managedFields...) is kept as it is.
 */
export function coreEventToEventsV1(event: KubeObject): KubeObject {
  const core = event as KubeObject & Fields;
  return compact({
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata: structuredClone(core.metadata ?? {}),
    eventTime: core.eventTime ?? null,
    series: series(core.series),
    reportingController: present(core.reportingComponent),
    reportingInstance: present(core.reportingInstance),
    action: present(core.action),
    reason: present(core.reason),
    regarding: reference(core.involvedObject) ?? {},
    related: reference(core.related),
    note: present(core.message),
    type: present(core.type),
    deprecatedSource: structuredClone(core.source ?? {}),
    deprecatedFirstTimestamp: core.firstTimestamp ?? null,
    deprecatedLastTimestamp: core.lastTimestamp ?? null,
    deprecatedCount: present(core.count),
  }) as KubeObject;
}

/**
 * An events.k8s.io/v1 Event as core/v1 shows it: the inverse of {@link coreEventToEventsV1}
 * (`note` → `message`, `regarding` → `involvedObject`, `reportingController` →
 * `reportingComponent`, the `deprecated*` fields → `source`/`count`/`firstTimestamp`/
 * `lastTimestamp`). `involvedObject`, `source`, the timestamps, `eventTime`,
 * `reportingComponent` and `reportingInstance` are always present (`{}`, `null` or `''`), as
 * the apiserver serialises a core Event.
 */
export function eventsV1ToCoreEvent(event: KubeObject): KubeObject {
  const v1 = event as KubeObject & Fields;
  return compact({
    kind: 'Event',
    apiVersion: 'v1',
    metadata: structuredClone(v1.metadata ?? {}),
    involvedObject: reference(v1.regarding) ?? {},
    reason: present(v1.reason),
    message: present(v1.note),
    source: structuredClone(v1.deprecatedSource ?? {}),
    firstTimestamp: v1.deprecatedFirstTimestamp ?? null,
    lastTimestamp: v1.deprecatedLastTimestamp ?? null,
    count: present(v1.deprecatedCount),
    type: present(v1.type),
    eventTime: v1.eventTime ?? null,
    series: series(v1.series),
    action: present(v1.action),
    related: reference(v1.related),
    reportingComponent: v1.reportingController ?? '',
    reportingInstance: v1.reportingInstance ?? '',
  }) as KubeObject;
}

// An omitted value of an `omitempty` field: absent, null, '' or 0.
function present(value: unknown): unknown {
  return value === undefined || value === null || value === '' || value === 0 ? undefined : value;
}

function series(value: unknown): Fields | undefined {
  if (!isPlainObject(value)) return undefined;
  return compact({ count: value.count, lastObservedTime: value.lastObservedTime });
}

function reference(value: unknown): Fields | undefined {
  if (!isPlainObject(value)) return undefined;
  const ordered: Fields = {};
  for (const key of REFERENCE_ORDER) if (value[key] !== undefined) ordered[key] = value[key];
  for (const [key, child] of Object.entries(value)) {
    if (!(key in ordered) && child !== undefined) ordered[key] = child;
  }
  return structuredClone(ordered);
}

// Drops the keys whose value is undefined (left out of the serialised object).
function compact(fields: Fields): Fields {
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}
