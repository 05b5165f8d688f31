import type { ApiResource, KubeObject } from '@kube-rx/core';
import type { Condition } from '@kube-rx/controller';

/** The ConfigMapGenerator custom resource (manifests/crd.yaml), as the operator sees it. */
export const ConfigMapGeneratorResource: ApiResource = Object.freeze({
  group: 'demo.kube-rx.dev',
  version: 'v1alpha1',
  kind: 'ConfigMapGenerator',
  plural: 'configmapgenerators',
  namespaced: true,
});

/** What a ConfigMapGenerator asks for. */
export interface ConfigMapGeneratorSpec {
  /** Keys and values of every generated ConfigMap. */
  data?: Record<string, string>;
  /** How many ConfigMaps to generate (`<name>-0` ... `<name>-<replicas-1>`). Default `1`. */
  replicas?: number;
  /** Extra labels on every generated ConfigMap. */
  labels?: Record<string, string>;
}

/** What the operator reports back. */
export interface ConfigMapGeneratorStatus {
  /** `metadata.generation` of the spec the status describes. */
  observedGeneration?: number;
  /** Names of the ConfigMaps currently maintained (the inventory used to prune). */
  configMaps?: string[];
  /** `Ready` with reason `Generated`, `InvalidSpec` or `ReconcileFailed`. */
  conditions?: Condition[];
}

/** A ConfigMapGenerator object. */
export interface ConfigMapGenerator extends KubeObject {
  spec?: ConfigMapGeneratorSpec;
  status?: ConfigMapGeneratorStatus;
}

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
