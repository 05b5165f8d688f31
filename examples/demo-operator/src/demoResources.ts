import { apiVersionOf } from '@kube-rx/core';
import { ConfigMapGenerator, type ConfigMapGeneratorSpec } from './configMapGenerator.js';

/** Namespace the scripted demo works in. */
export const DEMO_NAMESPACE = 'kube-rx-demo';

/** Name of the generator whose spec starts invalid and is fixed during the run. */
export const INVALID_GENERATOR = 'broken-config';

/** Name of the generator deleted during the run (its finalizer cleans up first). */
export const DELETED_GENERATOR = 'shared-settings';

function generator(name: string, spec: ConfigMapGeneratorSpec): ConfigMapGenerator {
  return {
    apiVersion: apiVersionOf(ConfigMapGenerator),
    kind: ConfigMapGenerator.kind,
    metadata: { name, namespace: DEMO_NAMESPACE },
    spec,
  };
}

/** The generators the demo starts with: three valid, one with an invalid ConfigMap key. */
export function demoGenerators(): ConfigMapGenerator[] {
  return [
    generator('app-config', {
      replicas: 2,
      data: { LOG_LEVEL: 'info', FEATURE_SEARCH: 'on' },
      labels: { app: 'shop' },
    }),
    generator('feature-flags', { data: { checkout_v2: 'false', dark_mode: 'true' } }),
    generator(DELETED_GENERATOR, { replicas: 3, data: { region: 'eu-west-1' } }),
    generator(INVALID_GENERATOR, { data: { 'max connections!': '100', timeout: '30s' } }),
  ];
}
