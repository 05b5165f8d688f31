/**
 * Reconcile scheduling as RxJS operators, the `Controller` builder, error policies, finalizers,
 * events, leader election and metrics.
 *
 * {@include ../README.md}
 *
 * @module @kube-rx/controller
 */
// Scheduling
export { scheduler } from './scheduler.js';
export type { ScheduleRequest, SchedulerConfig } from './scheduler.js';
export { runner, DEFAULT_RUNNER_CONCURRENCY } from './runner.js';
export type { RunFunction, RunnerConfig, RunOutcome } from './runner.js';
export { defaultMessageKey } from './queue/defaultMessageKey.js';
export { tokenBucket } from './queue/tokenBucket.js';
export type { TokenBucket, TokenBucketConfig } from './queue/tokenBucket.js';

// Results
export { Ok, Err } from './result.js';
export type { Result } from './result.js';

// Reconcile outcomes and errors
export { Action } from './action.js';
export { toActionObservable } from './reconcileOutput.js';
export type { ReconcileOutput } from './reconcileOutput.js';
export { ReconcileReason, formatReconcileReason } from './controller/reconcileReason.js';
export type { ReconcileRequest } from './controller/reconcileReason.js';
export type { ReconcileOk } from './controller/reconcileOk.js';
export { ControllerError, isControllerError } from './controller/controllerError.js';
export type { ControllerErrorKind, ControllerErrorInit } from './controller/controllerError.js';

// Controller
export { Controller } from './controller/controller.js';
export type {
  ControllerApi,
  ControllerConfig,
  OwnedApi,
  OwnsConfig,
  WatchedApi,
} from './controller/controller.js';
export { applier } from './controller/applier.js';
export { DEFAULT_RETRY_RATE_LIMIT } from './controller/applier/applierConfig.js';
export { triggerSelf } from './controller/triggers/triggerSelf.js';
export { triggerOwners } from './controller/triggers/triggerOwners.js';
export type { TriggerOwnersConfig } from './controller/triggers/triggerOwners.js';
export { triggerOthers } from './controller/triggers/triggerOthers.js';
export type { TriggerMapperResult } from './controller/triggers/triggerOthers.js';
export type { ApplierConfig, RetryRateLimit } from './controller/applier/applierConfig.js';
export type { ReconcileFunction } from './controller/applier/reconcileFunction.js';
export type { ReconcileInfo } from './controller/applier/reconcileInfo.js';

// Error policies
export { normalizeErrorPolicy } from './errorPolicy/errorPolicy.js';
export type {
  ErrorPolicy,
  ErrorPolicyFunction,
  ErrorPolicyHandlers,
} from './errorPolicy/errorPolicy.js';
export { perKeyBackoff } from './errorPolicy/perKeyBackoff.js';
export type { PerKeyBackoffConfig, PerKeyBackoffPolicy } from './errorPolicy/perKeyBackoff.js';

// Finalizers
export { finalizer } from './finalizer.js';
export type { FinalizerApi, FinalizerEvent } from './finalizer.js';
export { FinalizerError, isFinalizerError } from './finalizerError.js';
export type { FinalizerErrorKind } from './finalizerError.js';

// Status conditions
export {
  setCondition,
  getCondition,
  isConditionTrue,
  removeCondition,
} from './conditions/condition.js';
export type {
  Condition,
  ConditionInput,
  ConditionStatus,
  SetConditionConfig,
} from './conditions/condition.js';
export { conditionSchema, conditionsSchema } from './conditions/conditionsSchema.js';
export type { ConditionSchemaProperties } from './conditions/conditionsSchema.js';

// Events
export { Recorder } from './events/recorder.js';
export type {
  EventInput,
  EventType,
  EventsApi,
  EventsV1EventObject,
  RecorderConfig,
} from './events/recorder.js';
export { formatMicroTime, parseMicroTime } from './microTime.js';

// Operations
export { leaderElection } from './leader/leaderElection.js';
export type { LeaderElectionConfig, LeaseApi, LeaseObject } from './leader/leaderElection.js';
export { shard, shardOf } from './sharding/shard.js';
export type { ShardConfig, ShardPredicate, ShardTarget } from './sharding/shard.js';
export { ControllerMetrics } from './metrics/controllerMetrics.js';
export type {
  ControllerMetricsConfig,
  ReconcileResultLabel,
  WorkqueueLabel,
} from './metrics/controllerMetricsConfig.js';
export { startHealthServer } from './metrics/healthServer.js';
export type { HealthServer, HealthServerConfig } from './metrics/healthServer.js';

// Manifests from code (what the kube-rx CLI prints)
export { clusterRole } from './manifests/clusterRole.js';
export type { ClusterRole, ClusterRoleConfig, PolicyRule } from './manifests/clusterRole.js';
export { crdManifests, isCustomResource } from './manifests/crdManifests.js';
export { manifestYaml } from './manifests/manifestYaml.js';
export { accessTo, describesAccess } from './manifests/resourceAccess.js';
export type { DescribesAccess, RbacVerb, ResourceAccess } from './manifests/resourceAccess.js';
