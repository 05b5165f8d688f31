import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import { notFound, tooLargeResourceVersion } from '../status.js';
import type { StoredObject } from '../store/storedObject.js';
import type { ApiContext } from './apiContext.js';

/** GET one object: 404 when missing, 504 for a `resourceVersion` the server has not reached. */
export function getObject(
  context: ApiContext,
  definition: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  query: Readonly<Record<string, string>> = {},
): StoredObject {
  const requested = query.resourceVersion;
  const current = context.store.currentResourceVersion;
  if (
    requested !== undefined &&
    requested !== '' &&
    requested !== '0' &&
    Number(requested) > current
  ) {
    throw tooLargeResourceVersion(requested, String(current));
  }
  const object = context.store.get(definition, namespace, name);
  if (object === undefined) throw notFound(definition, name);
  return object;
}
