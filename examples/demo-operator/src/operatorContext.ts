import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { Api, ConfigMap, type BackoffStrategy, type Logger, type RetryPolicy } from '@kube-rx/core';
import { Recorder } from '@kube-rx/controller';
import { ConfigMapGenerator, OPERATOR_NAME } from './configMapGenerator.js';
import type { DemoStats } from './demoStats.js';

/** What every reconcile and the error policy get as `ctx`. */
export interface OperatorContext {
  /** ConfigMapGenerators in all namespaces (`inNamespace(ns)` for single-object calls). */
  generators: Api<ConfigMapGenerator>;
  /** ConfigMaps in all namespaces. */
  configMaps: Api<ConfigMap>;
  /** Publishes events.k8s.io/v1 Events about generators. */
  recorder: Recorder;
  logger: Logger;
  stats: DemoStats;
  /** Periodic re-reconcile of a healthy generator, in ms (drift repair safety net). */
  resyncAfterMs: number;
}

/** Options of {@link createOperatorContext}. */
export interface OperatorContextConfig {
  logger: Logger;
  stats: DemoStats;
  /** Default `300_000` (5 minutes). */
  resyncAfterMs?: number;
  /** Delays of the client-level retries. Default: `retryPolicy`'s (500 ms doubling to 5 s). */
  clientRetryStrategy?: BackoffStrategy;
}

/**
 * Builds the clients of the operator. Every call but `watch` gets the client-level retry policy
 * (429/503/504, at most 2 retries, never sooner than `Retry-After`): a short storm of 503s is
 * absorbed here; a longer one fails the reconcile and the error policy's per-key backoff takes
 * over.
 */
export function createOperatorContext(
  kubeConfig: KubeConfig,
  config: OperatorContextConfig,
): OperatorContext {
  const { logger, stats } = config;
  const clientLogger = logger.child({ component: 'client' });
  const retry: RetryPolicy = {
    maxRetries: 2,
    ...(config.clientRetryStrategy === undefined ? {} : { strategy: config.clientRetryStrategy }),
    onRetry: () => {
      stats.clientRetries += 1;
    },
  };
  return {
    generators: Api.all<ConfigMapGenerator>(kubeConfig, ConfigMapGenerator, {
      retry,
      logger: clientLogger,
    }),
    configMaps: Api.all<ConfigMap>(kubeConfig, ConfigMap, { retry, logger: clientLogger }),
    recorder: new Recorder(kubeConfig, {
      reportingController: OPERATOR_NAME,
      reportingInstance: hostname(),
    }),
    logger,
    stats,
    resyncAfterMs: config.resyncAfterMs ?? 300_000,
  };
}
