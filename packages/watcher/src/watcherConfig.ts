import { asyncScheduler, type SchedulerLike } from 'rxjs';

/**
 * How the first state is read: `'Auto'` (a streaming list where the server serves one, else
 * paged LIST then WATCH), `'ListWatch'` (paged LIST then WATCH) or `'StreamingList'` (one WATCH
 * with initial events).
 */
export type InitialListStrategy = 'Auto' | 'ListWatch' | 'StreamingList';

/** Which resourceVersion a (re)list asks for. */
export type ListSemantic = 'MostRecent' | 'Any';

/** Options of {@link watcher}. */
export interface WatcherConfig {
  /** Only objects whose labels match, e.g. `'app=web,tier!=db'`. Default: all. */
  labelSelector?: string;
  /** Only objects whose fields match, e.g. `'metadata.name=app'`. Default: all. */
  fieldSelector?: string;
  /**
   * Server-side duration of each WATCH in seconds (the server then ends it cleanly and the
   * watcher re-opens it from the last resourceVersion). The client gives up on a watch that stays
   * completely silent for `timeoutSeconds + 30` seconds (a dead TCP connection) with a
   * `WatchFailed` error. Default: 290 (under the apiserver's 5-minute cap, as kube-rs).
   */
  timeoutSeconds?: number;
  /** LIST page size (`limit`); each further page uses the server's `continue` token. Default: 500. */
  pageSize?: number;
  /** Ask for BOOKMARK events, which advance the resourceVersion without being emitted. Default: true. */
  bookmarks?: boolean;
  /**
   * `'Auto'` (default): a streaming list as `'StreamingList'`, falling back to `'ListWatch'`
   * for the rest of this watcher's life when the server does not serve one: the WATCH is refused
   * with HTTP 400, 403 or 422 (Kubernetes before 1.27, or the WatchList feature disabled), the
   * stream ends before the initial-events-end bookmark, or that bookmark has not come after 10 s
   * without any event or `listTimeout` after the WATCH opened (a server
   * that ignores `sendInitialEvents`). The partial state is discarded by a new `Init`; `InitDone`
   * only follows a complete state. Kubernetes ≥ 1.32 serves streaming lists by default.
   * `'ListWatch'`: paged LIST, then WATCH from the list's resourceVersion.
   * `'StreamingList'`: one WATCH with `sendInitialEvents=true&resourceVersionMatch=NotOlderThan`;
   * its ADDED events are the initial state (`InitApply`) until the BOOKMARK annotated
   * `k8s.io/initial-events-end`, then `InitDone`. Needs a server with the WatchList feature; on
   * others it fails (`WatchStartFailed` or `WatchFailed`), never falls back.
   */
  initialListStrategy?: InitialListStrategy;
  /**
   * `'MostRecent'` (default): lists are consistent reads (resourceVersion unset).
   * `'Any'`: resourceVersion `"0"`, served from the apiserver's cache (cheaper, may be stale).
   */
  listSemantic?: ListSemantic;
  /**
   * Milliseconds one LIST page may take before it is abandoned (`InitialListFailed` with an
   * `HttpError` `timedOut`); with `'Auto'`, also the longest a streaming list may take to reach
   * its initial-events-end bookmark before the watcher falls back to `'ListWatch'`.
   * Default: 60 000.
   */
  listTimeout?: number;
  /** Scheduler for the list timeout and the watch idle timeout. Default: `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * With `initialListStrategy: 'Auto'`: milliseconds a streaming list may stay silent before its
 * initial-events-end bookmark until the watcher falls back to `'ListWatch'` (a server that
 * ignores `sendInitialEvents` sends the current objects, if any, then nothing more).
 */
export const AUTO_FALLBACK_SILENCE_MS = 10_000;

/** A validated {@link WatcherConfig} with its defaults filled in. */
export interface ResolvedWatcherConfig {
  labelSelector: string | undefined;
  fieldSelector: string | undefined;
  timeoutSeconds: number;
  pageSize: number;
  bookmarks: boolean;
  initialListStrategy: InitialListStrategy;
  listSemantic: ListSemantic;
  listTimeout: number;
  scheduler: SchedulerLike;
}

const STRATEGIES: ReadonlySet<string> = new Set(['Auto', 'ListWatch', 'StreamingList']);

/**
 * Checks a {@link WatcherConfig} and fills in its defaults.
 *
 * @throws TypeError for an invalid value.
 */
export function resolveWatcherConfig(config: WatcherConfig): ResolvedWatcherConfig {
  const timeoutSeconds = config.timeoutSeconds ?? 290;
  const pageSize = config.pageSize ?? 500;
  const listTimeout = config.listTimeout ?? 60_000;
  const initialListStrategy = config.initialListStrategy ?? 'Auto';
  const listSemantic = config.listSemantic ?? 'MostRecent';
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new TypeError(
      `watcher: timeoutSeconds must be a positive integer, got ${timeoutSeconds}`,
    );
  }
  if (!Number.isInteger(pageSize) || pageSize <= 0) {
    throw new TypeError(`watcher: pageSize must be a positive integer, got ${pageSize}`);
  }
  if (!(listTimeout > 0)) {
    throw new TypeError(`watcher: listTimeout must be a positive number of ms, got ${listTimeout}`);
  }
  if (!STRATEGIES.has(initialListStrategy)) {
    throw new TypeError(`watcher: unknown initialListStrategy ${String(initialListStrategy)}`);
  }
  if (listSemantic !== 'MostRecent' && listSemantic !== 'Any') {
    throw new TypeError(`watcher: unknown listSemantic ${String(listSemantic)}`);
  }
  return {
    labelSelector: config.labelSelector,
    fieldSelector: config.fieldSelector,
    timeoutSeconds,
    pageSize,
    bookmarks: config.bookmarks ?? true,
    initialListStrategy,
    listSemantic,
    listTimeout,
    scheduler: config.scheduler ?? asyncScheduler,
  };
}
