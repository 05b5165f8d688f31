/**
 * Errors, backoff and retry operators, and the typed Observable `Api` client of kube-rx.
 *
 * {@include ../README.md}
 *
 * @module @kube-rx/core
 */
// First, before any dependency is evaluated: a clear error on a Node.js older than 22.19.
import './nodeVersionGuard.js';

// Errors
export type { Status, StatusDetails, StatusCause } from './errors/status.js';
export { isStatus } from './errors/status.js';
export { HttpError, isHttpError } from './errors/httpError.js';
export type { HttpErrorInit, HttpErrorStage } from './errors/httpError.js';
export { ApiError, isApiError } from './errors/apiError.js';
export type { ApiErrorInit } from './errors/apiError.js';
export { SerdeError, isSerdeError } from './errors/serdeError.js';
export type { SerdeErrorInit } from './errors/serdeError.js';
export { isKubeError } from './errors/kubeError.js';
export type { KubeError } from './errors/kubeError.js';
export { redactSecrets } from './errors/redact.js';
export { KUBE_RX_ERROR, brandError, hasErrorBrand } from './errors/kubeErrorBrand.js';

// Client types
export type { ApiResource, ObjectOf } from './client/apiResource.js';
export { apiVersionOf, groupVersionPath } from './client/apiResource.js';
// Each builtin is both its ApiResource (value) and its wire object type (type).
export {
  Namespace,
  Pod,
  ConfigMap,
  Secret,
  Service,
  ServiceAccount,
  Event,
  Node,
  Deployment,
  Lease,
  EventsV1Event,
  CustomResourceDefinition,
} from './client/builtinResources.js';
export type { ObjectRef } from './client/objectRef.js';
export { objectRef, refKey, objectKey } from './client/objectRef.js';
export { ownerRef, controllerOwnerRef } from './client/ownerReference.js';
export type {
  KubeObject,
  DynamicObject,
  ObjectMeta,
  Time,
  MicroTime,
  Quantity,
  OwnerReference,
  LabelSelector,
  ManagedFieldsEntry,
  ResourceVersionMatch,
  ListParams,
  WatchParams,
  ListMeta,
  ObjectList,
  WatchEvent,
  PartialObjectMetadata,
  PatchType,
  JsonPatchOperation,
  PatchBody,
  PostParams,
  PatchParams,
  DeleteParams,
} from './client/types.js';
export { Patch } from './client/types.js';

// Custom resources from a schema. TypeBox's builder is re-exported so that schemas and the
// validator come from the same copy; both are loaded on first use.
export { Type } from './customResource/typeBox.js';
export type { Static, TSchema, TObject } from 'typebox';
export { defineCustomResource } from './customResource/defineCustomResource.js';
export type {
  CustomResource,
  CustomResourceConfig,
  CustomObject,
  CustomObjectOf,
  PrinterColumn,
} from './customResource/defineCustomResource.js';
export { customResourceDefinition } from './customResource/customResourceDefinition.js';
export { structuralSchema } from './customResource/structuralSchema.js';
export type { JsonSchema } from './customResource/structuralSchema.js';

// Backoff and operators
export type { Backoff, BackoffStrategy } from './backoff/backoff.js';
export type { Resumable } from './operators/resumable.js';
export { isResumable, resumeWithin, claimResume } from './operators/resumable.js';
export { exponentialBackoff, defaultBackoffStrategy } from './backoff/exponentialBackoff.js';
export type { ExponentialBackoffConfig } from './backoff/exponentialBackoff.js';
export { backoff, defaultBackoff } from './operators/backoff.js';
export type { BackoffConfig } from './operators/backoff.js';
export { retryPolicy, shouldRetry } from './operators/retryPolicy.js';
export type { RetryPolicy, RetryPolicyConfig } from './operators/retryPolicy.js';
export { withTimeout } from './operators/withTimeout.js';
export type { WithTimeoutConfig } from './operators/withTimeout.js';
export { subscribeWithin } from './operators/subscribeWithin.js';

// Error classification
export { classify } from './errors/classify.js';
export { PermanentError, permanent, isPermanent } from './errors/permanentError.js';
export type { ErrorClassification } from './errors/classify.js';

// Logging
export { createLogger } from './logging/createLogger.js';
export type { LoggerConfig, LogFormat } from './logging/createLogger.js';
export type { LogFields, Logger } from './logging/logger.js';
export { winstonLogger } from './logging/winstonLogger.js';
export { defaultLogger, setDefaultLogger } from './logging/defaultLogger.js';
export { describeError } from './logging/describeError.js';
export type { ErrorDescription } from './logging/describeError.js';

// Api client
export { Api } from './client/api.js';
export type { ApiConfig, ApplyParams } from './client/api.js';
export type { DiscoveryTarget } from './client/discovery.js';
export { toKubeError } from './errors/toKubeError.js';
export type { ToKubeErrorContext } from './errors/toKubeError.js';
