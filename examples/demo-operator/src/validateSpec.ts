import type { ConfigMapGenerator } from './configMapGenerator.js';
import { GeneratorError } from './generatorError.js';

/** A spec that passed {@link validateSpec}, with defaults applied. */
export interface ValidSpec {
  data: Record<string, string>;
  replicas: number;
  labels: Record<string, string>;
}

const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_REPLICAS = 10;
// A ConfigMap holds at most 1 MiB; stay clear of it including metadata.
const MAX_DATA_BYTES = 900 * 1024;

/**
 * Checks what the CRD schema cannot express (valid ConfigMap keys, total size) and what a server
 * without schema validation would let through. Throws a `GeneratorError` of kind `InvalidSpec`;
 * the reconciler marks it `permanent()` — retrying the same spec fails the same way until
 * someone edits it.
 */
export function validateSpec(generator: ConfigMapGenerator): ValidSpec {
  const spec = generator.spec;
  const problems: string[] = [];
  const data = spec?.data;
  if (data === undefined || typeof data !== 'object' || data === null) {
    problems.push('spec.data is required');
  } else {
    for (const [key, value] of Object.entries(data)) {
      if (!CONFIG_MAP_KEY.test(key) || key.length > 253) {
        problems.push(`spec.data key ${JSON.stringify(key)} is not a valid ConfigMap key`);
      }
      if (typeof value !== 'string') problems.push(`spec.data.${key} must be a string`);
    }
    if (Buffer.byteLength(JSON.stringify(data)) > MAX_DATA_BYTES) {
      problems.push('spec.data is larger than a ConfigMap can hold');
    }
  }
  const replicas = spec?.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) {
    problems.push(
      `spec.replicas must be a whole number from 1 to ${MAX_REPLICAS}, got ${String(replicas)}`,
    );
  }
  if (problems.length > 0) throw new GeneratorError('InvalidSpec', problems.join('; '));
  return { data: { ...data }, replicas, labels: { ...spec?.labels } };
}
