import { Observable, type Subscriber, type Subscription } from 'rxjs';
import {
  ApiError,
  HttpError,
  isApiError,
  isHttpError,
  claimResume,
  SerdeError,
  subscribeWithin,
  toKubeError,
  type KubeError,
  type KubeObject,
  type ListParams,
  type ObjectList,
  type WatchEvent,
  type WatchParams,
} from '@kube-rx/core';
import { InitialListChoice, type InitialListOutcome } from './initialListChoice.js';
import {
  AUTO_FALLBACK_SILENCE_MS,
  resolveWatcherConfig,
  type ResolvedWatcherConfig,
  type WatcherConfig,
} from './watcherConfig.js';
import { WatcherError, type WatcherErrorKind } from './watcherError.js';
import type { WatcherEvent } from './watcherEvent.js';

export type { InitialListStrategy, ListSemantic, WatcherConfig } from './watcherConfig.js';

/**
 * What a {@link watcher} needs from an `Api<K>`: its `list` and `watch` methods. The `Api` class
 * of `@kube-rx/core` satisfies it; tests can pass a fake.
 */
export interface ListWatchApi<K> {
  /**
   * One LIST page as a cold Observable that emits the page and completes, failing with a
   * `KubeError`. Called with `limit` and `continue` while paging, and the selectors of the config.
   */
  list(params?: ListParams): Observable<ObjectList<K>>;
  /**
   * One WATCH as a cold Observable of raw server events (including `BOOKMARK` and `ERROR`) that
   * completes when the server ends the stream and is aborted on unsubscribe.
   */
  watch(params?: WatchParams): Observable<WatchEvent<K>>;
}

/** Where a watcher (re)starts: from nothing (a full list), or watching from a resourceVersion. */
type StartPoint = { phase: 'list' } | { phase: 'watch'; resourceVersion: string };

/**
 * Where each error's stream resumes, for the watcher Observable that raised it: claimed (see
 * `claimResume`) when a `backoff` re-subscribes that Observable through the operators in between.
 */
const resumePoints = new WeakMap<object, StartPoint>();

/** Seconds of silence tolerated beyond the server-side watch timeout before the client gives up. */
const IDLE_MARGIN_SECONDS = 30;

/**
 * A watch that ends cleanly, without a single event, sooner than this after it opened is treated
 * as a failure: re-opening it at once would be a tight request loop against a misbehaving proxy.
 */
const MIN_EMPTY_WATCH_MS = 1000;

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/** Answers to a streaming list's WATCH that mean the server does not serve streaming lists. */
const REFUSED_CODES: ReadonlySet<number> = new Set([400, 403, 422]);

/**
 * Watches every object of a resource: lists them, then follows changes, forever.
 *
 * Returns a cold `Observable<WatcherEvent<K>>` (each subscription runs its own list+watch). It
 * emits `Init`, one `InitApply` per listed object, `InitDone`, then `Apply`/`Delete` as objects
 * change — the semantics of kube-runtime's `watcher`:
 *
 * - the initial state comes from a streaming list (one WATCH with `sendInitialEvents`) where the
 *   server serves one, else from a paged LIST (`initialListStrategy`, default `'Auto'`); if a
 *   `continue` token expires (410) the list restarts from the first page once, at once (a second
 *   expiry in the same list is `InitialListFailed`);
 * - the WATCH starts from the list's resourceVersion; BOOKMARKs advance the resourceVersion and are
 *   not emitted; when the server ends a watch normally it is re-opened from the last
 *   resourceVersion (no relist, no error);
 * - every failure is a {@link WatcherError} that is resumable (see {@link WatcherErrorKind}): a
 *   broken watch resumes with one WATCH from the last resourceVersion and zero LISTs; 410 Gone
 *   resumes with a relist (`Init` … `InitDone`).
 *
 * The watcher never retries by itself, so there is no tight loop: pipe it through
 * `defaultBackoff()` (or `backoff(strategy)`) from `@kube-rx/core`, which waits and re-subscribes
 * its source. This Observable, subscribed again by the operators in between while the backoff
 * re-subscribes, resumes from where the failed subscription stopped, so any synchronous operators
 * (`map`, `filter`, `scan`, `withLatestFrom`, ...) may sit between the watcher and the backoff.
 * Subscribed at any other time (or through an operator that subscribes asynchronously) it starts
 * with a LIST. Each error says whether the stream `progressed` since it (re)started (a completed
 * list, a change), so a LIST failing over and over does reach the backoff's cap.
 *
 * Throws a `TypeError` at once for an invalid config.
 *
 * @example
 * ```ts
 * const api = Api.all<Pod>(kubeConfig, Pod);
 * const { store, writer } = createStore<Pod>();
 * watcher(api, { labelSelector: 'app=web' })
 *   .pipe(defaultBackoff(), reflect(writer), appliedObjects())
 *   .subscribe((pod) => console.log('pod changed', pod.metadata?.name));
 * await store.ready();
 * ```
 */
