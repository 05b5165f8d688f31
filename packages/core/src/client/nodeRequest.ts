import {
  request as httpRequest,
  type Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { SOCKET_IDLE_TIMEOUT_MS } from './applyPooledAuthentication.js';

/** One request for {@link nodeRequest}. */
export interface NodeRequestInit {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal;
  /** The keep-alive agent to send through (`http` or `https`, matching the URL). */
  agent: Agent;
  /** How long the connection may stay silent. Default: {@link SOCKET_IDLE_TIMEOUT_MS}. */
  idleTimeoutMs?: number;
}

/** A response's status line, headers and body, in the shape `kubeFetch` reads from undici too. */
export interface NodeResponse {
  statusCode: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Readable;
}

/**
 * Sends one request with `node:http` or `node:https` and resolves at the response headers.
 *
 * - Aborting `signal` destroys the request, or the response body while it is being received:
 *   the connection is closed, not returned to the agent. A response already received in full is
 *   drained instead, and its connection stays in the agent.
 * - A connection silent for `idleTimeoutMs` (before the headers or inside the body)
 *   fails the request, or the body, with an `ETIMEDOUT` error.
 * - Transport failures reject (or error the body) with Node's own errors, whose `code`
 *   (`ECONNREFUSED`, `ECONNRESET`, TLS codes...) `toKubeError` maps.
 */
export function nodeRequest(url: string, init: NodeRequestInit): Promise<NodeResponse> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    // Node sends no Content-Length by itself for DELETE (and would frame its body by closing the
    // connection): say it for every request with a body.
    const headers =
      init.body === undefined
        ? init.headers
        : { ...init.headers, 'Content-Length': String(Buffer.byteLength(init.body)) };
    const request = send(url, {
      method: init.method,
      headers,
      agent: init.agent,
    });
    let response: IncomingMessage | undefined;
    const idleTimeoutMs = init.idleTimeoutMs ?? SOCKET_IDLE_TIMEOUT_MS;
    request.setTimeout(idleTimeoutMs, () => {
      // A finished exchange's connection belongs to the agent again.
      if (response?.complete === true) return;
      request.destroy(
        Object.assign(new Error(`no data from the API server for ${idleTimeoutMs} ms`), {
          code: 'ETIMEDOUT',
        }),
      );
    });
    // Before the headers a failure rejects; after them it reaches the body's readers.
    request.on('error', (error) => {
      if (response === undefined) reject(error);
      else response.destroy(error);
    });
    // Not `signal` of http.request: aborting that after a keep-alive response ended destroys the
    // socket the agent holds for reuse, with an error nobody listens to.
    const onAbort = (): void => {
      const error = Object.assign(
        new Error('This operation was aborted', { cause: init.signal.reason }),
        {
          name: 'AbortError',
          code: 'ABORT_ERR',
        },
      );
      // A response received in full has let go of its connection, which the agent may already
      // reuse: its buffered rest is drained (no reader is left) and the connection stays pooled.
      // Otherwise the connection goes with the request.
      if (response?.complete === true) response.resume();
      else request.destroy(error);
    };
    const settled = (): void => init.signal.removeEventListener('abort', onAbort);
    if (init.signal.aborted) onAbort();
    else init.signal.addEventListener('abort', onAbort, { once: true });
    request.once('close', settled);
    request.once('response', (received) => {
      response = received;
      received.once('end', settled);
      // The body's readers see its errors; without one (the body was dropped after an abort),
      // an error must not become an uncaught exception.
      received.on('error', () => undefined);
      resolve({
        statusCode: received.statusCode ?? 0,
        statusText: received.statusMessage ?? '',
        headers: received.headers,
        body: received,
      });
    });
    request.end(init.body);
  });
}
