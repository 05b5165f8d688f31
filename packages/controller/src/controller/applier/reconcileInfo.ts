import { randomUUID } from 'node:crypto';
import type { Logger, ObjectRef } from '@kube-rx/core';
import type { ReconcileReason } from '../reconcileReason.js';

/**
 * What a reconcile function gets about its own run, as its third argument: the run's id, why it
 * runs, and a logger whose every line carries `controller`, `namespace`, `name` and
 * `reconcileID` — the same fields as the lines kube-rx logs for the run (its failure, a failing
 * error policy), so one query finds everything about a run.
 *
 * Built lazily: the id and the logger are made on first access, so a run that logs nothing
 * costs neither.
 *
 * @example
 * ```ts
 * const reconcile = async (widget: Widget, ctx: Ctx, run: ReconcileInfo) => {
 *   run.logger.info('scaling', { replicas: widget.spec?.size });
 *   return Action.awaitChange();
 * };
 * ```
 */
export interface ReconcileInfo {
  /** The controller's name (the `controller` label of its metrics). */
  readonly controller: string;
  /** The object being reconciled. */
  readonly ref: ObjectRef;
  /** Why it runs (object updated, requeue, owned object changed, ...). */
  readonly reason: ReconcileReason;
  /** A random UUID, unique to this run (as controller-runtime's `reconcileID`). */
  readonly reconcileID: string;
  /** The controller's logger with `controller`, `namespace`, `name` and `reconcileID` bound. */
  readonly logger: Logger;
}

/**
 * The {@link ReconcileInfo} of one run; `logger` is looked up when first used.
 *
 * @internal made by the applier
 */
export function reconcileInfo(
  controller: string,
  ref: ObjectRef,
  reason: ReconcileReason,
  logger: () => Logger,
): ReconcileInfo {
  return new Run(controller, ref, reason, logger);
}

class Run implements ReconcileInfo {
  private id: string | undefined;
  private bound: Logger | undefined;

  constructor(
    readonly controller: string,
    readonly ref: ObjectRef,
    readonly reason: ReconcileReason,
    private readonly base: () => Logger,
  ) {}

  get reconcileID(): string {
    this.id ??= randomUUID();
    return this.id;
  }

  get logger(): Logger {
    this.bound ??= this.base().child({
      controller: this.controller,
      // Empty for cluster-scoped objects, so that every line has the field (as controller-runtime).
      namespace: this.ref.namespace ?? '',
      name: this.ref.name,
      reconcileID: this.reconcileID,
    });
    return this.bound;
  }
}
