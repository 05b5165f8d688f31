import type { ApiContext } from '../operations/apiContext.js';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import { parseFieldSelector } from '../selectors/fieldSelector.js';
import { parseLabelSelector } from '../selectors/labelSelector.js';
import { badRequest, invalid, type FieldError } from '../status.js';
import type { StoredObject } from '../store/storedObject.js';
import type { WatchHub } from '../watch/watchHub.js';
import { WatchStream } from '../watch/watchStream.js';
import type { Exchange } from './exchange.js';

/** How a WATCH request is served. */
export interface WatchRequest {
  readonly definition: ResourceDefinition;
  readonly namespace: string | undefined;
  readonly query: Readonly<Record<string, string>>;
  readonly metadataOnly: boolean;
  readonly bookmarkIntervalMs: number;
  /** How `sendInitialEvents` is served: as v1.37, refused (422), or ignored. */
  readonly watchList: 'Enabled' | 'Disabled' | 'Ignored';
  /** Destroy the connection once the initial events are out (`resetConnections({stage:'body'})`). */
  readonly resetAfterStart: boolean;
}

const LIST_OPTIONS = { group: 'meta.k8s.io', kind: 'ListOptions', plural: '' };

/**
 * Serves a WATCH: HTTP 200 with chunked line-delimited JSON.
 * - `resourceVersion` unset or `0`: synthetic ADDED for the current objects, then changes.
 * - `resourceVersion=N`: replays the history after N, then changes; older than the history →
 *   one ERROR event (410 Expired, "too old resource version: N (M)") and a clean end; newer
 *   than the server → waits, skipping events up to N.
 * - `sendInitialEvents=true` (needs `resourceVersionMatch=NotOlderThan`, else 422; as in
 *   kube-apiserver v1.37, `allowWatchBookmarks` is not required): ADDED for the current objects,
 *   then a BOOKMARK annotated `k8s.io/initial-events-end: "true"` (sent even without
 *   `allowWatchBookmarks`, which only governs the periodic bookmarks).
 * - `allowWatchBookmarks`, `timeoutSeconds`, label and field selectors as the apiserver.
 */
export function startWatch(
  exchange: Exchange,
  context: ApiContext,
  hub: WatchHub,
  request: WatchRequest,
): void {
  const { store } = context;
  const { definition, namespace } = request;
  const query = request.watchList === 'Ignored' ? withoutWatchList(request.query) : request.query;
  if (request.watchList === 'Disabled' && query.sendInitialEvents !== undefined) {
    throw invalid(LIST_OPTIONS, '', [
      {
        reason: 'FieldValueForbidden',
        field: 'sendInitialEvents',
        message:
          'Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
      },
    ]);
  }
  const labels = parseLabelSelector(query.labelSelector);
  const fields = parseFieldSelector(query.fieldSelector);
  const bookmarks = query.allowWatchBookmarks === 'true' || query.allowWatchBookmarks === '1';
  const sendInitialEvents = query.sendInitialEvents;
  validateOptions(query);
  const timeoutSeconds = Number.parseInt(query.timeoutSeconds ?? '', 10);
  const current = store.currentResourceVersion;
  const requested = query.resourceVersion ?? '';
  let initial: StoredObject[] = [];
  let since = current;
  let replayFrom: number | undefined;
  if (sendInitialEvents === 'true') {
    initial = store.list(definition, namespace);
  } else if (requested === '' || requested === '0') {
    if (sendInitialEvents !== 'false') initial = store.list(definition, namespace);
  } else {
    const version = Number(requested);
    if (!Number.isSafeInteger(version) || version < 0) {
      throw badRequest(
        `resourceVersion: Invalid value: "${requested}": must be a valid resourceVersion`,
      );
    }
    since = version;
    replayFrom = version;
  }
  exchange.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  exchange.response.flushHeaders();
  const stream = new WatchStream(
    exchange.response,
    {
      definition,
      namespace,
      labels,
      fields,
      metadataOnly: request.metadataOnly,
      bookmarks,
      timeoutMs:
        Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds * 1000 : undefined,
      bookmarkIntervalMs: request.bookmarkIntervalMs,
      sinceResourceVersion: since,
      currentResourceVersion: () => store.currentResourceVersion,
    },
    (closed) => hub.remove(closed),
  );
  if (replayFrom !== undefined && replayFrom < store.history.startResourceVersion) {
    stream.write(tooOldLine(replayFrom, store.history.startResourceVersion));
    stream.end();
    return;
  }
  for (const object of initial) stream.deliverInitial(object);
  if (replayFrom !== undefined) {
    for (const event of store.history.since(replayFrom)) stream.deliver(event);
  }
  if (sendInitialEvents === 'true') stream.sendBookmark({ 'k8s.io/initial-events-end': 'true' });
  hub.add(stream);
  stream.start();
  if (request.resetAfterStart) setImmediate(() => stream.destroy());
}

/** The query as a server that does not know streaming lists reads it. */
function withoutWatchList(query: Readonly<Record<string, string>>): Record<string, string> {
  const { sendInitialEvents: _send, resourceVersionMatch: _match, ...rest } = query;
  return rest;
}

function tooOldLine(requested: number, oldest: number): string {
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `too old resource version: ${requested} (${oldest})`,
    reason: 'Expired',
    code: 410,
  };
  return `{"type":"ERROR","object":${JSON.stringify(status)}}\n`;
}

function validateOptions(query: Readonly<Record<string, string>>): void {
  const errors: FieldError[] = [];
  if (query.sendInitialEvents === 'true') {
    if (query.resourceVersionMatch !== 'NotOlderThan') {
      errors.push({
        reason: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        message:
          'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      });
    }
  } else if (query.resourceVersionMatch !== undefined && query.resourceVersionMatch !== '') {
    errors.push({
      reason: 'FieldValueForbidden',
      field: 'resourceVersionMatch',
      message:
        'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    });
  }
  if (errors.length > 0) throw invalid(LIST_OPTIONS, '', errors);
}
