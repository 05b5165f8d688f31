import type { RequestVerb } from '../faults/faultRule.js';

/**
 * One request the server received, for assertions ("exactly one LIST after the dropped
 * watch"). `status` is set when the response head is written (0 until then, and for requests
 * whose connection was reset before any response); `durationMs` when the response ends (for a
 * watch: when the stream closes).
 */
export interface RequestLogEntry {
  verb: RequestVerb;
  /** Plural, e.g. `configmaps`; `''` for discovery and unknown paths. */
  resource: string;
  /** API group; `''` for core. */
  group: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** `Date.now()` when the request arrived. */
  startedAt: number;
  durationMs: number;
}
