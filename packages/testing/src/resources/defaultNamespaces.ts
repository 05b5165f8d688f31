import type { ApiContext } from '../operations/apiContext.js';
import { createObject } from '../operations/createObject.js';

/** The namespaces a fresh cluster has, in the order the apiserver's bootstrap creates them. */
export const DEFAULT_NAMESPACES: readonly string[] = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

/** Namespaces the apiserver refuses to delete (403 Forbidden). */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set([
  'default',
  'kube-system',
  'kube-public',
]);

/** Creates {@link DEFAULT_NAMESPACES} that do not exist yet. */
export function createDefaultNamespaces(context: ApiContext): void {
  const namespaces = context.registry.find('', 'v1', 'namespaces');
  if (namespaces === undefined) return;
  for (const name of DEFAULT_NAMESPACES) {
    if (context.store.get(namespaces, undefined, name) !== undefined) continue;
    createObject(context, namespaces, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
  }
}
