// An error policy that tells transient from permanent failures (docs/error-handling.md).
import type { KubeObject } from '@kube-rx/core';
import { classify, exponentialBackoff, objectKey, type Backoff } from '@kube-rx/core';
import { Action, type ErrorPolicyHandlers } from '@kube-rx/controller';

// #region policy
export interface PolicyContext {
  /** Writes `Ready=False` with the error's message to the object's status. */
  markFailed(object: KubeObject, error: unknown): Promise<void>;
}

export function classifyingErrorPolicy(): ErrorPolicyHandlers<KubeObject, unknown, PolicyContext> {
  const strategy = exponentialBackoff({ initialDelay: 1_000, maxDelay: 120_000 });
  const backoffs = new Map<string, Backoff>();
  return {
    async onError(object, error, ctx) {
      const key = objectKey(object) ?? '';
      switch (classify(error)) {
        case 'transient': {
          // 503, timeouts, resets, unknown errors: try again later, later each time for this object.
          const backoff = backoffs.get(key) ?? strategy();
          backoffs.set(key, backoff);
          return Action.requeue(backoff.next() ?? 120_000);
        }
        case 'conflict':
          // 409: someone changed the object meanwhile; the next run reads the new version.
          return Action.requeue(500);
        case 'permanent':
          // 403, 422, errors marked with permanent(): retrying cannot help. Say so on the object,
          // wait for a change.
          await ctx.markFailed(object, error);
          return Action.awaitChange();
      }
    },
    onSuccess(object) {
      backoffs.delete(objectKey(object) ?? '');
    },
  };
}
// #endregion
