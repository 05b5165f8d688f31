import { setTimeout as sleep } from 'node:timers/promises';
import { lastValueFrom } from 'rxjs';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  Api,
  ConfigMap,
  CustomResourceDefinition,
  exponentialBackoff,
  type Logger,
} from '@kube-rx/core';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { ConfigMapGenerator, GENERATOR_LABEL } from './configMapGenerator.js';
import { DemoStats } from './demoStats.js';
import { DEMO_NAMESPACE, demoGenerators } from './demoResources.js';
import {
  apiReader,
  checkDesiredState,
  type ClusterReader,
  type DesiredStateReport,
} from './desiredState.js';
import { demoBackoffStrategy } from './errorPolicy.js';
import { isListRequest, playFaultScript, type FaultScriptReport } from './faultScript.js';
import { createOperatorContext } from './operatorContext.js';
import { runOperator } from './runOperator.js';
import { summarize, type DemoSummary } from './summary.js';

/** Options of {@link runEmbeddedDemo}. */
export interface EmbeddedDemoConfig {
  logger: Logger;
  /** Upper bound of the whole run in ms. Default `20_000`. */
  durationMs?: number;
  /** Play the faults of the script. Default `true`. */
  faults?: boolean;
  /** Ends the run early (Ctrl-C); the summary is still produced. */
  signal?: AbortSignal;
}

/**
 * The `npm start` run: starts the embedded API server, installs the CRD generated from the
 * `ConfigMapGenerator` definition through the API (as `kubectl apply` would), creates the demo generators,
 * runs the operator, plays the fault script, waits until the state converges (or the deadline),
 * stops the operator gracefully and returns the summary.
 */
export async function runEmbeddedDemo(config: EmbeddedDemoConfig): Promise<DemoSummary> {
  const startedAt = Date.now();
  const { logger } = config;
  const log = logger.child({ component: 'demo' });
  const deadline = AbortSignal.any([
    AbortSignal.timeout(config.durationMs ?? 20_000),
    ...(config.signal ? [config.signal] : []),
  ]);
  const server = await startTestApiServer({ bookmarkIntervalMs: 1_000 });
  try {
    const kubeConfig = server.kubeConfig();
    log.info('embedded API server started', { url: server.url });
    await installCrd(kubeConfig);
    await createDemoGenerators(kubeConfig);
    log.info('CRD installed and generators created', {
      crd: 'configmapgenerators.demo.kube-rx.dev',
      generators: demoGenerators().map((g) => g.metadata?.name),
    });

    const stats = new DemoStats();
    const ctx = createOperatorContext(kubeConfig, {
      logger,
      stats,
      // Quicker than the defaults so that a few retries fit in a short scripted run.
      clientRetryStrategy: exponentialBackoff({ initialDelay: 200, maxDelay: 1_000 }),
    });
    const operator = runOperator(ctx, { strategy: demoBackoffStrategy() });

    let script: FaultScriptReport | undefined;
    try {
      script = await playFaultScript({
        server,
        logger,
        faults: config.faults ?? true,
        signal: deadline,
      });
    } catch (error) {
      if (deadline.aborted) log.warn('run stopped before the script finished');
      else log.error('fault script failed', { error });
    }
    const converged = await waitForConvergence(serverReader(server), deadline);
    log.info(converged ? 'state converged' : 'state did not converge before the deadline');
    await operator.stop();
    const watchCounts = countWatches(server);
    const finalState = await checkDesiredState(
      apiReader(ctx.generators, ctx.configMaps, DEMO_NAMESPACE),
    );
    return summarize({ startedAt, stats, watchCounts, script, finalState, scriptRequired: true });
  } finally {
    await server.close();
  }
}

async function installCrd(kubeConfig: KubeConfig): Promise<void> {
  await lastValueFrom(
    Api.cluster(kubeConfig, CustomResourceDefinition).create(ConfigMapGenerator.crdManifest()),
  );
}

async function createDemoGenerators(kubeConfig: KubeConfig): Promise<void> {
  const generators = Api.namespaced<ConfigMapGenerator>(
    kubeConfig,
    ConfigMapGenerator,
    DEMO_NAMESPACE,
  );
  for (const generator of demoGenerators()) await lastValueFrom(generators.create(generator));
}

// Reads the server's store directly, so that polling adds nothing to the request log.
function serverReader(server: TestApiServer): ClusterReader {
  return {
    generators: async () => server.list(ConfigMapGenerator, DEMO_NAMESPACE) as ConfigMapGenerator[],
    generatedConfigMaps: async () =>
      server
        .list(ConfigMap, DEMO_NAMESPACE)
        .filter((cm) => cm.metadata?.labels?.[GENERATOR_LABEL] !== undefined),
  };
}

async function waitForConvergence(reader: ClusterReader, deadline: AbortSignal): Promise<boolean> {
  let report: DesiredStateReport | undefined;
  while (!deadline.aborted) {
    report = await checkDesiredState(reader);
    if (report.converged) return true;
    await sleep(200, undefined, { signal: deadline }).catch(() => undefined);
  }
  return false;
}

function countWatches(server: TestApiServer): {
  watches: number;
  lists: number;
  resources: number;
} {
  const watched = new Set(['configmapgenerators', 'configmaps']);
  const requests = server.requests.filter(
    (r) => watched.has(r.resource) && r.namespace === undefined,
  );
  return {
    watches: requests.filter((r) => r.verb === 'watch').length,
    lists: requests.filter(isListRequest).length,
    resources: watched.size,
  };
}
