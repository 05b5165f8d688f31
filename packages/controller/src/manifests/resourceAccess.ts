import type { ApiResource } from '@kube-rx/core';

/** An API verb as RBAC names it. */
export type RbacVerb =
  'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** The verbs a component uses on one resource (or one of its subresources). */
export interface ResourceAccess {
  /** API group; `''` for the core group. */
  group: string;
  /** Lower-case plural, e.g. `configmaps`. */
  plural: string;
  /** `status` for `<plural>/status`; absent for the resource itself. */
  subresource?: string;
  /** What is done with it. */
  verbs: readonly RbacVerb[];
}

/**
 * Anything that can say which resources it reads and writes: a `Controller`, and whatever
 * composes controllers (an operator) by merging theirs and adding its own (leases for leader
 * election). `kube-rx rbac` and `clusterRole()` accept every export that has this method.
 */
export interface DescribesAccess {
  /** The resources and verbs used; the same resource may appear more than once (verbs add up). */
  describeAccess(): readonly ResourceAccess[];
}

/** Whether `value` has a `describeAccess()` method. */
export function describesAccess(value: unknown): value is DescribesAccess {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<DescribesAccess>).describeAccess === 'function'
  );
}

/** A {@link ResourceAccess} of `resource` (or its `subresource`) with `verbs`. */
export function accessTo(
  resource: Pick<ApiResource, 'group' | 'plural'>,
  verbs: readonly RbacVerb[],
  subresource?: string,
): ResourceAccess {
  return {
    group: resource.group,
    plural: resource.plural,
    ...(subresource === undefined ? {} : { subresource }),
    verbs,
  };
}
