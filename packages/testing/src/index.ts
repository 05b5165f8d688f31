/**
 * An in-memory Kubernetes API server over real HTTP, with fault injection, and a real kube-
 * apiserver (envtest) for tests.
 *
 * {@include ../README.md}
 *
 * @module @kube-rx/testing
 */
// First, before @kubernetes/client-node (whose undici fails to load on an old Node.js): the
// Node.js version check of @kube-rx/core.
import '@kube-rx/core';

export { startTestApiServer } from './startTestApiServer.js';
export type {
  TestApiServer,
  TestApiServerConfig,
  ResourceName,
  RestartOptions,
  WatchListMode,
} from './startTestApiServer.js';
export type { TestKubeConfigOptions } from './kubeConfig.js';
export { Faults } from './faults/faults.js';
export type { FaultRule, ResetRule, InjectedFault } from './faults/faults.js';
export type { RequestMatch, RequestVerb } from './faults/faultRule.js';
export type { RequestLogEntry } from './server/requestLog.js';
export type { CustomResourceConfig } from './resources/resourceDefinition.js';
export { startEnvtest } from './envtest/startEnvtest.js';
export type { Envtest, EnvtestConfig, EnvtestPids } from './envtest/startEnvtest.js';
export type { EnvtestUser } from './envtest/staticTokens.js';
export {
  envtestAvailable,
  envtestAssetsSearchPath,
  findEnvtestAssets,
} from './envtest/envtestAssets.js';
export type { EnvtestAssets, EnvtestAssetsLocation } from './envtest/envtestAssets.js';
export { useTestApiServer } from './harness/useTestApiServer.js';
export type {
  TestApiServerHarness,
  TestHook,
  TestHooks,
  Unsubscribable,
  Subscribable,
  HarnessObserver,
  UseTestApiServerConfig,
} from './harness/useTestApiServer.js';
