/** The verbs of the request log and of fault rules. */
export type RequestVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

/** Which requests a fault applies to; every given field must match, absent fields match anything. */
export interface RequestMatch {
  /** One verb or several. */
  verb?: RequestVerb | readonly RequestVerb[];
  /** Plural (`configmaps`) or `plural.group` (`leases.coordination.k8s.io`). */
  resource?: string;
  /** Namespace of the request; never matches cluster-scoped requests or all-namespace lists. */
  namespace?: string;
  /** Object name; never matches collection requests (LIST, WATCH of all, CREATE). */
  name?: string;
  /** e.g. `status`. */
  subresource?: string;
}

/** What the fault machinery knows about a request when deciding. */
export interface RequestFacts {
  verb: RequestVerb;
  resource: string;
  group: string;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

/** Whether `facts` satisfy `match`. */
export function requestMatches(match: RequestMatch, facts: RequestFacts): boolean {
  if (match.verb !== undefined) {
    const verbs: readonly RequestVerb[] =
      typeof match.verb === 'string' ? [match.verb] : match.verb;
    if (!verbs.includes(facts.verb)) return false;
  }
  if (
    match.resource !== undefined &&
    match.resource !== facts.resource &&
    match.resource !== `${facts.resource}.${facts.group}`
  ) {
    return false;
  }
  if (match.namespace !== undefined && match.namespace !== facts.namespace) return false;
  if (match.name !== undefined && match.name !== facts.name) return false;
  return match.subresource === undefined || match.subresource === facts.subresource;
}
