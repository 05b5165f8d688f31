import type { CustomResourceDefinition as ApiextensionsV1CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { Deployment as AppsV1Deployment } from 'kubernetes-types/apps/v1.js';
import type { Lease as CoordinationV1Lease } from 'kubernetes-types/coordination/v1.js';
import type {
  ConfigMap as CoreV1ConfigMap,
  Event as CoreV1Event,
  Namespace as CoreV1Namespace,
  Node as CoreV1Node,
  Pod as CoreV1Pod,
  Secret as CoreV1Secret,
  Service as CoreV1Service,
  ServiceAccount as CoreV1ServiceAccount,
} from 'kubernetes-types/core/v1.js';
import type { Event as EventsV1EventObject } from 'kubernetes-types/events/v1.js';
import type { ApiResource } from './apiResource.js';

// Each builtin kind is a value (its ApiResource) and a type (its objects as they are on the wire,
// from `kubernetes-types`: timestamps and quantities are strings), under one name.

function resource<K extends { kind?: string }>(
  group: string,
  kind: string,
  plural: string,
  namespaced = true,
): ApiResource<K> {
  return Object.freeze({ group, version: 'v1', kind, plural, namespaced });
}

/** A core/v1 Namespace object, as on the wire. */
export type Namespace = CoreV1Namespace;
/** core/v1 Namespace (cluster-scoped). */
export const Namespace: ApiResource<Namespace> = resource('', 'Namespace', 'namespaces', false);

/** A core/v1 Pod object, as on the wire. */
export type Pod = CoreV1Pod;
/** core/v1 Pod. */
export const Pod: ApiResource<Pod> = resource('', 'Pod', 'pods');

/** A core/v1 ConfigMap object, as on the wire. */
export type ConfigMap = CoreV1ConfigMap;
/** core/v1 ConfigMap. */
export const ConfigMap: ApiResource<ConfigMap> = resource('', 'ConfigMap', 'configmaps');

/** A core/v1 Secret object, as on the wire (`data` values are base64). */
export type Secret = CoreV1Secret;
/** core/v1 Secret. */
export const Secret: ApiResource<Secret> = resource('', 'Secret', 'secrets');

/** A core/v1 Service object, as on the wire. */
export type Service = CoreV1Service;
/** core/v1 Service. */
export const Service: ApiResource<Service> = resource('', 'Service', 'services');

/** A core/v1 ServiceAccount object, as on the wire. */
export type ServiceAccount = CoreV1ServiceAccount;
/** core/v1 ServiceAccount. */
export const ServiceAccount: ApiResource<ServiceAccount> = resource(
  '',
  'ServiceAccount',
  'serviceaccounts',
);

/** A core/v1 Event object, as on the wire. */
export type Event = CoreV1Event;
/** core/v1 Event (the legacy event API; see {@link EventsV1Event} for events.k8s.io/v1). */
export const Event: ApiResource<Event> = resource('', 'Event', 'events');

/** A core/v1 Node object, as on the wire. */
export type Node = CoreV1Node;
/** core/v1 Node (cluster-scoped). */
export const Node: ApiResource<Node> = resource('', 'Node', 'nodes', false);

/** An apps/v1 Deployment object, as on the wire. */
export type Deployment = AppsV1Deployment;
/** apps/v1 Deployment. */
export const Deployment: ApiResource<Deployment> = resource('apps', 'Deployment', 'deployments');

/** A coordination.k8s.io/v1 Lease object, as on the wire (`renewTime` is a MicroTime string). */
export type Lease = CoordinationV1Lease;
/** coordination.k8s.io/v1 Lease (leader election). */
export const Lease: ApiResource<Lease> = resource('coordination.k8s.io', 'Lease', 'leases');

/** An events.k8s.io/v1 Event object, as on the wire. */
export type EventsV1Event = EventsV1EventObject;
/** events.k8s.io/v1 Event (what `Recorder` writes). */
export const EventsV1Event: ApiResource<EventsV1Event> = resource(
  'events.k8s.io',
  'Event',
  'events',
);

/** An apiextensions.k8s.io/v1 CustomResourceDefinition object, as on the wire. */
export type CustomResourceDefinition = ApiextensionsV1CustomResourceDefinition;
/** apiextensions.k8s.io/v1 CustomResourceDefinition (cluster-scoped). */
export const CustomResourceDefinition: ApiResource<CustomResourceDefinition> = resource(
  'apiextensions.k8s.io',
  'CustomResourceDefinition',
  'customresourcedefinitions',
  false,
);
