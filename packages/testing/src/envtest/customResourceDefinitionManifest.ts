import type { KubeObject } from '@kube-rx/core';
import {
  customResourceDefinition,
  type CustomResourceConfig,
} from '../resources/resourceDefinition.js';

/**
 * The apiextensions.k8s.io/v1 CustomResourceDefinition that serves `config` the way the
 * in-memory server's `registerCustomResource` does: one served and stored version whose schema
 * keeps every field (`x-kubernetes-preserve-unknown-fields`), the status subresource when asked.
 * Bad config throws `TypeError`, as in the in-memory server.
 */
export function customResourceDefinitionManifest(config: CustomResourceConfig): KubeObject {
  const definition = customResourceDefinition(config);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${definition.plural}.${definition.group}` },
    spec: {
      group: definition.group,
      scope: definition.namespaced ? 'Namespaced' : 'Cluster',
      names: {
        plural: definition.plural,
        singular: definition.singular,
        kind: definition.kind,
        listKind: definition.listKind,
        ...(definition.shortNames.length > 0 ? { shortNames: [...definition.shortNames] } : {}),
      },
      versions: [
        {
          name: definition.version,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
          ...(definition.statusSubresource ? { subresources: { status: {} } } : {}),
        },
      ],
    },
  } as KubeObject;
}
