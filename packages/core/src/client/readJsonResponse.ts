import { SerdeError } from '../errors/serdeError.js';
import { apiErrorFromResponse } from './apiErrorFromResponse.js';
import type { KubeFetchContext } from './kubeFetch.js';
import type { KubeResponse } from './kubeResponse.js';

/**
 * Reads a whole response as one JSON object.
 *
 * @throws ApiError for a non-2xx status (see {@link apiErrorFromResponse}).
 * @throws SerdeError when a 2xx body is not a JSON object.
 *
 * @example
 * ```ts
 * const pod = (await readJsonResponse(response, context)) as Pod;
 * ```
 */
export async function readJsonResponse(
  response: KubeResponse,
  context: KubeFetchContext,
): Promise<object> {
  if (!response.ok) {
    throw await apiErrorFromResponse(response, context);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new SerdeError(
      `${context.method} ${context.url}: response is not valid JSON: ${(error as Error).message}`,
      { body: text, cause: error },
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SerdeError(`${context.method} ${context.url}: response is not a JSON object`, {
      body: text,
    });
  }
  return body;
}
