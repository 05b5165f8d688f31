// Imported first by index.ts, so that it runs before any dependency is evaluated: on a Node.js
// older than the `engines` floor, undici 8 fails while loading with "Cannot read properties of
// undefined (reading 'bind')", which says nothing about the cause. Every other kube-rx package
// imports @kube-rx/core, so this one check covers them all. Keep this module free of imports and
// of syntax or APIs newer than Node 14: it has to run on the versions it rejects.

/** The oldest Node.js kube-rx runs on: the `engines` field of every package (`>=22.19`). */
export const MINIMUM_NODE_VERSION = '22.19';

/**
 * The one-line message for a Node.js version kube-rx cannot run on (`version` as in
 * `process.versions.node`, e.g. `20.20.2`), or `undefined` when it is new enough or unknown
 * (not Node.js, or a runtime that does not say).
 */
export function unsupportedNodeMessage(version: string | undefined): string | undefined {
  if (typeof version !== 'string') return undefined;
  const [major, minor] = version.split('.').map(Number);
  if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) {
    return undefined;
  }
  const [minMajor, minMinor] = MINIMUM_NODE_VERSION.split('.').map(Number) as [number, number];
  if (major > minMajor || (major === minMajor && minor >= minMinor)) return undefined;
  return (
    `kube-rx needs Node.js >= ${MINIMUM_NODE_VERSION} (found v${version}): ` +
    'its HTTP client (undici 8) and @kubernetes/client-node 2.x do not load on older versions; ' +
    'install Node.js 22.19 or later (e.g. `nvm install 22`)'
  );
}

const message = unsupportedNodeMessage(
  (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node,
);
if (message !== undefined) {
  // Thrown, not process.exit(): `await import('@kube-rx/core')` can catch it, and uncaught, Node
  // prints this line (`Error: kube-rx needs Node.js >= 22.19 …`) instead of undici's TypeError.
  throw Object.assign(new Error(message), { code: 'KUBE_RX_UNSUPPORTED_NODE' });
}
