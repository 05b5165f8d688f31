/** How deep {@link causeLevels} looks by default: deeper chains are cut off, not followed. */
export const MAX_CAUSE_DEPTH = 16;

/**
 * The errors reachable from `error`, level by level: `[error]`, then what it wraps (its ES2022
 * `cause`, then the members of an `AggregateError`'s `errors`, in order), then what those wrap,
 * and so on, down to `maxDepth` levels below `error`. Each object is visited once, so a cyclic
 * chain ends; primitives (a thrown string) are leaves.
 *
 * Internal to the classification: `classify` and `isPermanent` both walk the chain this way.
 */
export function* causeLevels(
  error: unknown,
  maxDepth: number = MAX_CAUSE_DEPTH,
): Generator<readonly unknown[]> {
  const seen = new Set<object>();
  let level: unknown[] = [error];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    yield level;
    const next: unknown[] = [];
    for (const current of level) {
      if (typeof current !== 'object' || current === null || seen.has(current)) continue;
      seen.add(current);
      for (const inner of wrappedBy(current)) {
        if (typeof inner !== 'object' || inner === null || !seen.has(inner)) next.push(inner);
      }
    }
    level = next;
  }
}

function wrappedBy(error: object): unknown[] {
  const inner: unknown[] = [];
  if ('cause' in error && error.cause !== undefined) inner.push(error.cause);
  // AggregateError (happy-eyeballs connects, Promise.any) and lookalikes of other realms.
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) inner.push(...(errors as unknown[]));
  return inner;
}
