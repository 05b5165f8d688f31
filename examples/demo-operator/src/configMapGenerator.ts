import { defineCustomResource, Type, type ObjectOf, type Static } from '@kube-rx/core';
import { conditionsSchema } from '@kube-rx/controller';

const spec = Type.Object({
  data: Type.Record(Type.String(), Type.String(), {
    description:
      'Keys and values of every generated ConfigMap. Keys must be valid ConfigMap keys ([-._a-zA-Z0-9]+); the operator reports an invalid key as a Ready=False condition with reason InvalidSpec instead of retrying.',
  }),
  replicas: Type.Optional(
    Type.Integer({
      description: 'How many ConfigMaps to generate, named <name>-0 ... <name>-<replicas-1>.',
      minimum: 1,
      maximum: 10,
      default: 1,
    }),
  ),
  labels: Type.Optional(
    Type.Record(Type.String(), Type.String(), {
      description: 'Extra labels put on every generated ConfigMap.',
    }),
  ),
});

const status = Type.Object({
  observedGeneration: Type.Optional(Type.Integer({ format: 'int64' })),
  configMaps: Type.Optional(
    Type.Array(Type.String(), {
      description: 'Names of the ConfigMaps the operator currently maintains.',
    }),
  ),
  conditions: Type.Optional(conditionsSchema()),
});

/**
 * The ConfigMapGenerator custom resource: its type, its CRD (`npm run kube-rx -- crd
 * examples/demo-operator/src/configMapGenerator.ts`) and the validator every object read from
 * the server goes through, all from the schemas above.
 */
export const ConfigMapGenerator = defineCustomResource({
  group: 'demo.kube-rx.dev',
  version: 'v1alpha1',
  kind: 'ConfigMapGenerator',
  namespaced: true,
  spec,
  status,
  shortNames: ['cmg'],
  printerColumns: [
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].reason' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** A ConfigMapGenerator object. */
export type ConfigMapGenerator = ObjectOf<typeof ConfigMapGenerator>;

/** What a ConfigMapGenerator asks for. */
export type ConfigMapGeneratorSpec = Static<typeof spec>;

/** What the operator reports back. */
export type ConfigMapGeneratorStatus = Static<typeof status>;

/** Finalizer that keeps a generator until its ConfigMaps are deleted. */
export const GENERATOR_FINALIZER = 'demo.kube-rx.dev/cleanup';

/** Field manager and `reportingController` of everything the operator writes. */
export const OPERATOR_NAME = 'demo.kube-rx.dev/configmap-generator';

/** Label on every generated ConfigMap: the name of its generator. */
export const GENERATOR_LABEL = 'demo.kube-rx.dev/generator';

/** Name of the `index`-th ConfigMap of a generator. */
export function generatedName(generatorName: string, index: number): string {
  return `${generatorName}-${index}`;
}
