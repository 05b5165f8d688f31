/**
 * Formats a time (ms since the epoch, as `scheduler.now()` gives) as a Kubernetes `MicroTime`:
 * RFC 3339 in UTC with **exactly six** fractional digits (`2026-11-22T02:59:45.234000Z`). The API
 * server rejects the three digits of `Date.prototype.toISOString()` with 400 BadRequest in
 * Lease `acquireTime`/`renewTime` and Event `eventTime`/`series.lastObservedTime`.
 *
 * @example
 * ```ts
 * formatMicroTime(asyncScheduler.now()); // '2026-11-22T02:59:45.234000Z'
 * ```
 */
export function formatMicroTime(epochMillis: number): string {
  const whole = Math.floor(epochMillis);
  const micros = Math.round((epochMillis - whole) * 1000);
  const iso = new Date(whole).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
  return `${iso.slice(0, 23)}${String(Math.min(micros, 999)).padStart(3, '0')}Z`;
}

/**
 * Parses a Kubernetes `MicroTime` or `Time` (any RFC 3339 form the server sends, offsets
 * included) into ms since the epoch; sub-millisecond digits are dropped. Returns `undefined` for
 * anything that is not a valid time.
 *
 * @example
 * ```ts
 * parseMicroTime('2026-11-22T03:59:45.123456+01:00'); // Date.UTC(2026, 10, 22, 2, 59, 45, 123)
 * ```
 */
export function parseMicroTime(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  // Keep at most milliseconds so every engine parses it the same way.
  const normalised = value.replace(/(\.\d{3})\d+/, '$1');
  const parsed = Date.parse(normalised);
  return Number.isNaN(parsed) ? undefined : parsed;
}
