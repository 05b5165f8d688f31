import type { Quantity as ResourceQuantity } from 'kubernetes-types/api/resource.js';
import type {
  LabelSelector as MetaV1LabelSelector,
  ManagedFieldsEntry as MetaV1ManagedFieldsEntry,
  MicroTime as MetaV1MicroTime,
  ObjectMeta as MetaV1ObjectMeta,
  OwnerReference as MetaV1OwnerReference,
  Time as MetaV1Time,
} from 'kubernetes-types/meta/v1.js';
import type { Status } from '../errors/status.js';

/**
 * Object metadata as it is on the wire (`kubernetes-types`' `ObjectMeta`): `creationTimestamp`
 * and `deletionTimestamp` are RFC 3339 strings, not `Date`s — parse them with `new Date(...)`
 * when you need a date.
 */
export type ObjectMeta = MetaV1ObjectMeta;

/** A timestamp as on the wire: an RFC 3339 string with second precision, e.g. `2026-01-02T03:04:05Z`. */
export type Time = MetaV1Time;
/** A timestamp with microseconds as on the wire, e.g. `2026-01-02T03:04:05.123456Z` (Lease, events). */
export type MicroTime = MetaV1MicroTime;
/** A resource quantity as on the wire: a string such as `500m`, `1Gi` or `2`. */
export type Quantity = ResourceQuantity;
/** One entry of `metadata.ownerReferences` (see `ownerRef` / `controllerOwnerRef`). */
export type OwnerReference = MetaV1OwnerReference;
/** A label selector (`matchLabels` / `matchExpressions`). */
export type LabelSelector = MetaV1LabelSelector;
/** One entry of `metadata.managedFields` (server-side apply's field ownership). */
export type ManagedFieldsEntry = MetaV1ManagedFieldsEntry;

/**
 * Any Kubernetes object, as the server sends it: `apiVersion`, `kind` and wire-format
 * `metadata`. Every object type of an `Api<K>` extends it. client-node's model classes
 * (`ConfigMap`, ...) do not: their timestamps are typed `Date` but arrive as strings, so they
 * are rejected where a `KubeObject` is expected; use the wire types (`ConfigMap`, `Pod`, ...).
 */
export interface KubeObject {
  /** `v1`, `apps/v1`, `example.com/v1alpha1`, ...; absent on objects you build to create. */
  apiVersion?: string;
  /** `ConfigMap`, `Widget`, ...; absent on objects you build to create. */
  kind?: string;
  /** Name, namespace, labels, owners, resourceVersion, ... */
  metadata?: ObjectMeta;
}

/**
 * An object of a kind known only at run time (see `Api.discover`): the `KubeObject` fields are
 * typed, every other field is `unknown` until you check it.
 *
 * @example
 * ```ts
 * const object: DynamicObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } };
 * const spec = object.spec as { size?: number } | undefined;
 * ```
 */
export interface DynamicObject extends KubeObject {
  /** Any other top-level field (`spec`, `status`, `data`, ...). */
  [field: string]: unknown;
}

/** `resourceVersionMatch` values for LIST (and WATCH with `sendInitialEvents`). */
export type ResourceVersionMatch = 'Exact' | 'NotOlderThan';

/** Query parameters of a LIST. */
export interface ListParams {
  /** Label selector, e.g. `app=web,tier!=db` or `env in (prod,staging)`; absent: no filter. */
  labelSelector?: string;
  /**
   * Field selector, e.g. `metadata.name=app` or `status.phase!=Running`; only the fields the
   * resource supports (always `metadata.name` and `metadata.namespace`). Absent: no filter.
   */
  fieldSelector?: string;
  /** Page size; the server returns `metadata.continue` when more remain. */
  limit?: number;
  /** Continue token from the previous page. */
  continue?: string;
  /** `''`/absent: most recent (quorum read); `'0'`: any (served from cache). */
  resourceVersion?: string;
  /**
   * How `resourceVersion` is interpreted: `'NotOlderThan'` (at least that fresh) or `'Exact'`
   * (that version, usually with `limit`). Only valid with a `resourceVersion`; absent: the legacy
   * semantics described there.
   */
  resourceVersionMatch?: ResourceVersionMatch;
  /** Server-side limit for the LIST call, in seconds; absent: the server's default. */
  timeoutSeconds?: number;
}

