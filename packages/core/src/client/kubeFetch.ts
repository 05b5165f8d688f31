import { RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { Observable, type SchedulerLike, type Subscriber } from 'rxjs';
import { request as undiciRequest, type Dispatcher } from 'undici';
import { nodeRequest } from './nodeRequest.js';
import type { HttpErrorStage } from '../errors/httpError.js';
import { isKubeError } from '../errors/kubeError.js';
import { toKubeError } from '../errors/toKubeError.js';
import { applyPooledAuthentication } from './applyPooledAuthentication.js';
import { KubeResponse } from './kubeResponse.js';

/** One HTTP request to the API server, relative to the current cluster's server URL. */
export interface KubeFetchRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/api/v1/namespaces/default/pods?limit=10`. */
  path: string;
  /** JSON text to send. */
  body?: string | undefined;
  /** `Content-Type` of `body`. Default: `application/json`. */
  contentType?: string | undefined;
  /** `Accept` header. Default: `application/json`. */
  accept?: string | undefined;
}

/** What a response handler knows about its request. */
export interface KubeFetchContext {
  method: string;
  url: string;
  scheduler: SchedulerLike;
}

/** Reads a response and pushes values to the subscriber; it completes the subscriber itself. */
export type ResponseHandler<T> = (
  response: KubeResponse,
  subscriber: Subscriber<T>,
  context: KubeFetchContext,
) => Promise<void>;

const USER_AGENT = 'kube-rx';

/**
 * Sends one request per subscription with the auth, TLS and proxy settings of `kubeConfig`
 * (client-node's `applySecurityAuthentication` fills a `RequestContext` for every request), then
 * hands the response to `onResponse` as a {@link KubeResponse}: a Node `Readable` body, no WHATWG
 * streams in between. Requests say `Accept-Encoding: gzip`; a gzipped body is decompressed by a
 * zlib stream.
 *
 * Direct connections are sent with `node:http`/`node:https` (a native HTTP parser), through
 * proxies with undici and client-node's dispatcher. Either pool is shared by all requests to the
 * same cluster as the same user (`applyPooledAuthentication`), so calls reuse keep-alive
 * connections. Unsubscribing aborts the request or the body being read: that one connection is
 * dropped, the shared pool stays usable. Any failure reaches the subscriber as a `KubeError`
 * (`toKubeError`), with stage `'body'` once headers have arrived.
 *
 * @example
 * ```ts
 * const names$ = kubeFetch(kc, { method: 'GET', path: '/api/v1/namespaces' }, asyncScheduler,
 *   async (response, subscriber) => { subscriber.next(JSON.parse(await response.text())); subscriber.complete(); });
 * ```
 */
export function kubeFetch<T>(
  kubeConfig: KubeConfig,
  request: KubeFetchRequest,
  scheduler: SchedulerLike,
  onResponse: ResponseHandler<T>,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    let url: string;
    try {
      url = serverUrl(kubeConfig) + request.path;
    } catch (error) {
      subscriber.error(toKubeError(error, { method: request.method }));
      return undefined;
    }
    const context: KubeFetchContext = { method: request.method, url, scheduler };
    let stage: HttpErrorStage = 'request';
    // Set only when the dispatcher was built for this request alone (see release()).
    let dispatcher: Dispatcher | undefined;

    const exchange = async (): Promise<void> => {
      const requestContext = new RequestContext(url, request.method);
      const { pooled, agent } = await applyPooledAuthentication(kubeConfig, requestContext);
      const requestDispatcher = requestContext.getDispatcher();
      if (!pooled) dispatcher = requestDispatcher;
      if (controller.signal.aborted) return;
      requestContext.setHeaderParam('Accept', request.accept ?? 'application/json');
      requestContext.setHeaderParam('User-Agent', USER_AGENT);
      requestContext.setHeaderParam('Accept-Encoding', 'gzip');
      if (request.body !== undefined) {
        requestContext.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
      }
      const init = {
        method: request.method,
        headers: requestContext.getHeaders(),
        body: request.body,
        signal: controller.signal,
      };
      const response =
        agent !== undefined
          ? await nodeRequest(url, { ...init, agent })
          : await undiciRequest(url, {
              ...init,
              body: init.body ?? null,
              ...(requestDispatcher === undefined ? {} : { dispatcher: requestDispatcher }),
            });
      stage = 'body';
      await onResponse(
        new KubeResponse(response.statusCode, response.headers, response.body, response.statusText),
        subscriber,
        context,
      );
    };

    exchange().then(
      () => release(dispatcher, false),
      (error: unknown) => {
        release(dispatcher, true);
        subscriber.error(
          isKubeError(error)
            ? error
            : toKubeError(error, { method: request.method, url, stage, now: scheduler.now() }),
        );
      },
    );

    return () => {
      if (!controller.signal.aborted) controller.abort();
      release(dispatcher, true);
    };
  });
}

/** The current cluster's server URL without a trailing slash (it may carry a path prefix). */
export function serverUrl(kubeConfig: KubeConfig): string {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new TypeError('kubeConfig has no current cluster with a server URL');
  return server.endsWith('/') ? server.slice(0, -1) : server;
}

// A dispatcher built for one request only (client-node's, when applyPooledAuthentication cannot
// share one) is closed when the exchange is over, so idle sockets do not pile up behind it.
const released = new WeakSet<Dispatcher>();
function release(dispatcher: Dispatcher | undefined, destroy: boolean): void {
  if (dispatcher === undefined || released.has(dispatcher)) return;
  released.add(dispatcher);
  const closing = destroy ? dispatcher.destroy() : dispatcher.close();
  closing.catch(() => undefined);
}
