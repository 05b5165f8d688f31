import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import { badRequest, conflict, invalid, notFound } from '../status.js';
import type { StoredObject } from '../store/storedObject.js';
import type { ApiContext } from './apiContext.js';
import { commitUpdate, type WriteTarget } from './commitUpdate.js';
import { prepareNew } from './createObject.js';

/**
 * PUT: replaces an object. 404 when missing (no create-on-update); 409 Conflict when
 * `metadata.resourceVersion` is stale; without one, an unconditional update for built-in kinds
 * and 422 for custom resources (as the apiserver does); 400 when the body names another object.
 */
export function updateObject(
  context: ApiContext,
  definition: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  body: unknown,
  target: WriteTarget,
): StoredObject {
  const previous = context.store.get(definition, namespace, name);
  if (previous === undefined) throw notFound(definition, name);
  const candidate = prepareNew(definition, namespace, body);
  const bodyName = candidate.metadata?.name;
  if (bodyName !== undefined && bodyName !== name) {
    throw badRequest(
      `the name of the object (${bodyName}) does not match the name on the URL (${name})`,
    );
  }
  const resourceVersion = candidate.metadata?.resourceVersion;
  if (resourceVersion === undefined || resourceVersion === '') {
    if (definition.custom) {
      throw invalid(definition, name, [
        {
          reason: 'FieldValueInvalid',
          field: 'metadata.resourceVersion',
          message: 'Invalid value: 0x0: must be specified for an update',
        },
      ]);
    }
  } else if (resourceVersion !== previous.resourceVersion) {
    throw conflict(definition, name);
  }
  return commitUpdate(context, previous, candidate, target);
}