/** Query parameters of a WATCH. */
export interface WatchParams {
  /** Label selector, e.g. `app=web,tier!=db` or `env in (prod,staging)`; absent: no filter. */
  labelSelector?: string;
  /**
   * Field selector, e.g. `metadata.name=app` or `status.phase!=Running`; only the fields the
   * resource supports (always `metadata.name` and `metadata.namespace`). Absent: no filter.
   */
  fieldSelector?: string;
  /** Start after this resourceVersion. */
  resourceVersion?: string;
  /**
   * Only with `sendInitialEvents: true`, and then must be `'NotOlderThan'`; leave it absent for
   * an ordinary watch.
   */
  resourceVersionMatch?: ResourceVersionMatch;
  /** Server-side duration of the watch; the server ends the stream cleanly after it. */
  timeoutSeconds?: number;
  /** Ask for BOOKMARK events that advance the resourceVersion. */
  allowWatchBookmarks?: boolean;
  /** Streaming list: synthetic ADDED events for the current state, then a BOOKMARK marked `k8s.io/initial-events-end`. */
  sendInitialEvents?: boolean;
}

/** Metadata of a list response. */
export interface ListMeta {
  /**
   * The collection's resourceVersion at the time of the LIST: start a WATCH from it to see every
   * change after the list. Absent only from non-conforming servers.
   */
  resourceVersion?: string;
  /**
   * Token for the next page (pass it as {@link ListParams.continue}); absent or `''` on the last
   * page. Expires after a few minutes (410 `Expired`).
   */
  continue?: string;
  /**
   * Estimated number of items still to come when paginating; absent when not paginating, on the
   * last page, or with selectors. Not exact.
   */
  remainingItemCount?: number;
}

/** A LIST response. */
export interface ObjectList<K> {
  /** As sent by the server, e.g. `v1` or `meta.k8s.io/v1` for metadata lists. */
  apiVersion?: string;
  /** As sent by the server, e.g. `ConfigMapList` or `PartialObjectMetadataList`. */
  kind?: string;
  /** Resource version and pagination state; `{}` when the server sent none. */
  metadata: ListMeta;
  /** The objects of this page (`[]` when the server sent `null` or nothing). */
  items: K[];
}

/**
 * One event of a WATCH stream, as the server sends it. `ERROR` carries a `Status` (e.g. 410
 * Expired); `BOOKMARK` carries an object with only `metadata.resourceVersion` (and annotations).
 */
export type WatchEvent<K> =
  | {
      /** What happened to the object. */
      type: 'ADDED' | 'MODIFIED' | 'DELETED';
      /** The object after the change; for `DELETED`, its last state (always has `metadata`). */
      object: K;
    }
  | {
      /** A progress marker, sent only with `allowWatchBookmarks`. */
      type: 'BOOKMARK';
      /** Only `kind`, `apiVersion` and `metadata.resourceVersion` (plus annotations) are set. */
      object: KubeObject;
    }
  | {
      /** The server reports a failure inside the stream; the stream usually ends right after. */
      type: 'ERROR';
      /** The failure, e.g. code 410 reason `Expired` when the resourceVersion is too old. */
      object: Status;
    };

/** A PartialObjectMetadata (what the server sends for `as=PartialObjectMetadata`). */
export interface PartialObjectMetadata extends KubeObject {
  /** The object's full metadata (name, namespace, labels, annotations, ownerReferences, ...). */
  metadata: ObjectMeta;
}

/** How a PATCH body is interpreted. */
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

