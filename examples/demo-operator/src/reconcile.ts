import { firstValueFrom, lastValueFrom, type Observable } from 'rxjs';
import { type ConfigMap, isApiError, objectKey, objectRef, Patch, permanent } from '@kube-rx/core';
import {
  Action,
  finalizer,
  getCondition,
  setCondition,
  type EventInput,
} from '@kube-rx/controller';
import {
  GENERATOR_FINALIZER,
  OPERATOR_NAME,
  type ConfigMapGenerator,
} from './configMapGenerator.js';
import { configMapMatches, desiredConfigMap } from './desiredConfigMap.js';
import { GeneratorError } from './generatorError.js';
import type { OperatorContext } from './operatorContext.js';
import { validateSpec } from './validateSpec.js';

type Outcome = 'created' | 'updated' | 'unchanged';

/**
 * Reconciles one ConfigMapGenerator. `finalizer()` adds the finalizer first; then `Apply` makes
 * the ConfigMaps match the spec and reports `Ready=True`, and `Cleanup` (the generator is being
 * deleted) removes its ConfigMaps before the finalizer is released.
 *
 * Failures are thrown as `GeneratorError`s (kind + Kubernetes cause); the error policy decides
 * what they mean. An invalid spec is wrapped in `permanent()`: retrying cannot fix it, so the
 * policy records `Ready=False` and waits for an edit. Everything else is retried with backoff.
 */
export function reconcileGenerator(
  generator: ConfigMapGenerator,
  ctx: OperatorContext,
): Observable<Action> {
  const namespace = generator.metadata?.namespace ?? 'default';
  return finalizer(
    ctx.generators.inNamespace(namespace),
    GENERATOR_FINALIZER,
    generator,
    (event) =>
      event.type === 'Apply'
        ? applyGenerator(event.object, ctx)
        : cleanupGenerator(event.object, ctx),
  );
}

async function applyGenerator(
  generator: ConfigMapGenerator,
  ctx: OperatorContext,
): Promise<Action> {
  const spec = validSpec(generator);
  const desired = Array.from({ length: spec.replicas }, (_, index) =>
    desiredConfigMap(generator, spec, index),
  );
  const changed: string[] = [];
  for (const configMap of desired) {
    const outcome = await ensureConfigMap(configMap, ctx);
    if (outcome !== 'unchanged') changed.push(`${outcome} ${configMap.metadata?.name ?? ''}`);
  }
  const desiredNames = desired.map((configMap) => configMap.metadata?.name ?? '');
  const stale = (generator.status?.configMaps ?? []).filter((n) => !desiredNames.includes(n));
  for (const staleName of stale) {
    await deleteConfigMap(generator, staleName, ctx);
    changed.push(`deleted ${staleName}`);
  }
  await writeReadyStatus(generator, desiredNames, ctx);
  if (changed.length > 0) {
    ctx.logger.info('configmaps reconciled', { object: objectKey(generator), changes: changed });
    publish(ctx, generator, {
      reason: 'ConfigMapsGenerated',
      action: 'Reconcile',
      note: changed.join(', '),
    });
  } else {
    ctx.logger.debug('configmaps up to date', { object: objectKey(generator) });
  }
  return Action.requeue(ctx.resyncAfterMs);
}

/** The spec, validated; an invalid one fails permanently (the same spec fails the same way). */
function validSpec(generator: ConfigMapGenerator): ReturnType<typeof validateSpec> {
  try {
    return validateSpec(generator);
  } catch (error) {
    throw permanent(error);
  }
}

async function cleanupGenerator(
  generator: ConfigMapGenerator,
  ctx: OperatorContext,
): Promise<Action> {
  const names = generator.status?.configMaps ?? [];
  for (const configMapName of names) await deleteConfigMap(generator, configMapName, ctx);
  ctx.logger.info('generator deleted: configmaps removed, releasing finalizer', {
    object: objectKey(generator),
    configMaps: names,
  });
  return Action.awaitChange();
}

async function ensureConfigMap(desired: ConfigMap, ctx: OperatorContext): Promise<Outcome> {
  const name = desired.metadata?.name ?? '';
  const configMaps = ctx.configMaps.inNamespace(desired.metadata?.namespace ?? 'default');
  try {
    const current = await firstValueFrom(configMaps.getOpt(name));
    if (current !== undefined && configMapMatches(current, desired)) return 'unchanged';
    // Server-side apply: the operator owns the fields it sets (data, its labels, the owner
    // reference), creates the ConfigMap if needed, and leaves fields others set alone.
    await lastValueFrom(configMaps.apply(desired, { fieldManager: OPERATOR_NAME, force: true }));
    return current === undefined ? 'created' : 'updated';
  } catch (error) {
    throw new GeneratorError('ConfigMapWriteFailed', `writing ConfigMap ${name} failed`, {
      cause: error,
    });
  }
}

