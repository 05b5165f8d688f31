import { finished } from 'node:stream';
import type { Subscriber } from 'rxjs';
import { SerdeError } from '../errors/serdeError.js';
import type { Status } from '../errors/status.js';
import { apiErrorFromResponse } from './apiErrorFromResponse.js';
import type { KubeFetchContext } from './kubeFetch.js';
import type { KubeResponse } from './kubeResponse.js';
import { readJsonResponse } from './readJsonResponse.js';
import type { ObjectList, WatchEvent } from './types.js';
import { WatchEventDecoder } from './watchEventDecoder.js';

// The response readers of `Api`'s verbs, in the shape `kubeFetch` expects: each reads the body,
// checks it has the shape its verb promises, emits one value (or a stream of them) and completes.

/**
 * Reads a single object (GET, POST, PUT, PATCH).
 *
 * @throws SerdeError when the body is not an object with `metadata`.
 *
 * @example
 * ```ts
 * import { kubeFetch } from './kubeFetch.js';
 *
 * const path = '/api/v1/namespaces/default/pods/web-0';
 * kubeFetch(kc, { method: 'GET', path }, asyncScheduler, objectResponse<Pod>);
 * ```
 */
export async function objectResponse<K>(
  response: KubeResponse,
  subscriber: Subscriber<K>,
  context: KubeFetchContext,
): Promise<void> {
  const body = await readJsonResponse(response, context);
  if (!hasObjectField(body, 'metadata')) {
    throw new SerdeError(`${context.method} ${context.url}: response object has no metadata`, {
      body: JSON.stringify(body),
    });
  }
  subscriber.next(body as K);
  subscriber.complete();
}

/**
 * Reads a LIST. `metadata` defaults to `{}` and an `items: null` to `[]`. With `onInvalid`, an
 * item that is not an object with `metadata.name` is left out and reported there.
 *
 * @throws SerdeError when the body is not JSON, or `items` is neither an array nor absent/null.
 *
 * @example
 * ```ts
 * import { kubeFetch } from './kubeFetch.js';
 *
 * const path = '/api/v1/namespaces/default/pods';
 * kubeFetch(kc, { method: 'GET', path }, asyncScheduler, listResponse<Pod>);
 * ```
 */
export async function listResponse<K>(
  response: KubeResponse,
  subscriber: Subscriber<ObjectList<K>>,
  context: KubeFetchContext,
  onInvalid?: (error: SerdeError) => void,
): Promise<void> {
  const body = (await readJsonResponse(response, context)) as Partial<ObjectList<K>>;
  const items = body.items as unknown;
  if (items !== undefined && items !== null && !Array.isArray(items)) {
    throw new SerdeError(`${context.method} ${context.url}: list items is not an array`, {
      body: JSON.stringify(body),
    });
  }
  body.items ??= [];
  if (onInvalid !== undefined) body.items = namedItems(body.items, context, onInvalid);
  body.metadata ??= {};
  subscriber.next(body as ObjectList<K>);
  subscriber.complete();
}

/**
 * Reads a DELETE answer: the object (pending deletion, or as it was) or a `Status` (immediate
 * deletion of some kinds). A `Status` without `code` gets the HTTP status.
 *
 * @example
 * ```ts
 * import { kubeFetch } from './kubeFetch.js';
 *
 * const path = '/api/v1/namespaces/default/pods/web-0';
 * const body = JSON.stringify({ propagationPolicy: 'Background' });
 * kubeFetch(kc, { method: 'DELETE', path, body }, asyncScheduler, deleteResponse<Pod>);
 * ```
 */
export async function deleteResponse<K>(
  response: KubeResponse,
  subscriber: Subscriber<K | Status>,
  context: KubeFetchContext,
): Promise<void> {
  const body = (await readJsonResponse(response, context)) as { kind?: unknown; code?: unknown };
  if (body.kind === 'Status') {
    const code = typeof body.code === 'number' ? body.code : response.status;
    subscriber.next({ ...body, kind: 'Status', code } as Status);
  } else if (hasObjectField(body, 'metadata')) {
    subscriber.next(body as K);
  } else {
    throw new SerdeError(
      `${context.method} ${context.url}: response is neither object nor Status`,
      {
        body: JSON.stringify(body),
      },
    );
  }
  subscriber.complete();
}

/**
 * Streams a WATCH body: each chunk is decoded as it arrives and every complete line is emitted
 * at once (see {@link WatchEventDecoder}); the end of the body completes the subscriber. Stops
 * reading as soon as the subscriber is closed. With `onInvalid`, a malformed line is reported
 * there and skipped.
 *
 * @throws ApiError for a non-2xx status; SerdeError for a malformed line without `onInvalid`.
 *
 * @example
 * ```ts
 * import { kubeFetch } from './kubeFetch.js';
 *
 * const path = '/api/v1/namespaces/default/pods';
 * kubeFetch(kc, { method: 'GET', path: `${path}?watch=true` }, asyncScheduler, watchResponse<Pod>);
 * ```
 */
export async function watchResponse<K>(
  response: KubeResponse,
  subscriber: Subscriber<WatchEvent<K>>,
  context: KubeFetchContext,
  onInvalid?: (error: SerdeError) => void,
): Promise<void> {
  if (!response.ok) throw await apiErrorFromResponse(response, context);
  const decoder = new WatchEventDecoder<K>(onInvalid === undefined ? {} : { onInvalid });
  const emit = (event: WatchEvent<K>): void => subscriber.next(event);
  const body = response.body;
  await new Promise<void>((resolve, reject) => {
    // 'data' listeners rather than async iteration: no promise per chunk on the hot path.
    body.on('data', (chunk: Buffer) => {
      if (subscriber.closed) return;
      try {
        decoder.push(chunk, emit);
      } catch (error) {
        body.destroy();
        reject(error as Error);
      }
    });
    finished(body, (error) => {
      if (error) {
        reject(error);
        return;
      }
      try {
        if (!subscriber.closed) decoder.end(emit);
        resolve();
      } catch (endError) {
        reject(endError as Error);
      }
    });
  });
  subscriber.complete();
}

/** `items` without those that have no `metadata.name` (each reported); the same array when all do. */
function namedItems<K>(
  items: K[],
  context: KubeFetchContext,
  onInvalid: (error: SerdeError) => void,
): K[] {
  let kept: K[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as { metadata?: { name?: unknown } | null } | null;
    const name = typeof item === 'object' && item !== null ? item.metadata?.name : undefined;
    if (typeof name === 'string' && name !== '') {
      kept?.push(item as K);
      continue;
    }
    kept ??= items.slice(0, i);
    onInvalid(
      new SerdeError(`${context.method} ${context.url}: list item ${i} has no metadata.name`, {
        body: JSON.stringify(item) ?? String(item),
      }),
    );
  }
  return kept ?? items;
}

function hasObjectField(body: object, field: string): boolean {
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'object' && value !== null;
}
