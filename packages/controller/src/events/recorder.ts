import {
  Api,
  EventsV1Event,
  isApiError,
  Patch,
  refKey,
  type ApiResource,
  type KubeObject,
  type ObjectMeta,
  type ObjectRef,
  type PatchBody,
  type PatchParams,
  type PostParams,
} from '@kube-rx/core';
import {
  asyncScheduler,
  catchError,
  lastValueFrom,
  map,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { formatMicroTime } from '../microTime.js';

/** client-node's `KubeConfig`, as `Api` takes it. */
type KubeConfig = Parameters<typeof Api.namespaced>[0];

/** `Normal` or `Warning`, as Kubernetes events know them. */
export type EventType = 'Normal' | 'Warning';

/** What to publish (see {@link Recorder.publish}). */
export interface EventInput {
  /** Default `'Normal'`. */
  type?: EventType;
  /** CamelCase machine-readable reason, e.g. `ConfigMapCreated`. Required. */
  reason: string;
  /** What the controller did or failed to do, e.g. `Reconcile`. Required. */
  action: string;
  /** Human-readable description (at most 1 kB is kept). Default: none. */
  note?: string;
  /** A second object involved (e.g. the ConfigMap created for a Widget). */
  related?: ObjectRef;
}

/** An events.k8s.io/v1 Event as sent over the wire. */
export interface EventsV1EventObject extends KubeObject {
  /** Name (`<object>.<hex time and random suffix>`) and namespace of the Event itself. */
  metadata?: ObjectMeta;
  /** When the event first happened: MicroTime, RFC 3339 UTC with six fractional digits. */
  eventTime?: string;
  /** Present once the same event recurred within the series window; absent on a single event. */
  series?: {
    /** How many times the event has happened so far; `2` at the first repetition. */
    count: number;
    /** When it last happened: MicroTime, RFC 3339 UTC with six fractional digits. */
    lastObservedTime: string;
  };
  /** Controller that emitted the event, e.g. `example.com/widget-operator` (`RecorderConfig`). */
  reportingController?: string;
  /** Instance of that controller, e.g. its pod name (`RecorderConfig`). */
  reportingInstance?: string;
  /** What the controller did or failed to do, e.g. `Reconcile`. */
  action?: string;
  /** CamelCase machine-readable reason, e.g. `ConfigMapCreated`. */
  reason?: string;
  /** `Normal` or `Warning`. */
  type?: string;
  /** Human-readable description, at most 1 kB; absent when none was given. */
  note?: string;
  /** The object the event is about. */
  regarding?: ObjectRef & {
    /** Version of the object the event refers to; the recorder does not set it. */
    resourceVersion?: string;
  };
  /** A second object involved, e.g. the ConfigMap created for a Widget; absent when none. */
  related?: ObjectRef;
}

/** The part of `Api<EventsV1EventObject>` the recorder uses (an `Api` fits). */
export interface EventsApi {
  /** An API scoped to `namespace`: the regarding object's, or `clusterScopedNamespace`. */
  inNamespace(namespace: string): {
    /** Creates a new Event; a cold Observable that fails with the `KubeError` of the request. */
    create(object: EventsV1EventObject, params?: PostParams): Observable<EventsV1EventObject>;
    /**
     * Updates the `series` of an existing Event with a merge patch. A 404 `ApiError` (the Event
     * was deleted) makes the recorder create a new one.
     */
    patch(name: string, patch: PatchBody, params?: PatchParams): Observable<EventsV1EventObject>;
  };
}

/** Options of a {@link Recorder}. */
export interface RecorderConfig {
  /** `reportingController` of every event, a qualified name such as `example.com/widget-operator`. Required. */
  reportingController: string;
  /** `reportingInstance` of every event, e.g. the pod name. Required. */
  reportingInstance: string;
  /**
   * Identical events (same regarding object, related object, reason, action and type) within
   * this many ms of the previous one are counted in one Event's `series` instead of creating a
   * new one. Default `360_000` (6 minutes, as client-go).
   */
  seriesWindow?: number;
  /** How many distinct events are remembered for series de-duplication. Default `4096`. */
  maxCacheSize?: number;
  /** Namespace of events about cluster-scoped objects. Default `'default'`. */
  clusterScopedNamespace?: string;
  /** Clock of `eventTime`/`lastObservedTime` and of the series window. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Randomness in event names. Default `Math.random`. */
  random?: () => number;
}

interface SeriesEntry {
  namespace: string;
  name: string;
  count: number;
  lastObserved: number;
}

const NOTE_LIMIT = 1024;

/**
 * Publishes Kubernetes Events (events.k8s.io/v1) about objects, with series de-duplication as in
 * client-go and kube-runtime: the first occurrence creates an Event; the same event again within
 * `seriesWindow` of the previous one patches that Event's `series` (`count` 2, 3, ... and
 * `lastObservedTime`) instead of creating another object, so a hot loop cannot flood etcd. The
 * note of the first occurrence is kept. If the Event was deleted meanwhile (404), a new one is
 * created.
 *
 * `eventTime` and `series.lastObservedTime` are MicroTime with exactly six fractional digits;
 * `reportingController`, `reportingInstance`, `action`, `reason` and `type` are always set (the
 * server rejects an Event without them). Events go to the regarding object's namespace.
 *
 * `publish` rejects with the `KubeError` when the API call fails; events are informational, so
 * callers usually log and go on. Publishes of the same event are serialised.
 *
 * @example
 * ```ts
 * const recorder = new Recorder(kubeConfig, { reportingController: 'example.com/widgets', reportingInstance: podName });
 * await recorder.publish({ reason: 'ConfigMapCreated', action: 'Reconcile', note: 'created cm/w1' }, objectRef(widget));
 * ```
 */
export class Recorder {
  private readonly api: EventsApi;
  private readonly config: Required<Omit<RecorderConfig, 'scheduler' | 'random'>>;
  private readonly scheduler: SchedulerLike;
  private readonly random: () => number;
  private readonly series = new Map<string, SeriesEntry>();
  private readonly inFlight = new Map<string, Promise<void>>();

  /**
   * @param client a `KubeConfig` (an `Api` for events.k8s.io/v1 Events is built from it) or
   *   an {@link EventsApi} such as `Api.all(kc, EventsV1Event)`.
   * @throws TypeError when `reportingController`/`reportingInstance` are empty or a number is out of range.
   */
  constructor(client: KubeConfig | EventsApi, config: RecorderConfig) {
    if (!config?.reportingController || !config.reportingInstance) {
      throw new TypeError('Recorder: reportingController and reportingInstance are required');
    }
    const seriesWindow = config.seriesWindow ?? 360_000;
    const maxCacheSize = config.maxCacheSize ?? 4096;
    if (!(seriesWindow >= 0)) throw new TypeError('Recorder: seriesWindow must be >= 0');
    if (!Number.isInteger(maxCacheSize) || maxCacheSize < 1) {
      throw new TypeError('Recorder: maxCacheSize must be an integer >= 1');
    }
    if (typeof client !== 'object' || client === null) {
      throw new TypeError('Recorder: expected a KubeConfig or an Api for events.k8s.io/v1 Events');
    }
    this.api =
      typeof (client as Partial<EventsApi>).inNamespace === 'function'
        ? (client as EventsApi)
        : Api.all<EventsV1EventObject>(client as KubeConfig, EventsV1Event as ApiResource);
    this.config = {
      reportingController: config.reportingController,
      reportingInstance: config.reportingInstance,
      seriesWindow,
      maxCacheSize,
      clusterScopedNamespace: config.clusterScopedNamespace ?? 'default',
    };
    this.scheduler = config.scheduler ?? asyncScheduler;
    this.random = config.random ?? Math.random;
  }

  /** Number of distinct events remembered for series de-duplication. */
  get cacheSize(): number {
    return this.series.size;
  }

  /**
   * Publishes `event` about the object `regarding` (include its `kind` and `apiVersion`, e.g.
   * with `objectRef(object)`). Resolves once the Event is created or its series patched.
   *
   * @example
   * ```ts
   * await recorder.publish({ type: 'Warning', reason: 'InvalidSpec', action: 'Reconcile', note: 'spec.size missing' }, objectRef(widget));
   * ```
   */
  publish(event: EventInput, regarding: ObjectRef): Promise<void> {
    if (!event?.reason || !event.action) {
      return Promise.reject(new TypeError('Recorder.publish: reason and action are required'));
    }
    const type = event.type ?? 'Normal';
    const key = JSON.stringify([
      regarding.apiVersion,
      regarding.kind,
      refKey(regarding),
      regarding.uid,
      event.related && [event.related.kind, refKey(event.related)],
      event.reason,
      event.action,
      type,
    ]);
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => this.publishNow(key, { ...event, type }, regarding));
    this.inFlight.set(key, next);
    const cleanup = (): void => {
      if (this.inFlight.get(key) === next) this.inFlight.delete(key);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  private async publishNow(
    key: string,
    event: EventInput & { type: EventType },
    regarding: ObjectRef,
  ): Promise<void> {
    const now = this.scheduler.now();
    const entry = this.series.get(key);
    if (entry && now - entry.lastObserved <= this.config.seriesWindow) {
      const count = entry.count + 1;
      const patched = await lastValueFrom(
        this.api
          .inNamespace(entry.namespace)
          .patch(
            entry.name,
            Patch.merge({ series: { count, lastObservedTime: formatMicroTime(now) } }),
          )
          .pipe(
            map(() => true),
            catchError((error: unknown) => {
              if (isApiError(error, 404)) return [false];
              throw error;
            }),
          ),
      );
      if (patched) {
        this.remember(key, { ...entry, count, lastObserved: now });
        return;
      }
    }
    const namespace = regarding.namespace ?? this.config.clusterScopedNamespace;
    const name = this.eventName(regarding.name, now);
    const body: EventsV1EventObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      eventTime: formatMicroTime(now),
      reportingController: this.config.reportingController,
      reportingInstance: this.config.reportingInstance,
      action: event.action,
      reason: event.reason,
      type: event.type,
      regarding: { ...regarding },
    };
    if (event.note !== undefined) body.note = event.note.slice(0, NOTE_LIMIT);
    if (event.related !== undefined) body.related = { ...event.related };
    await lastValueFrom(this.api.inNamespace(namespace).create(body));
    this.remember(key, { namespace, name, count: 1, lastObserved: now });
  }

  private remember(key: string, entry: SeriesEntry): void {
    this.series.delete(key);
    this.series.set(key, entry);
    const expiredBefore = this.scheduler.now() - this.config.seriesWindow;
    for (const [oldKey, oldEntry] of this.series) {
      if (this.series.size <= this.config.maxCacheSize && oldEntry.lastObserved >= expiredBefore) {
        break;
      }
      this.series.delete(oldKey);
    }
  }

  private eventName(objectName: string, now: number): string {
    // client-go names events "<object>.<time in hex>"; a random suffix keeps two events in the
    // same millisecond apart.
    const suffix =
      Math.floor(now).toString(16) +
      Math.floor(this.random() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    return `${objectName.slice(0, 253 - suffix.length - 1)}.${suffix}`;
  }
}