export function watcher<K extends KubeObject>(
  api: ListWatchApi<K>,
  config: WatcherConfig = {},
): Observable<WatcherEvent<K>> {
  const resolved = resolveWatcherConfig(config);
  const choice = new InitialListChoice(resolved.initialListStrategy);
  return watchFrom(api, resolved, choice, { phase: 'list' });
}

function watchFrom<K extends KubeObject>(
  api: ListWatchApi<K>,
  config: ResolvedWatcherConfig,
  choice: InitialListChoice,
  start: StartPoint,
): Observable<WatcherEvent<K>> {
  // Identifies this Observable in its errors, so that a backoff's re-subscription can hand it
  // back the point where a failed subscription stopped.
  const resumeToken = {};
  return new Observable<WatcherEvent<K>>((subscriber) => {
    const claimed = claimResume(resumeToken);
    const from = (claimed !== undefined ? resumePoints.get(claimed) : undefined) ?? start;
    const machine = new WatcherMachine(api, config, choice, subscriber, resumeToken);
    machine.start(from);
    return () => machine.stop();
  });
}

/**
 * One subscription's list/watch state machine. Each request is one inner subscription; the next
 * request starts when the previous one settled. Transitions go through a trampoline so that
 * synchronous sources (fakes, caches) do not grow the stack.
 */
class WatcherMachine<K extends KubeObject> {
  private inner: Subscription | undefined;
  private idleTimer: Subscription | undefined;
  private fallbackTimer: Subscription | undefined;
  private pendingStep: (() => void) | undefined;
  private stepping = false;
  /** Whether a completed list or a change was delivered since this subscription started. */
  private progressed = false;

  constructor(
    private readonly api: ListWatchApi<K>,
    private readonly config: ResolvedWatcherConfig,
    private readonly choice: InitialListChoice,
    private readonly subscriber: Subscriber<WatcherEvent<K>>,
    private readonly resumeToken: object,
  ) {}

  start(start: StartPoint): void {
    if (start.phase === 'watch') this.step(() => this.watch(start.resourceVersion));
    else if (this.choice.streaming) this.step(() => this.streamingList());
    else this.step(() => this.list(false));
  }

  stop(): void {
    this.pendingStep = undefined;
    this.clearInner();
  }

  private step(next: () => void): void {
    this.pendingStep = next;
    if (this.stepping) return;
    this.stepping = true;
    try {
      while (this.pendingStep !== undefined && !this.subscriber.closed) {
        const current = this.pendingStep;
        this.pendingStep = undefined;
        current();
      }
    } finally {
      this.stepping = false;
    }
  }

  private clearInner(): void {
    this.idleTimer?.unsubscribe();
    this.idleTimer = undefined;
    this.fallbackTimer?.unsubscribe();
    this.fallbackTimer = undefined;
    const inner = this.inner;
    this.inner = undefined;
    inner?.unsubscribe();
  }

  /**
   * Keeps the subscription of the running request. Requests are subscribed with
   * `subscribeWithin(subscriber, ...)`, so a synchronous source stops as soon as this stream is
   * unsubscribed; one that settled synchronously may already have ended this stream, and then
   * the request is released at once.
   */
  private attach(request: Subscription): void {
    if (this.subscriber.closed) request.unsubscribe();
    else this.inner = request;
  }

  private fail(
    kind: WatcherErrorKind,
    message: string,
    cause: KubeError,
    resume: StartPoint,
    status?: ApiError['status'],
  ): void {
    this.clearInner();
    const { api, config, choice } = this;
    const resourceVersion = resume.phase === 'watch' ? resume.resourceVersion : undefined;
    const error = new WatcherError<WatcherEvent<K>>(message, {
      kind,
      cause,
      status,
      resourceVersion,
      progressed: this.progressed,
      resumeToken: this.resumeToken,
      resume: () => watchFrom(api, config, choice, resume),
    });
    resumePoints.set(error, resume);
    this.subscriber.error(error);
  }

  /** Emits an event that counts as progress: `InitDone`, `Apply` or `Delete`. */
  private emitProgress(event: WatcherEvent<K>): void {
    this.progressed = true;
    this.subscriber.next(event);
  }

  private emitInit(): void {
    this.subscriber.next({ type: 'Init' });
  }

  /**
   * A streaming list found the server does not serve one: from now on this watcher lists with
   * paged LISTs. The new list starts with `Init`, which discards the partial initial state.
   */
  private fallBack(outcome: InitialListOutcome): void {
    this.clearInner();
    this.choice.record(outcome);
    this.step(() => this.list(false));
  }

