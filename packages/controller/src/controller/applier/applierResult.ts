import { Err, Ok, type Result } from '../../result.js';
import type { RunOutcome } from '../../runner.js';
import { ControllerError } from '../controllerError.js';
import type { ReconcileOk } from '../reconcileOk.js';
import type { KeyedRequest } from './keyedRequest.js';
import type { Step } from './reconcileStep.js';

/**
 * The result the applier emits for one finished run, or `undefined` for a run skipped after a
 * shutdown signal: `Ok(ReconcileOk)` for a successful reconcile, `Err(ReconcilerFailed)` with
 * the reconcile's error as `cause` for a failed one, `Err(ObjectNotFound)` when the object was
 * gone when the run started.
 */
export function applierResult(
  outcome: RunOutcome<KeyedRequest, Step>,
): Result<ReconcileOk, ControllerError> | undefined {
  const durationMs = outcome.finishedAt - outcome.startedAt;
  const { ref, reason } = outcome.message;
  if (outcome.result.err) {
    // The run function catches everything itself; this is a defect in it.
    return Err(
      new ControllerError('ReconcilerFailed', {
        ref,
        reason,
        durationMs,
        cause: outcome.result.val,
      }),
    );
  }
  const step = outcome.result.val;
  switch (step.type) {
    case 'skipped':
      return undefined;
    case 'notFound':
      return Err(new ControllerError('ObjectNotFound', { ref, reason }));
    case 'ok':
      return new Ok({ ref: step.ref, action: step.action, reason, durationMs });
    case 'failed':
      return Err(
        new ControllerError('ReconcilerFailed', {
          ref: step.ref,
          reason,
          durationMs,
          cause: step.error,
        }),
      );
  }
}
