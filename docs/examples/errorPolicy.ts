// The typed-errors pattern from docs/error-handling.md: a reconciler error type with one variant
// per way of failing, and an error policy that decides per variant.
import { Action, type ErrorPolicy } from '@kube-rx/controller';
import { isKubeError, type KubeError, type KubeObject } from '@kube-rx/core';

/** The errors a reconciler can fail with, as a discriminated union on `kind`. */
export type ReconcileError =
  | { kind: 'KubeApi'; error: KubeError }
  | { kind: 'MissingField'; field: string }
  | { kind: 'External'; message: string };

/** Wraps a caught error: API errors become `KubeApi`, anything else `External`. */
export function toReconcileError(error: unknown): ReconcileError {
  return isKubeError(error)
    ? { kind: 'KubeApi', error }
    : { kind: 'External', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Kubernetes API errors: requeue after 5 s. A missing field: wait for the user to edit the
 * object. External failures: retry after a minute. (For per-key exponential delays instead of a
 * fixed 5 s, delegate the `KubeApi` case to `perKeyBackoff()`.)
 */
export const errorPolicy: ErrorPolicy<KubeObject, ReconcileError> = (_object, error) => {
  switch (error.kind) {
    case 'KubeApi':
      return Action.requeue(5_000);
    case 'MissingField':
      return Action.awaitChange();
    case 'External':
      return Action.requeue(60_000);
  }
};
