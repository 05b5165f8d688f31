import { controllerOwnerRef, type ConfigMap } from '@kube-rx/core';
import { ConfigMapGenerator, GENERATOR_LABEL, generatedName } from './configMapGenerator.js';
import type { ValidSpec } from './validateSpec.js';

/**
 * The `index`-th ConfigMap a generator wants: its data and labels, and an ownerReference to the
 * generator (so Kubernetes' garbage collector removes it too, and `.owns(configMaps)` maps its
 * changes back to the generator).
 */
export function desiredConfigMap(
  generator: ConfigMapGenerator,
  spec: ValidSpec,
  index: number,
): ConfigMap {
  const name = generator.metadata?.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: generatedName(name, index),
      namespace: generator.metadata?.namespace ?? 'default',
      labels: { ...spec.labels, [GENERATOR_LABEL]: name },
      ownerReferences: [controllerOwnerRef(generator, ConfigMapGenerator)],
    },
    data: { ...spec.data },
  };
}

/** Whether `actual` already has what `desired` asks for (data, our labels, our owner). */
export function configMapMatches(actual: ConfigMap, desired: ConfigMap): boolean {
  const owner = desired.metadata?.ownerReferences?.[0];
  const owned = (actual.metadata?.ownerReferences ?? []).some((ref) => ref.uid === owner?.uid);
  const labels = actual.metadata?.labels ?? {};
  const labelsMatch = Object.entries(desired.metadata?.labels ?? {}).every(
    ([key, value]) => labels[key] === value,
  );
  return owned && labelsMatch && sameEntries(actual.data ?? {}, desired.data ?? {});
}

function sameEntries(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
