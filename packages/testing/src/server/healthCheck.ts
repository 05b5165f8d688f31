const HEALTH_PATHS = new Set(['healthz', 'livez', 'readyz']);

/**
 * Whether `segments` name a health endpoint (`/healthz`, `/livez`, `/readyz`, and their
 * `/ping`), which the server answers 200 `ok` in text/plain like a healthy apiserver.
 */
export function isHealthCheck(segments: readonly string[]): boolean {
  const [root, check] = segments;
  if (root === undefined || !HEALTH_PATHS.has(root)) return false;
  return segments.length === 1 || (segments.length === 2 && check === 'ping');
}
