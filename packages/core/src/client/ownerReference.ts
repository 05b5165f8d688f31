import { apiVersionOf, type ApiResource } from './apiResource.js';
import type { KubeObject, OwnerReference } from './types.js';

/**
 * An `ownerReferences` entry pointing at `owner`: dependents listing it are garbage-collected
 * with it, and `Controller.owns` maps their changes back to it. `apiVersion`/`kind` come from the
 * owner, or from `resource` when the owner lacks them (items of a LIST often do).
 * `blockOwnerDeletion` is left out (see {@link controllerOwnerRef}).
 *
 * @throws TypeError when the owner has no `metadata.name` or `metadata.uid` (an object not read
 *   from the server), or neither it nor `resource` gives `apiVersion` and `kind`.
 *
 * @example
 * ```ts
 * const ref = ownerRef(widget, WidgetResource); // { apiVersion: 'example.com/v1', kind: 'Widget', name, uid }
 * ```
 */
export function ownerRef(owner: KubeObject, resource?: ApiResource): OwnerReference {
  const name = owner?.metadata?.name;
  const uid = owner?.metadata?.uid;
  if (!name || !uid) {
    throw new TypeError(
      'ownerRef: the owner needs metadata.name and metadata.uid (read it from the server)',
    );
  }
  const apiVersion = owner.apiVersion || (resource ? apiVersionOf(resource) : undefined);
  const kind = owner.kind || resource?.kind;
  if (!apiVersion || !kind) {
    throw new TypeError('ownerRef: the owner has no apiVersion/kind; pass its resource');
  }
  return { apiVersion, kind, name, uid };
}

/**
 * The controller reference to `owner` (`controller: true`, `blockOwnerDeletion: true`): at most
 * one per object, it says which controller manages the object (`triggerOwners(..., {
 * controllerOnly: true })` follows only it), and foreground deletion of the owner waits for the
 * dependent. Same inputs and errors as {@link ownerRef}.
 *
 * @example
 * ```ts
 * const desired = { metadata: { name: 'w1-config', ownerReferences: [controllerOwnerRef(widget, WidgetResource)] }, data: {} };
 * ```
 */
export function controllerOwnerRef(owner: KubeObject, resource?: ApiResource): OwnerReference {
  return { ...ownerRef(owner, resource), controller: true, blockOwnerDeletion: true };
}
