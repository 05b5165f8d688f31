import type { KubeObject } from '@kube-rx/core';
import type { StoredObject } from '../store/storedObject.js';
import { applyDeploymentDefaults } from './deploymentDefaults.js';
import type { ResourceDefinition } from './resourceDefinition.js';
import { applyServiceDefaults } from './serviceDefaults.js';

type Mutable = KubeObject & Record<string, unknown>;

/**
 * Fields the apiserver fills in on create for particular kinds: a Namespace gets
 * `spec.finalizers: [kubernetes]` and `status.phase: Active`, a Pod `status.phase: Pending`, a
 * CustomResourceDefinition its accepted names and Established condition, a Service its cluster
 * IP and defaults (`existing` are the Services already stored), a Deployment its spec defaults.
 */
export function applyCreateDefaults(
  definition: ResourceDefinition,
  object: Mutable,
  now: string,
  existing: () => readonly StoredObject[],
): void {
  if (definition.group === '' && definition.plural === 'services') {
    applyServiceDefaults(object, existing());
  } else if (definition.group === 'apps' && definition.plural === 'deployments') {
    applyDeploymentDefaults(object);
  }
  if (definition.group === '' && definition.plural === 'namespaces') {
    object.spec = { finalizers: ['kubernetes'] };
    object.status = { phase: 'Active' };
  } else if (definition.group === '' && definition.plural === 'pods') {
    object.status = { phase: 'Pending' };
  } else if (definition.group === 'apiextensions.k8s.io') {
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    spec.conversion ??= { strategy: 'None' };
    const versions = Array.isArray(spec.versions)
      ? (spec.versions as Record<string, unknown>[])
      : [];
    object.status = {
      conditions: [
        condition('NamesAccepted', 'NoConflicts', 'no conflicts found', now),
        condition(
          'Established',
          'InitialNamesAccepted',
          'the initial names have been accepted',
          now,
        ),
      ],
      acceptedNames: spec.names ?? {},
      storedVersions: versions.filter((v) => v.storage === true).map((v) => v.name),
    };
  }
}

function condition(type: string, reason: string, message: string, now: string) {
  return { type, status: 'True', lastTransitionTime: now, reason, message };
}

/** Kinds whose DELETE answers with the object rather than a `Status` (as the apiserver does). */
export function deleteReturnsObject(definition: ResourceDefinition): boolean {
  if (definition.custom) return true;
  return (
    (definition.group === '' && ['pods', 'namespaces', 'services'].includes(definition.plural)) ||
    definition.group === 'apiextensions.k8s.io'
  );
}
