import type { Observable } from 'rxjs';
import {
  brandError,
  hasErrorBrand,
  type KubeError,
  type KubeObject,
  type Resumable,
  type Status,
} from '@kube-rx/core';
import type { WatcherEvent } from './watcherEvent.js';

/**
 * What went wrong in a {@link watcher}, and therefore how it resumes:
 *
 * | kind | cause | `resume()` |
 * |---|---|---|
 * | `InitialListFailed` | a LIST page failed (ApiError, HttpError, SerdeError, list timeout) | a fresh list (`Init` again) |
 * | `WatchStartFailed` | the WATCH request failed before streaming (ApiError, HttpError stage `'request'`) | HTTP 410 Gone: a full relist; otherwise one WATCH from the last resourceVersion |
 * | `WatchFailed` | the stream broke (HttpError stage `'body'`), a SerdeError from a custom `ListWatchApi` (the `Api` skips and reports malformed lines itself), silence past the idle limit | one WATCH from the last resourceVersion |
 * | `WatchError` | the server sent an `ERROR` event (`status`) | 410 Gone: a full relist; other codes: WATCH from the last resourceVersion |
 *
 * During a streaming list (`initialListStrategy` `'Auto'` or `'StreamingList'`), every failure
 * before the initial-events-end bookmark resumes with a fresh streaming list (no resourceVersion
 * is established yet); with `'Auto'`, a server that does not serve streaming lists is no error
 * (the watcher falls back to paged LISTs).
 */
export type WatcherErrorKind =
  'InitialListFailed' | 'WatchStartFailed' | 'WatchFailed' | 'WatchError';

/** Structured payload of a {@link WatcherError}. */
export interface WatcherErrorInit<T> {
  /** What failed; decides how `resume` continues (see {@link WatcherErrorKind}). */
  kind: WatcherErrorKind;
  /** The client/Api error underneath (for `WatchError`: an `ApiError` built from the event's Status). */
  cause: KubeError;
  /** For `WatchError`: the `Status` of the `ERROR` event. */
  status?: Status | undefined;
  /** The resourceVersion the stream resumes from, or `undefined` when it resumes with a relist. */
  resourceVersion?: string | undefined;
  /**
   * Whether the failed subscription delivered a completed list (`InitDone`) or a change
   * (`Apply`, `Delete`) since it (re)started. Default `false`.
   */
  progressed?: boolean;
  /** Identifies the watcher Observable that failed (see `Resumable` in `@kube-rx/core`). */
  resumeToken: object;
  /** Continuation: the raw stream that picks up where the failed one stopped. */
  resume: () => Observable<T>;
}

/**
 * A soft failure of a {@link watcher} stream. Every kind is **resumable** (see
 * {@link WatcherErrorKind} for the path each kind takes). The watcher never retries by itself; put
 * `backoff()`/`defaultBackoff()` from `@kube-rx/core` after it — anywhere after it, any operators
 * in between — which waits and then re-subscribes its source: the watcher, subscribed again
 * through those operators, resumes where it stopped. Without a backoff the error ends the stream.
 *
 * `progressed` says whether the failed subscription got anywhere since it (re)started; the
 * backoff starts again from its first delay only then. `resume()` is the raw continuation for
 * code that retries by hand: the watcher events from the resume point, through no operator.
 *
 * Retryable: always (external circumstances such as RBAC or the network may improve).
 *
 * @example
 * ```ts
 * watcher(api).pipe(
 *   catchError((error) => {
 *     if (isWatcherError(error, 'WatchError') && error.status?.code === 403) logger.error('RBAC forbids the watch');
 *     return throwError(() => error);
 *   }),
 *   defaultBackoff(),
 * );
 * ```
 */
export class WatcherError<T = WatcherEvent<KubeObject>> extends Error implements Resumable {
  /** Always `'WatcherError'`; survives serialisation and bundling, unlike the class itself. */
  override readonly name = 'WatcherError' as const;
  /** What failed, and so how {@link WatcherError.resume} continues (see {@link WatcherErrorKind}). */
  readonly kind: WatcherErrorKind;
  /**
   * The client error underneath: an `ApiError`, `HttpError` or `SerdeError`. For `WatchError`,
   * an `ApiError` built from the event's `Status`. Always set.
   */
  override readonly cause: KubeError;
  /** For `WatchError`: the `Status` of the `ERROR` event (e.g. 410 `Expired`); otherwise `undefined`. */
  readonly status: Status | undefined;
  /** Where the stream continues watching from; `undefined` when it relists. */
  readonly resourceVersion: string | undefined;
  /**
   * Whether the failed subscription delivered a completed list (`InitDone`) or a change (`Apply`,
   * `Delete`) since it (re)started: `backoff` resets its delay only then.
   */
  readonly progressed: boolean;
  /** Identifies the watcher Observable that failed; a backoff hands it its resume point back. */
  declare readonly resumeToken: object;
  readonly #resume: () => Observable<T>;

  constructor(message: string, init: WatcherErrorInit<T>) {
    super(`${init.kind}: ${message}`, { cause: init.cause });
    this.kind = init.kind;
    this.cause = init.cause;
    this.status = init.status;
    this.resourceVersion = init.resourceVersion;
    this.progressed = init.progressed ?? false;
    // Not enumerable: an identity, not data (kept out of equality checks and serialisation).
    Object.defineProperty(this, 'resumeToken', { value: init.resumeToken, enumerable: false });
    this.#resume = init.resume;
    brandError(this, 'WatcherError');
  }

  /**
   * The raw watcher events that continue after this failure (cold: each subscription starts one
   * attempt), through none of the operators the failed stream went through. `backoff` does not
   * use it; it is for code that retries by hand.
   */
  resume(): Observable<T> {
    return this.#resume();
  }

  /**
   * A plain object for structured logs and `JSON.stringify`: `name`, `kind`, `message`, `status`,
   * `resourceVersion`, `progressed` and `cause` (through its own `toJSON`, else as a string).
   * Leaves out `stack`.
   */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      status: this.status,
      resourceVersion: this.resourceVersion,
      progressed: this.progressed,
      cause:
        typeof (this.cause as { toJSON?: unknown }).toJSON === 'function'
          ? (this.cause as { toJSON(): unknown }).toJSON()
          : String(this.cause),
    };
  }
}

/**
 * Whether `value` is a {@link WatcherError} (from any copy of `@kube-rx/watcher`), optionally of
 * one kind.
 *
 * @example
 * ```ts
 * if (isWatcherError(error, 'WatchError') && error.status?.code === 410) logger.info('resource version expired, relisting');
 * ```
 */
export function isWatcherError<T = WatcherEvent<KubeObject>>(
  value: unknown,
  kind?: WatcherErrorKind,
): value is WatcherError<T> {
  if (!hasErrorBrand(value, 'WatcherError')) return false;
  return kind === undefined || (value as WatcherError<T>).kind === kind;
}
