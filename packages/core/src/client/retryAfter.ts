/**
 * Reads a `Retry-After` header value as whole seconds.
 *
 * Accepts both forms of RFC 9110: delay-seconds (`"3"`) and an HTTP-date, which is measured
 * against `nowMs` (the caller's `scheduler.now()`, so virtual time works). A date in the past
 * gives `0`. Anything else (absent, negative, garbage) gives `undefined`.
 *
 * @example
 * ```ts
 * parseRetryAfter('2', asyncScheduler.now()); // 2
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:58 GMT')); // 2
 * ```
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds) : undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}
