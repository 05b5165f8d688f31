import { EventsV1Event, Lease, type KubeObject } from '@kube-rx/core';
import {
  accessTo,
  type DescribesAccess,
  type RbacVerb,
  type ResourceAccess,
} from './resourceAccess.js';

/** Options of {@link clusterRole}. */
export interface ClusterRoleConfig {
  /** `metadata.name` of the ClusterRole. */
  name: string;
  /** Add create/patch of events.k8s.io Events (what `Recorder` writes). Default `true`. */
  events?: boolean;
  /** Add get/create/update of coordination.k8s.io Leases (leader election). Default `false`. */
  leaderElection?: boolean;
}

/** One `rules` entry of a ClusterRole. */
export interface PolicyRule {
  /** API groups (`''` = core). */
  apiGroups: string[];
  /** Resources, `plural` or `plural/subresource`. */
  resources: string[];
  /** Allowed verbs. */
  verbs: RbacVerb[];
}

/** An rbac.authorization.k8s.io/v1 ClusterRole. */
export interface ClusterRole extends KubeObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'ClusterRole';
  /** Only the name: a ClusterRole is cluster-scoped. */
  metadata: {
    /** `ClusterRoleConfig.name`. */
    name: string;
  };
  /** What is allowed, one rule per API group and set of verbs. */
  rules: PolicyRule[];
}

const VERB_ORDER: readonly RbacVerb[] = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
];

/**
 * The ClusterRole that lets `components` (controllers, or anything with `describeAccess()`) do
 * what they describe, with the events (and, on request, leases) a controller writes. Verbs of
 * the same resource add up; resources with the same verbs in one group share a rule; rules are
 * sorted, so the output is stable.
 *
 * @example
 * ```ts
 * const role = clusterRole([controller], { name: 'widget-operator', leaderElection: true });
 * // rules: widgets get/list/watch/patch/update, widgets/status get/patch/update, configmaps …, events, leases
 * ```
 */
export function clusterRole(
  components: ReadonlyArray<DescribesAccess>,
  config: ClusterRoleConfig,
): ClusterRole {
  if (typeof config?.name !== 'string' || config.name === '') {
    throw new TypeError('clusterRole: name must be a non-empty string');
  }
  const access: ResourceAccess[] = components.flatMap((component) => [
    ...component.describeAccess(),
  ]);
  if (config.events ?? true) access.push(accessTo(EventsV1Event, ['create', 'patch']));
  if (config.leaderElection) access.push(accessTo(Lease, ['get', 'create', 'update']));
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: config.name },
    rules: rulesOf(access),
  };
}

function rulesOf(access: readonly ResourceAccess[]): PolicyRule[] {
  // group → resource → verbs
  const byGroup = new Map<string, Map<string, Set<RbacVerb>>>();
  for (const entry of access) {
    const resource = entry.subresource ? `${entry.plural}/${entry.subresource}` : entry.plural;
    let resources = byGroup.get(entry.group);
    if (!resources) byGroup.set(entry.group, (resources = new Map()));
    let verbs = resources.get(resource);
    if (!verbs) resources.set(resource, (verbs = new Set()));
    for (const verb of entry.verbs) verbs.add(verb);
  }
  const rules: PolicyRule[] = [];
  for (const group of [...byGroup.keys()].sort()) {
    // Resources with the same verbs share a rule.
    const byVerbs = new Map<string, { verbs: RbacVerb[]; resources: string[] }>();
    for (const [resource, verbs] of byGroup.get(group)!) {
      const sorted = VERB_ORDER.filter((verb) => verbs.has(verb));
      const key = sorted.join(',');
      const rule = byVerbs.get(key) ?? { verbs: sorted, resources: [] };
      rule.resources.push(resource);
      byVerbs.set(key, rule);
    }
    const groupRules = [...byVerbs.values()].map((rule) => ({
      apiGroups: [group],
      resources: rule.resources.sort(),
      verbs: rule.verbs,
    }));
    groupRules.sort((a, b) => (a.resources[0] ?? '').localeCompare(b.resources[0] ?? ''));
    rules.push(...groupRules);
  }
  return rules;
}
