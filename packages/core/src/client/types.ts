import type { KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';
import type { Status } from '../errors/status.js';

/** Any Kubernetes object: client-node's `KubernetesObject` (`apiVersion`, `kind`, `metadata`). */
export type KubeObject = KubernetesObject;

/** Object metadata (client-node's `V1ObjectMeta`). */
export type ObjectMeta = V1ObjectMeta;

/** `resourceVersionMatch` values for LIST (and WATCH with `sendInitialEvents`). */
export type ResourceVersionMatch = 'Exact' | 'NotOlderThan';

/** Query parameters of a LIST. */
export interface ListParams {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; the server returns `metadata.continue` when more remain. */
  limit?: number;
  /** Continue token from the previous page. */
  continue?: string;
  /** `''`/absent: most recent (quorum read); `'0'`: any (served from cache). */
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  timeoutSeconds?: number;
}

/** Query parameters of a WATCH. */
export interface WatchParams {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this resourceVersion. */
  resourceVersion?: string;
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
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A LIST response. */
export interface ObjectList<K> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: K[];
}

/**
 * One event of a WATCH stream, as the server sends it. `ERROR` carries a `Status` (e.g. 410
 * Expired); `BOOKMARK` carries an object with only `metadata.resourceVersion` (and annotations).
 */
export type WatchEvent<K> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: K }
  | { type: 'BOOKMARK'; object: KubeObject }
  | { type: 'ERROR'; object: Status };

/** A PartialObjectMetadata (what the server sends for `as=PartialObjectMetadata`). */
export interface PartialObjectMetadata extends KubeObject {
  metadata: ObjectMeta;
}

/** How a PATCH body is interpreted. */
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

/** One JSON Patch (RFC 6902) operation. */
export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** A PATCH body with its type. Build one with {@link Patch}. */
export type PatchBody =
  | { type: 'merge'; body: unknown }
  | { type: 'json'; body: JsonPatchOperation[] }
  | { type: 'strategic'; body: unknown }
  | { type: 'apply'; body: unknown };

/**
 * Builders for PATCH bodies.
 *
 * @example
 * ```ts
 * api.patch('app', Patch.merge({ metadata: { labels: { tier: 'web' } } }));
 * api.patch('app', Patch.json([{ op: 'test', path: '/metadata/resourceVersion', value: '42' }]));
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
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { resourceVersion?: string; uid?: string };
}