async function deleteConfigMap(
  generator: ConfigMapGenerator,
  name: string,
  ctx: OperatorContext,
): Promise<void> {
  const configMaps = ctx.configMaps.inNamespace(generator.metadata?.namespace ?? 'default');
  try {
    await lastValueFrom(configMaps.delete(name));
  } catch (error) {
    if (isApiError(error, 404)) return;
    throw new GeneratorError('ConfigMapWriteFailed', `deleting ConfigMap ${name} failed`, {
      cause: error,
    });
  }
}

async function writeReadyStatus(
  generator: ConfigMapGenerator,
  configMapNames: string[],
  ctx: OperatorContext,
): Promise<void> {
  const generation = generator.metadata?.generation;
  const message = `${configMapNames.length} ConfigMap(s) up to date`;
  const status = generator.status ?? {};
  const ready = getCondition(status.conditions, 'Ready');
  const upToDate =
    ready?.status === 'True' &&
    ready.message === message &&
    ready.observedGeneration === generation &&
    status.observedGeneration === generation &&
    JSON.stringify(status.configMaps ?? []) === JSON.stringify(configMapNames);
  if (upToDate) return;
  const conditions = setCondition(status.conditions, {
    type: 'Ready',
    status: 'True',
    reason: 'Generated',
    message,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  });
  await patchStatus(
    generator,
    { observedGeneration: generation, configMaps: configMapNames, conditions },
    ctx,
  );
}

/**
 * Records a permanent failure on the generator: `Ready=False` with the error's reason and
 * message for the generation that caused it, plus a Warning event. Called by the error policy.
 */
export async function recordFailureCondition(
  generator: ConfigMapGenerator,
  error: unknown,
  ctx: OperatorContext,
): Promise<void> {
  const invalid = error instanceof GeneratorError ? error : findGeneratorError(error);
  const reason = invalid?.kind === 'InvalidSpec' ? 'InvalidSpec' : 'ReconcileFailed';
  const message = invalid?.message ?? (error instanceof Error ? error.message : String(error));
  const generation = generator.metadata?.generation;
  const current = getCondition(generator.status?.conditions, 'Ready');
  const alreadyRecorded =
    current?.status === 'False' &&
    current.reason === reason &&
    current.message === message &&
    current.observedGeneration === generation;
  // Our own status write triggers one more reconcile, which fails the same way: nothing to write.
  if (alreadyRecorded) return;
  const conditions = setCondition(generator.status?.conditions, {
    type: 'Ready',
    status: 'False',
    reason,
    message,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  });
  await patchStatus(generator, { observedGeneration: generation, conditions }, ctx);
  ctx.stats.conditions.push({ key: objectKey(generator) ?? '', reason, message, generation });
  ctx.logger.warn('permanent error recorded as condition', {
    object: objectKey(generator),
    condition: `Ready=False reason=${reason}`,
    detail: message,
  });
  publish(ctx, generator, { type: 'Warning', reason, action: 'Reconcile', note: message });
}

function findGeneratorError(error: unknown): GeneratorError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof GeneratorError) return current;
    current = current.cause;
  }
  return undefined;
}

async function patchStatus(
  generator: ConfigMapGenerator,
  status: Record<string, unknown>,
  ctx: OperatorContext,
): Promise<void> {
  const name = generator.metadata?.name ?? '';
  const generators = ctx.generators.inNamespace(generator.metadata?.namespace ?? 'default');
  try {
    await lastValueFrom(generators.patchStatus(name, Patch.merge({ status })));
  } catch (error) {
    throw new GeneratorError('StatusWriteFailed', `writing the status of ${name} failed`, {
      cause: error,
    });
  }
}

// Events are informational: a failure to publish one is logged, never fails the reconcile.
function publish(ctx: OperatorContext, generator: ConfigMapGenerator, event: EventInput): void {
  ctx.recorder.publish(event, objectRef(generator)).catch((error: unknown) => {
    ctx.logger.warn('publishing an event failed', { object: objectKey(generator), error });
  });
}
