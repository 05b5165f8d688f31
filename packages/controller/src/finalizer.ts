import {
  catchError,
  concat,
  concatMap,
  defer,
  EMPTY,
  ignoreElements,
  map,
  of,
  throwError,
  type Observable,
} from 'rxjs';
import {
  isApiError,
  Patch,
  type JsonPatchOperation,
  type KubeObject,
  type PatchBody,
  type PatchParams,
} from '@kube-rx/core';
import { Action } from './action.js';
import { FinalizerError } from './finalizerError.js';
import { toActionObservable, type ReconcileOutput } from './reconcileOutput.js';

/**
 * What {@link finalizer} hands to your handler:
 *
 * - `Apply`: the object is alive and carries our finalizer; make the world match it.
 * - `Cleanup`: the object is being deleted and still carries our finalizer; release what it
 *   owns outside Kubernetes. When the handler succeeds the finalizer is removed and Kubernetes
 *   finishes the deletion. Must be idempotent: it can run again after a crash.
 */
export type FinalizerEvent<K> =
  | {
      /** The object is alive and carries our finalizer. */
      readonly type: 'Apply';
      /** The object as given to {@link finalizer}. */
      readonly object: K;
    }
  | {
      /** The object has a `deletionTimestamp` and still carries our finalizer. */
      readonly type: 'Cleanup';
      /** The object as given to {@link finalizer}. */
      readonly object: K;
    };

/** The part of `Api<K>` that {@link finalizer} uses (an `Api<K>` fits). */
export interface FinalizerApi<K> {
  /**
   * Patches the object `name` (in the object's namespace: pass an `Api` scoped to it). Called
   * with JSON patches only. Should fail with a `KubeError`: a 404 `ApiError` while removing the
   * finalizer counts as done.
   */
  patch(name: string, patch: PatchBody, params?: PatchParams): Observable<K>;
}

// A qualified name as Kubernetes validates finalizers: an optional DNS-subdomain prefix and a
// name part of at most 63 alphanumerics, '-', '_' or '.'.
const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isQualifiedName(value: string): boolean {
  const parts = value.split('/');
  if (parts.length === 1) return NAME_PART.test(value);
  if (parts.length !== 2) return false;
  const [prefix, name] = parts as [string, string];
  return prefix.length <= 253 && PREFIX.test(prefix) && NAME_PART.test(name);
}

/**
 * Runs `handler` for `object` with a finalizer guarding its deletion, following kube-runtime's
 * `finalizer`:
 *
 * | object | our finalizer | what happens |
 * |---|---|---|
 * | alive | missing | the finalizer is added with a JSON patch, the handler is **not** called; returns `Action.awaitChange()` (the patch produces a watch event that reconciles again, now with the finalizer present) |
 * | alive | present | `handler({ type: 'Apply', object })` |
 * | being deleted | present | `handler({ type: 'Cleanup', object })`, then on success our finalizer (only ours) is removed; returns the handler's Action |
 * | being deleted | missing | nothing; `Action.awaitChange()` |
 *
 * The patches never clobber other controllers' finalizers: adding `test`s the current
 * `metadata.finalizers` (or, when there are none, the `resourceVersion`) and appends; removing
 * `test`s that the entry at our index still is our name and removes that index. When a `test`
 * fails (422, the object changed meanwhile) a newer version is already on its way and will
 * reconcile again.
 *
 * Returns a cold Observable of one Action, failing with a {@link FinalizerError}: a failed
 * cleanup keeps the finalizer (the object stays until a cleanup succeeds). Cleanup may run more
 * than once for one deletion (a reconcile can start from a cache that has not yet seen the
 * object go), so it must be idempotent; removing the finalizer from an object that is already
 * gone (404) counts as done.
 *
 * @example
 * ```ts
 * // The widget's ConfigMap lives in a shared namespace, where owner references cannot reach it.
 * const reconcileWithCleanup = (widget: Widget, ctx: Ctx) =>
 *   finalizer(ctx.widgets, 'widgets.example.com/cleanup', widget, async (event) => {
 *     if (event.type === 'Apply') return reconcile(event.object, ctx);
 *     await lastValueFrom(ctx.configMaps.delete(`widget-${event.object.metadata!.name!}`));
 *     return Action.awaitChange();
 *   });
 * ```
 */
export function finalizer<K extends KubeObject>(
  api: FinalizerApi<K>,
  finalizerName: string,
  object: K,
  handler: (event: FinalizerEvent<K>) => ReconcileOutput,
): Observable<Action> {
  return defer(() => {
    if (typeof finalizerName !== 'string' || !isQualifiedName(finalizerName)) {
      return throwError(() => new FinalizerError('InvalidFinalizer', String(finalizerName)));
    }
    const metadata = object.metadata;
    const name = metadata?.name;
    if (!name) return throwError(() => new FinalizerError('UnnamedObject', finalizerName));
    const finalizers = metadata.finalizers;
    const index = finalizers?.indexOf(finalizerName) ?? -1;
    const deleting = Boolean(metadata.deletionTimestamp);

    if (!deleting && index === -1) {
      return api.patch(name, Patch.json(addOperations(object, finalizerName))).pipe(
        catchError((error: unknown) =>
          throwError(() => new FinalizerError('AddFinalizer', finalizerName, error)),
        ),
        map(() => Action.awaitChange()),
      );
    }
    if (!deleting) {
      return runHandler(handler, { type: 'Apply', object }, 'ApplyFailed', finalizerName);
    }
    if (index === -1) return of(Action.awaitChange());

    // Built lazily: some Api implementations do work when `patch` is called, not on subscribe.
    const removeOurs = defer(() =>
      api.patch(
        name,
        Patch.json([
          { op: 'test', path: `/metadata/finalizers/${index}`, value: finalizerName },
          { op: 'remove', path: `/metadata/finalizers/${index}` },
        ]),
      ),
    ).pipe(
      catchError((error: unknown) =>
        // 404: the object is already gone (the cache lagged behind an earlier, successful
        // removal), so there is nothing left to release.
        isApiError(error, 404)
          ? EMPTY
          : throwError(() => new FinalizerError('RemoveFinalizer', finalizerName, error)),
      ),
    );
    return runHandler(handler, { type: 'Cleanup', object }, 'CleanupFailed', finalizerName).pipe(
      concatMap((action) => concat(removeOurs.pipe(ignoreElements()), of(action))),
    );
  });
}

function addOperations(object: KubeObject, finalizerName: string): JsonPatchOperation[] {
  const finalizers = object.metadata?.finalizers;
  if (finalizers !== undefined && finalizers.length > 0) {
    return [
      { op: 'test', path: '/metadata/finalizers', value: finalizers },
      { op: 'add', path: '/metadata/finalizers/-', value: finalizerName },
    ];
  }
  // No finalizers yet: the array is absent on the server (an empty list is never stored), so
  // guard with the resourceVersion instead.
  const resourceVersion = object.metadata?.resourceVersion;
  const guard: JsonPatchOperation[] =
    resourceVersion === undefined
      ? []
      : [{ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion }];
  return [...guard, { op: 'add', path: '/metadata/finalizers', value: [finalizerName] }];
}

function runHandler<K>(
  handler: (event: FinalizerEvent<K>) => ReconcileOutput,
  event: FinalizerEvent<K>,
  kind: 'ApplyFailed' | 'CleanupFailed',
  finalizerName: string,
): Observable<Action> {
  return toActionObservable(() => handler(event)).pipe(
    catchError((error: unknown) =>
      throwError(() => new FinalizerError(kind, finalizerName, error)),
    ),
  );
}