/** One JSON Patch (RFC 6902) operation. */
export type JsonPatchOperation =
  | {
      /** `test` fails the whole patch (422) when `path` does not hold `value`. */
      op: 'add' | 'replace' | 'test';
      /** JSON Pointer (RFC 6901) to the target, e.g. `/metadata/labels/app`; `~1` escapes `/`. */
      path: string;
      /** The value to add, replace with, or compare against. */
      value: unknown;
    }
  | {
      /** Removes the value at `path`; fails when it does not exist. */
      op: 'remove';
      /** JSON Pointer (RFC 6901) to the value to remove. */
      path: string;
    }
  | {
      /** Moves or copies the value at `from` to `path`. */
      op: 'move' | 'copy';
      /** JSON Pointer (RFC 6901) to the source value. */
      from: string;
      /** JSON Pointer (RFC 6901) to the destination. */
      path: string;
    };

/** A PATCH body with its type. Build one with {@link Patch}. */
export type PatchBody =
  | {
      /** JSON Merge Patch (RFC 7386): `null` deletes a key, arrays are replaced whole. */
      type: 'merge';
      /** The partial object to merge, serialised as JSON. */
      body: unknown;
    }
  | {
      /** JSON Patch (RFC 6902): operations applied in order, all or nothing. */
      type: 'json';
      /** The operations. */
      body: JsonPatchOperation[];
    }
  | {
      /** Strategic merge patch: lists merge by key; builtin kinds only (custom resources: 415). */
      type: 'strategic';
      /** The partial object to merge, serialised as JSON. */
      body: unknown;
    }
  | {
      /** Server-side apply; needs {@link PostParams.fieldManager}. */
      type: 'apply';
      /** The fully specified intent of this field manager, serialised as JSON (valid YAML). */
      body: unknown;
    };

/**
 * Builders for PATCH bodies.
 *
 * @example
 * ```ts
 * api.patch('app', Patch.merge({ metadata: { labels: { tier: 'web' } } }));
 * api.patch('app', Patch.json([{ op: 'test', path: '/metadata/resourceVersion', value: '42' }]));
 * const desired = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app' }, data: { mode: 'fast' } };
 * api.patch('app', Patch.apply(desired), { fieldManager: 'my-operator', force: true });
 * ```
 */
export const Patch = {
  /** JSON Merge Patch (RFC 7386), `application/merge-patch+json`. */
  merge: (body: unknown): PatchBody => ({ type: 'merge', body }),
  /** JSON Patch (RFC 6902), `application/json-patch+json`. */
  json: (operations: JsonPatchOperation[]): PatchBody => ({ type: 'json', body: operations }),
  /** Strategic merge patch (builtin kinds only; custom resources answer 415). */
  strategic: (body: unknown): PatchBody => ({ type: 'strategic', body }),
  /** Server-side apply, `application/apply-patch+yaml`; needs `fieldManager`. */
  apply: (body: unknown): PatchBody => ({ type: 'apply', body }),
} as const;

/** Parameters of CREATE, UPDATE (replace) and PATCH. */
export interface PostParams {
  /**
   * `true`: the server validates and runs admission (`dryRun=All`) but persists nothing, and
   * answers with the object as it would have been. Default `false`.
   */
  dryRun?: boolean;
  /** Field manager name; required for apply patches. */
  fieldManager?: string;
}

/** Parameters of PATCH. */
export interface PatchParams extends PostParams {
  /** Apply patches only: take ownership of conflicting fields. */
  force?: boolean;
}

/** Parameters of DELETE. */
export interface DeleteParams {
  /** `true`: the server checks the deletion (`dryRun: ['All']`) but deletes nothing. Default `false`. */
  dryRun?: boolean;
  /**
   * Seconds the object may take to terminate (pods); `0` deletes immediately. Absent: the
   * object's own default (e.g. the pod's `terminationGracePeriodSeconds`).
   */
  gracePeriodSeconds?: number;
  /**
   * What happens to dependents (objects that list this one in `ownerReferences`): `'Orphan'`
   * keeps them, `'Background'` deletes them after the owner, `'Foreground'` deletes them before
   * the owner disappears. Absent: the resource's default (usually `'Background'`).
   */
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  /** Delete only if the object still matches; otherwise the server answers 409 `Conflict`. */
  preconditions?: {
    /** Expected `metadata.resourceVersion`: guards against deleting a newer version. */
    resourceVersion?: string;
    /** Expected `metadata.uid`: guards against deleting a re-created object of the same name. */
    uid?: string;
  };
}
