import type { ServerResponse } from 'node:http';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import type { FieldSelector } from '../selectors/fieldSelector.js';
import type { LabelSelector } from '../selectors/labelSelector.js';
import type { StoredObject } from '../store/storedObject.js';
import { apiVersionOfDefinition } from '../resources/resourceDefinition.js';
import { storageKey } from '../store/storageViews.js';
import type { ChangeEvent } from './watchEvent.js';

/** What a watch asked for. */
export interface WatchStreamOptions {
  readonly definition: ResourceDefinition;
  readonly namespace: string | undefined;
  readonly labels: LabelSelector;
  readonly fields: FieldSelector;
  /** `Accept: ...;as=PartialObjectMetadata`: objects are sent as PartialObjectMetadata. */
  readonly metadataOnly: boolean;
  readonly bookmarks: boolean;
  /** From `timeoutSeconds`: the stream ends cleanly after this long. */
  readonly timeoutMs: number | undefined;
  readonly bookmarkIntervalMs: number;
  /** Events up to this resourceVersion are already covered (by replay or initial state). */
  readonly sinceResourceVersion: number;
  /** Source of the current resourceVersion for bookmarks. */
  readonly currentResourceVersion: () => number;
}

// The longest delay setTimeout/setInterval honour (2^31 - 1 ms).
const MAX_TIMER_MS = 2_147_483_647;

// A line that is not JSON: what `faults.malformedWatchLine()` inserts.
const GARBAGE_LINE = '{"type":"MODIFIED","object":{"kind":\u0000 not json\n';

/**
 * One open WATCH response: filters store events through its namespace and selectors (an object
 * leaving the selector is a DELETED, entering it an ADDED), writes one line per event with
 * writes of one tick corked together, and sends bookmarks and the timeout's clean end.
 */
export class WatchStream {
  readonly options: WatchStreamOptions;
  private readonly response: ServerResponse;
  private readonly timers: NodeJS.Timeout[] = [];
  private corked = false;
  private garbageNext = false;
  private closed = false;
  private readonly onClose: (stream: WatchStream) => void;

  constructor(
    response: ServerResponse,
    options: WatchStreamOptions,
    onClose: (stream: WatchStream) => void,
  ) {
    this.response = response;
    this.options = options;
    this.onClose = onClose;
    response.on('close', () => this.finish());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Starts the timers: periodic bookmarks, the bookmark shortly before the timeout, the timeout. */
  start(): void {
    const { bookmarks, timeoutMs, bookmarkIntervalMs } = this.options;
    // Node runs a timer longer than MAX_TIMER_MS after 1 ms: a watch asking for a longer timeout
    // would end at once without a line. Beyond that (~24.8 days) it simply never times out.
    if (bookmarks && bookmarkIntervalMs > 0 && bookmarkIntervalMs <= MAX_TIMER_MS) {
      this.timers.push(setInterval(() => this.sendBookmark(), bookmarkIntervalMs));
    }
    if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) {
      if (bookmarks) {
        // The apiserver's watch cache sends a bookmark about 2 s before the watch times out.
        const lead = Math.min(2000, timeoutMs / 2);
        this.timers.push(setTimeout(() => this.sendBookmark(), timeoutMs - lead));
      }
      this.timers.push(setTimeout(() => this.end(), timeoutMs));
    }
  }

  /** Whether `object` is visible to this watch. */
  matches(object: StoredObject): boolean {
    const { namespace, labels, fields } = this.options;
    if (namespace !== undefined && object.namespace !== namespace) return false;
    if (!labels.empty && !labels.matches(object.object.metadata?.labels)) return false;
    return fields.empty || fields.matches(object.object);
  }

  /**
   * Sends `change` if this watch should see it, in the shape of the watched resource (a write
   * through a resource sharing its storage, such as the other Event API, is converted).
   */
  deliver(change: ChangeEvent): void {
    if (this.closed) return;
    const { definition, metadataOnly, sinceResourceVersion } = this.options;
    if (storageKey(change.definition) !== storageKey(definition)) return;
    if (change.resourceVersion <= sinceResourceVersion) return;
    const event = change.as(definition);
    if (event.type !== 'MODIFIED' || event.previous === undefined) {
      if (this.matches(event.object)) this.write(event.line('asIs', metadataOnly));
      return;
    }
    const before = this.matches(event.previous);
    const after = this.matches(event.object);
    if (before && after) this.write(event.line('asIs', metadataOnly));
    else if (after) this.write(event.line('entered', metadataOnly));
    else if (before) this.write(event.line('left', metadataOnly));
  }

  /** Sends a synthetic ADDED for an existing object (initial state). */
  deliverInitial(object: StoredObject): void {
    if (!this.matches(object)) return;
    const json = this.options.metadataOnly ? object.metadataJson : object.json;
    this.write(`{"type":"ADDED","object":${json}}\n`);
  }

  /** Sends a BOOKMARK at the current resourceVersion (optionally with annotations). */
  sendBookmark(annotations?: Record<string, string>): void {
    if (this.closed) return;
    const current = this.options.currentResourceVersion();
    if (current < this.options.sinceResourceVersion) return;
    const { definition, metadataOnly } = this.options;
    const metadata: Record<string, unknown> = { resourceVersion: String(current) };
    if (!definition.custom && !metadataOnly) metadata.creationTimestamp = null;
    if (annotations !== undefined) metadata.annotations = annotations;
    const object = metadataOnly
      ? { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata }
      : { kind: definition.kind, apiVersion: apiVersionOfDefinition(definition), metadata };
    this.write(`{"type":"BOOKMARK","object":${JSON.stringify(object)}}\n`);
  }

  /** Writes a raw line (used for the ERROR event of a too-old resourceVersion). */
  write(line: string): void {
    if (this.closed) return;
    if (!this.corked) {
      // Lines written in the same tick go out in one chunked write; each tick is flushed.
      this.corked = true;
      this.response.cork();
      process.nextTick(() => this.flush());
    }
    if (this.garbageNext) {
      this.garbageNext = false;
      this.response.write(GARBAGE_LINE);
    }
    this.response.write(line);
  }

  /** The next line is preceded by a malformed one. */
  injectMalformedLine(): void {
    this.garbageNext = true;
  }

  /** Ends the stream cleanly (terminating chunk), as a timeout does. */
  end(): void {
    if (this.closed) return;
    this.flush();
    this.response.end();
    this.finish();
  }

  /** Ends the stream abruptly: the socket is destroyed without the terminating chunk. */
  destroy(): void {
    if (this.closed) return;
    this.response.socket?.destroy();
    this.response.destroy();
    this.finish();
  }

  private flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.response.uncork();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
    this.onClose(this);
  }
}