  private list(restarted: boolean): void {
    this.emitInit();
    this.listPage(undefined, restarted);
  }

  private listPage(continueToken: string | undefined, restarted: boolean): void {
    const { config, subscriber } = this;
    const params: ListParams = { limit: config.pageSize };
    if (config.labelSelector !== undefined) params.labelSelector = config.labelSelector;
    if (config.fieldSelector !== undefined) params.fieldSelector = config.fieldSelector;
    if (continueToken !== undefined) params.continue = continueToken;
    else if (config.listSemantic === 'Any') params.resourceVersion = '0';

    let received = false;
    const timer = config.scheduler.schedule(() => {
      const error = new HttpError(`LIST did not answer within ${config.listTimeout} ms`, {
        code: 'ETIMEDOUT',
        timedOut: true,
        method: 'GET',
      });
      this.fail('InitialListFailed', error.message, error, { phase: 'list' });
    }, config.listTimeout);
    this.clearInner();
    this.idleTimer = timer;
    this.attach(
      subscribeWithin(subscriber, this.api.list(params), {
        next: (page) => {
          if (received) return;
          received = true;
          timer.unsubscribe();
          const items = page.items;
          for (let i = 0; i < items.length && !subscriber.closed; i++) {
            subscriber.next({ type: 'InitApply', object: items[i] as K });
          }
          if (subscriber.closed) return;
          const next = page.metadata.continue;
          if (next) {
            this.step(() => this.listPage(next, restarted));
            return;
          }
          const resourceVersion = page.metadata.resourceVersion;
          if (!resourceVersion) {
            const error = new SerdeError('LIST response has no metadata.resourceVersion');
            this.fail('InitialListFailed', error.message, error, { phase: 'list' });
            return;
          }
          this.emitProgress({ type: 'InitDone' });
          this.step(() => this.watch(resourceVersion));
        },
        error: (error: unknown) => {
          if (continueToken !== undefined && !restarted && isApiError(error, 410)) {
            // The continue token expired (compaction): the pages read so far are inconsistent
            // with what follows, so the list starts over, once, from a fresh first page.
            this.step(() => this.list(true));
            return;
          }
          const cause = toKubeError(error, { stage: 'request', method: 'GET' });
          this.fail('InitialListFailed', `LIST failed: ${cause.message}`, cause, { phase: 'list' });
        },
        complete: () => {
          if (received) return;
          const error = new SerdeError('LIST completed without a response');
          this.fail('InitialListFailed', error.message, error, { phase: 'list' });
        },
      }),
    );
  }

  private streamingList(): void {
    this.emitInit();
    const params = this.watchParams();
    params.sendInitialEvents = true;
    params.resourceVersionMatch = 'NotOlderThan';
    params.allowWatchBookmarks = true;
    if (this.config.listSemantic === 'Any') params.resourceVersion = '0';
    this.openWatch(params, undefined, true);
  }

  private watch(resourceVersion: string): void {
    const params = this.watchParams();
    params.resourceVersion = resourceVersion;
    this.openWatch(params, resourceVersion, false);
  }

  private watchParams(): WatchParams {
    const { config } = this;
    const params: WatchParams = { timeoutSeconds: config.timeoutSeconds };
    if (config.labelSelector !== undefined) params.labelSelector = config.labelSelector;
    if (config.fieldSelector !== undefined) params.fieldSelector = config.fieldSelector;
    if (config.bookmarks) params.allowWatchBookmarks = true;
    return params;
  }

