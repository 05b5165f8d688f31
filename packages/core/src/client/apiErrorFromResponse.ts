import { ApiError } from '../errors/apiError.js';
import { isStatus } from '../errors/status.js';
import type { KubeFetchContext } from './kubeFetch.js';
import type { KubeResponse } from './kubeResponse.js';
import { parseRetryAfter } from './retryAfter.js';
import { redactStatus, syntheticStatus } from './syntheticStatus.js';

/**
 * Reads a non-2xx response into an {@link ApiError}: the body's `Status` when it is one
 * (credentials redacted from its message), otherwise a `Status` synthesised from the status line
 * and the body text; `Retry-After` (seconds or HTTP-date, against `context.scheduler.now()`)
 * becomes `retryAfterSeconds`.
 *
 * A body that breaks off while being read rejects with that transport error instead.
 *
 * @example
 * ```ts
 * if (!response.ok) throw await apiErrorFromResponse(response, context);
 * ```
 */
export async function apiErrorFromResponse(
  response: KubeResponse,
  context: KubeFetchContext,
): Promise<ApiError> {
  const text = await response.text();
  let status;
  try {
    const body: unknown = JSON.parse(text);
    status = isStatus(body) ? redactStatus(body) : undefined;
  } catch {
    status = undefined;
  }
  status ??= syntheticStatus(response.status, text, response.statusText);
  return new ApiError(status, {
    retryAfterSeconds: parseRetryAfter(response.header('retry-after'), context.scheduler.now()),
    method: context.method,
    url: context.url,
  });
}
