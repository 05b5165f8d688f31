import { refKey } from '@kube-rx/core';
import type { ObjectRef } from '@kube-rx/core';

/**
 * The key `scheduler()` and `runner()` use to tell messages apart when no `key` function is
 * configured. Two messages with the same key are "the same work": the scheduler deduplicates
 * them and the runner never runs them concurrently.
 *
 * - a string is its own key;
 * - an object with a string `name` (an `ObjectRef`) gets `refKey(ref)`: `namespace/name`, or
 *   `name` when it has no namespace;
 * - anything else throws a `TypeError` (the operator using it then errors with it): pass a
 *   `key` function for other message types.
 *
 * Gotcha: `refKey` ignores `kind` and `apiVersion`, so refs of different kinds with the same
 * namespace and name share a key. Pass your own `key` when one stream mixes kinds.
 *
 * @example
 * ```ts
 * defaultMessageKey({ namespace: 'default', name: 'app' }); // 'default/app'
 * defaultMessageKey('node-1'); // 'node-1'
 * ```
 */
export function defaultMessageKey(message: unknown): string {
  if (typeof message === 'string') return message;
  if (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { name?: unknown }).name === 'string'
  ) {
    return refKey(message as ObjectRef);
  }
  throw new TypeError(
    `cannot derive a key from ${describe(message)}: messages must be strings or ObjectRefs, or pass a \`key\` function`,
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object without a string `name`' : `a ${typeof value}`;
}