  /**
   * Runs one WATCH. `initial` is true while a streaming list has not reached its
   * initial-events-end bookmark: until then, failures resume with a fresh streaming list.
   */
  private openWatch(params: WatchParams, startVersion: string | undefined, initial: boolean): void {
    const { config, subscriber } = this;
    const scheduler = config.scheduler;
    const idleMs = (config.timeoutSeconds + IDLE_MARGIN_SECONDS) * 1000;
    const openedAt = scheduler.now();
    let lastEventAt = openedAt;
    let events = 0;
    let resourceVersion = startVersion;
    let initialPhase = initial;
    let settled = false;

    const resumePoint = (): StartPoint =>
      initialPhase || resourceVersion === undefined
        ? { phase: 'list' }
        : { phase: 'watch', resourceVersion };

    const checkIdle = (): void => {
      const silentFor = scheduler.now() - lastEventAt;
      if (silentFor < idleMs) {
        this.idleTimer = scheduler.schedule(checkIdle, idleMs - silentFor);
        return;
      }
      settled = true;
      const error = new HttpError(`watch stream silent for ${Math.round(silentFor / 1000)} s`, {
        code: 'ETIMEDOUT',
        timedOut: true,
        stage: 'body',
        method: 'GET',
      });
      this.fail('WatchFailed', error.message, error, resumePoint());
    };

    // With 'Auto', the initial-events-end bookmark must come within a bound: a server that
    // ignores sendInitialEvents sends the current objects (if any) as a plain watch would, then
    // goes quiet or streams changes, and never sends that bookmark.
    const armed = initial && this.choice.fallsBackOn('NoInitialEventsEnd');
    const deadline = openedAt + config.listTimeout;
    const checkInitialEventsEnd = (): void => {
      if (!initialPhase) return;
      const now = scheduler.now();
      const quietUntil = lastEventAt + AUTO_FALLBACK_SILENCE_MS;
      if (now < quietUntil && now < deadline) {
        this.fallbackTimer = scheduler.schedule(
          checkInitialEventsEnd,
          Math.min(quietUntil, deadline) - now,
        );
        return;
      }
      settled = true;
      this.fallBack('NoInitialEventsEnd');
    };

    this.clearInner();
    this.idleTimer = scheduler.schedule(checkIdle, idleMs);
    if (armed) {
      this.fallbackTimer = scheduler.schedule(
        checkInitialEventsEnd,
        Math.min(AUTO_FALLBACK_SILENCE_MS, config.listTimeout),
      );
    }
    this.attach(
      subscribeWithin(subscriber, this.api.watch(params), {
        next: (event) => {
          if (settled) return;
          events++;
          lastEventAt = scheduler.now();
          switch (event.type) {
            case 'ADDED':
            case 'MODIFIED': {
              const rv = event.object.metadata?.resourceVersion;
              if (rv) resourceVersion = rv;
              if (initialPhase) subscriber.next({ type: 'InitApply', object: event.object });
              else this.emitProgress({ type: 'Apply', object: event.object });
              return;
            }
            case 'DELETED': {
              const rv = event.object.metadata?.resourceVersion;
              if (rv) resourceVersion = rv;
              this.emitProgress({ type: 'Delete', object: event.object });
              return;
            }
            case 'BOOKMARK': {
              const metadata = event.object.metadata;
              if (metadata?.resourceVersion) resourceVersion = metadata.resourceVersion;
              if (initialPhase && metadata?.annotations?.[INITIAL_EVENTS_END] === 'true') {
                initialPhase = false;
                this.fallbackTimer?.unsubscribe();
                this.fallbackTimer = undefined;
                this.emitProgress({ type: 'InitDone' });
              }
              return;
            }
            case 'ERROR': {
              settled = true;
              const status = event.object;
              const cause = new ApiError(status, { method: 'GET' });
              const resume: StartPoint = status.code === 410 ? { phase: 'list' } : resumePoint();
              this.fail(
                'WatchError',
                `server sent an ERROR event: ${cause.message}`,
                cause,
                resume,
                status,
              );
              return;
            }
            default:
              // Unknown event types are skipped: the Api reports undecodable lines itself.
              return;
          }
        },
        error: (error: unknown) => {
          if (settled) return;
          settled = true;
          const startFailed =
            isApiError(error) || (isHttpError(error) && error.stage === 'request' && events === 0);
          const cause = toKubeError(error, {
            stage: events === 0 ? 'request' : 'body',
            method: 'GET',
          });
          if (
            initialPhase &&
            isApiError(cause) &&
            REFUSED_CODES.has(cause.status.code) &&
            this.choice.fallsBackOn('Refused')
          ) {
            this.fallBack('Refused');
            return;
          }
          if (startFailed) {
            // A WATCH refused with HTTP 410 (its resourceVersion is older than the server keeps:
            // the real server answers so without its watch cache) can only resume with a relist.
            this.fail(
              'WatchStartFailed',
              `WATCH could not start: ${cause.message}`,
              cause,
              isApiError(cause, 410) ? { phase: 'list' } : resumePoint(),
              isApiError(cause) ? cause.status : undefined,
            );
          } else {
            this.fail('WatchFailed', `watch stream failed: ${cause.message}`, cause, resumePoint());
          }
        },
        complete: () => {
          if (settled) return;
          settled = true;
          if (initialPhase && this.choice.fallsBackOn('NoInitialEventsEnd')) {
            this.fallBack('NoInitialEventsEnd');
            return;
          }
          if (initialPhase) {
            const error = new HttpError('watch ended before the initial-events-end bookmark', {
              stage: 'body',
              method: 'GET',
            });
            this.fail('WatchFailed', error.message, error, { phase: 'list' });
            return;
          }
          if (events === 0 && scheduler.now() - openedAt < MIN_EMPTY_WATCH_MS) {
            const error = new HttpError('watch ended immediately without any event', {
              stage: 'body',
              method: 'GET',
            });
            this.fail('WatchFailed', error.message, error, resumePoint());
            return;
          }
          // The server ended the watch normally (its timeoutSeconds): carry on from where it stopped.
          this.start(resumePoint());
        },
      }),
    );
  }
}
