import { firstValueFrom } from 'rxjs';
import type { Api, ConfigMap, KubeObject } from '@kube-rx/core';
import { getCondition } from '@kube-rx/controller';
import { GENERATOR_LABEL, type ConfigMapGenerator } from './configMapGenerator.js';
import { configMapMatches, desiredConfigMap } from './desiredConfigMap.js';
import { isGeneratorError } from './generatorError.js';
import { validateSpec } from './validateSpec.js';

/** How one generator compares with what its spec asks for. */
export interface GeneratorState {
  /** `namespace/name`. */
  name: string;
  generation: number | undefined;
  /** `True`/`False`/`Unknown` and the reason of the Ready condition, or `-`. */
  ready: string;
  /** Generated ConfigMaps that exist and match. */
  configMaps: number;
  /** What its spec asks for (`0` for an invalid spec). */
  wantedConfigMaps: number;
  /** Whether the observed state is exactly the desired one. */
  converged: boolean;
  /** Why not, when not. */
  problem?: string;
}

/** The whole namespace compared with the desired state. */
export interface DesiredStateReport {
  generators: GeneratorState[];
  /** Generated ConfigMaps whose generator is gone or no longer wants them. */
  orphanedConfigMaps: string[];
  /** Every generator converged and nothing orphaned. */
  converged: boolean;
}

/** Where {@link checkDesiredState} reads the world from. */
export interface ClusterReader {
  generators(): Promise<ConfigMapGenerator[]>;
  /** The generated ConfigMaps (those with the generator label). */
  generatedConfigMaps(): Promise<ConfigMap[]>;
}

/** Reads through the API (one LIST of each kind), in `namespace` or in all namespaces. */
export function apiReader(
  generators: Api<ConfigMapGenerator>,
  configMaps: Api<ConfigMap>,
  namespace?: string,
): ClusterReader {
  const scoped = <K extends KubeObject>(api: Api<K>) =>
    namespace === undefined ? api : api.inNamespace(namespace);
  return {
    generators: async () => (await firstValueFrom(scoped(generators).list())).items,
    generatedConfigMaps: async () =>
      (await firstValueFrom(scoped(configMaps).list({ labelSelector: GENERATOR_LABEL }))).items,
  };
}

/**
 * Checks that the world is what the specs ask for: a valid spec has exactly its ConfigMaps with
 * the right data and owner, and `Ready=True` for its current generation; an invalid spec has
 * `Ready=False` with reason `InvalidSpec` for its current generation; no generator is stuck
 * deleting; no generated ConfigMap is orphaned.
 */
export async function checkDesiredState(reader: ClusterReader): Promise<DesiredStateReport> {
  const [generatorList, configMapList] = await Promise.all([
    reader.generators(),
    reader.generatedConfigMaps(),
  ]);
  const byName = new Map(configMapList.map((cm) => [configMapKey(cm), cm]));
  const wanted = new Set<string>();
  const states = generatorList.map((generator) => {
    const state = compare(generator, byName);
    for (const name of state.wantedNames) wanted.add(name);
    return state.state;
  });
  const orphanedConfigMaps = [...byName.keys()].filter((name) => !wanted.has(name)).sort();
  return {
    generators: states.sort((a, b) => a.name.localeCompare(b.name)),
    orphanedConfigMaps,
    converged: states.every((state) => state.converged) && orphanedConfigMaps.length === 0,
  };
}

function configMapKey(configMap: ConfigMap): string {
  return `${configMap.metadata?.namespace ?? ''}/${configMap.metadata?.name ?? ''}`;
}

function compare(
  generator: ConfigMapGenerator,
  configMaps: Map<string, ConfigMap>,
): { state: GeneratorState; wantedNames: string[] } {
  const name = `${generator.metadata?.namespace ?? ''}/${generator.metadata?.name ?? ''}`;
  const generation = generator.metadata?.generation;
  const ready = getCondition(generator.status?.conditions, 'Ready');
  const base = {
    name,
    generation,
    ready: ready === undefined ? '-' : `${ready.status} (${ready.reason})`,
  };
  const fresh = ready?.observedGeneration === generation;
  if (generator.metadata?.deletionTimestamp !== undefined) {
    const problem = 'still being deleted';
    return {
      state: { ...base, configMaps: 0, wantedConfigMaps: 0, converged: false, problem },
      wantedNames: [],
    };
  }
  let spec;
  try {
    spec = validateSpec(generator);
  } catch (error) {
    if (!isGeneratorError(error, 'InvalidSpec')) throw error;
    const converged = fresh && ready?.status === 'False' && ready.reason === 'InvalidSpec';
    const state: GeneratorState = { ...base, configMaps: 0, wantedConfigMaps: 0, converged };
    if (!converged) state.problem = 'invalid spec not reported as Ready=False/InvalidSpec';
    return { state, wantedNames: [] };
  }
  const desired = Array.from({ length: spec.replicas }, (_, i) =>
    desiredConfigMap(generator, spec, i),
  );
  const matching = desired.filter((cm) => {
    const actual = configMaps.get(configMapKey(cm));
    return actual !== undefined && configMapMatches(actual, cm);
  }).length;
  const converged = fresh && ready?.status === 'True' && matching === desired.length;
  const state: GeneratorState = {
    ...base,
    configMaps: matching,
    wantedConfigMaps: desired.length,
    converged,
  };
  if (!converged) {
    state.problem =
      matching < desired.length
        ? 'ConfigMaps missing or stale'
        : 'Ready not True for this generation';
  }
  return { state, wantedNames: desired.map(configMapKey) };
}
