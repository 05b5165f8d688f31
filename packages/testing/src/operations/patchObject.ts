import type { KubeObject } from '@kube-rx/core';
import { jsonPatch } from '../patch/jsonPatch.js';
import { isPlainObject, mergePatch } from '../patch/mergePatch.js';
import { serverSideApply } from '../patch/serverSideApply.js';
import { strategicMergePatch } from '../patch/strategicMergePatch.js';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import {
  badRequest,
  conflict,
  invalidPatch,
  notFound,
  strategicMergeNotSupported,
  unsupportedPatchMediaType,
} from '../status.js';
import type { StoredObject } from '../store/storedObject.js';
import type { ApiContext } from './apiContext.js';
import { commitUpdate, type WriteTarget } from './commitUpdate.js';

/** The result of a PATCH: the object to return, and whether an apply created it (201). */
export interface PatchResult {
  readonly object: StoredObject;
  readonly created: boolean;
}

/** A PATCH request. */
export interface PatchRequest {
  readonly namespace: string | undefined;
  readonly name: string;
  readonly contentType: string;
  readonly body: string;
  readonly query: Readonly<Record<string, string>>;
  readonly target: WriteTarget;
}

/**
 * PATCH by Content-Type: `application/merge-patch+json`, `application/json-patch+json` (422 on a
 * failed `test` or a missing path), `application/strategic-merge-patch+json` (built-in kinds;
 * 415 for custom resources), `application/apply-patch+yaml` (server-side apply, may create);
 * anything else (e.g. `application/json`) is 415. A `metadata.resourceVersion` left in the result
 * is a precondition (409 when stale).
 */
export function patchObject(
  context: ApiContext,
  definition: ResourceDefinition,
  request: PatchRequest,
): PatchResult {
  const mediaType = request.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/apply-patch+yaml') {
    return serverSideApply(context, definition, request);
  }
  const apply = patchFunction(mediaType, definition);
  const previous = context.store.get(definition, request.namespace, request.name);
  if (previous === undefined) throw notFound(definition, request.name);
  let patch: unknown;
  try {
    patch = JSON.parse(request.body);
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message}`);
  }
  const patched = apply(previous.clone(), patch);
  if (!isPlainObject(patched)) throw invalidPatch();
  const candidate = patched as KubeObject & Record<string, unknown>;
  const resourceVersion = candidate.metadata?.resourceVersion;
  if (resourceVersion !== undefined && resourceVersion !== previous.resourceVersion) {
    throw conflict(definition, request.name);
  }
  return { object: commitUpdate(context, previous, candidate, request.target), created: false };
}

function patchFunction(
  mediaType: string,
  definition: ResourceDefinition,
): (target: unknown, patch: unknown) => unknown {
  switch (mediaType) {
    case 'application/merge-patch+json':
      return mergePatch;
    case 'application/json-patch+json':
      return jsonPatch;
    case 'application/strategic-merge-patch+json':
      if (definition.custom) throw strategicMergeNotSupported();
      return (target, patch) => strategicMergePatch(target, patch);
    default:
      throw unsupportedPatchMediaType();
  }
}
