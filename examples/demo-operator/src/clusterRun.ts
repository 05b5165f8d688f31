import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom } from 'rxjs';
import { KubeConfig } from '@kubernetes/client-node';
import { isApiError, type Logger } from '@kube-rx/core';
import { DemoStats } from './demoStats.js';
import { apiReader, checkDesiredState } from './desiredState.js';
import { createOperatorContext } from './operatorContext.js';
import { runOperator } from './runOperator.js';
import { summarize, type DemoSummary } from './summary.js';

/** Options of {@link runAgainstCluster}. */
export interface ClusterRunConfig {
  /** Path of the kubeconfig file. */
  kubeconfig: string;
  logger: Logger;
  /** Stop after this many ms. Default: run until `signal`. */
  durationMs?: number;
  /** Stops the operator gracefully (Ctrl-C). */
  signal: AbortSignal;
}

/**
 * Runs the same operator against a real cluster, in all namespaces, with the production
 * defaults (client retries 500 ms → 5 s, per-key backoff 1 s → 5 min), until Ctrl-C or the
 * duration; then compares every generator with its spec and returns the summary.
 */
export async function runAgainstCluster(config: ClusterRunConfig): Promise<DemoSummary> {
  const startedAt = Date.now();
  const log = config.logger.child({ component: 'demo' });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(config.kubeconfig);
  const stats = new DemoStats();
  const ctx = createOperatorContext(kubeConfig, { logger: config.logger, stats });
  try {
    await firstValueFrom(ctx.generators.list({ limit: 1 }));
  } catch (error) {
    if (isApiError(error, 404)) {
      throw new Error(
        'the ConfigMapGenerator CRD is not installed: npm run --silent kube-rx -- crd examples/demo-operator/src/configMapGenerator.ts | kubectl apply -f -',
        { cause: error },
      );
    }
    throw error;
  }
  log.info('running against the cluster; Ctrl-C to stop', {
    server: kubeConfig.getCurrentCluster()?.server,
  });
  const operator = runOperator(ctx);
  const stop = AbortSignal.any([
    config.signal,
    ...(config.durationMs === undefined ? [] : [AbortSignal.timeout(config.durationMs)]),
  ]);
  await sleep(2 ** 31 - 1, undefined, { signal: stop }).catch(() => undefined);
  log.info('stopping: letting running reconciles finish');
  await operator.stop();
  const finalState = await checkDesiredState(apiReader(ctx.generators, ctx.configMaps));
  return summarize({
    startedAt,
    stats,
    watchCounts: undefined,
    script: undefined,
    finalState,
    scriptRequired: false,
  });
}
