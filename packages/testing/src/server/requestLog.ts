import type { RequestVerb } from '../faults/faultRule.js';

/**
 * One request the server received, for assertions ("exactly one LIST after the dropped
 * watch"). `status` is set when the response head is written (0 until then, and for requests
 * whose connection was reset before any response); `durationMs` when the response ends (for a
 * watch: when the stream closes).
 */
export interface RequestLogEntry {
  /**
   * From method and path: `get` (one object) or `list` (a collection), `watch` (`?watch=1|true`
   * or the `/watch/` prefix), `create`, `update`, `patch`, `delete`; `get` for discovery and
   * unknown paths.
   */
  verb: RequestVerb;
  /** Plural, e.g. `configmaps`; `''` for discovery and unknown paths. */
  resource: string;
  /** API group; `''` for core. */
  group: string;
  /** Namespace in the path; absent for cluster-scoped kinds and all-namespace requests. */
  namespace?: string;
  /** Object name in the path; absent for collection requests (LIST, WATCH, CREATE). */
  name?: string;
  /** Subresource in the path, e.g. `status`; absent otherwise. */
  subresource?: string;
  /** URL path without the query, as received (still percent-encoded). */
  path: string;
  /** Query parameters, decoded; for a repeated parameter the last value wins. */
  query: Record<string, string>;
  /** HTTP status code sent; `0` until the head is written and for connections reset before it. */
  status: number;
  /** `Date.now()` when the request arrived. */
  startedAt: number;
  /**
   * Milliseconds from arrival until the response closed (for a watch: the stream); `0` while it
   * is still open.
   */
  durationMs: number;
}
