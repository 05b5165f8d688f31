import { asyncScheduler, type SchedulerLike } from 'rxjs';

/** Status of a {@link Condition}: Kubernetes' `ConditionStatus`. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/**
 * A status condition in the shape of Kubernetes' `metav1.Condition` (what `kubectl wait
 * --for=condition=Ready` and most tooling read from `status.conditions`).
 */
export interface Condition {
  /** CamelCase condition type, e.g. `Ready`. */
  type: string;
  /** `'True'`, `'False'` or `'Unknown'` (strings, not booleans). */
  status: ConditionStatus;
  /** CamelCase machine-readable reason for the last transition, e.g. `ConfigMapCreated`. */
  reason: string;
  /** Human-readable details; may be empty. */
  message: string;
  /** `metadata.generation` the condition was computed from, when known. */
  observedGeneration?: number;
  /** When `status` last changed, RFC 3339 in UTC with second precision (`2026-11-22T02:58:41Z`). */
  lastTransitionTime: string;
}

/** What {@link setCondition} needs: a {@link Condition} without its `lastTransitionTime`. */
export interface ConditionInput {
  /** CamelCase condition type, e.g. `Ready`; must not be empty. Identifies the entry to replace. */
  type: string;
  /** `'True'`, `'False'` or `'Unknown'`; `lastTransitionTime` changes only when this changes. */
  status: ConditionStatus;
  /** CamelCase machine-readable reason, e.g. `MissingField`; must not be empty. */
  reason: string;
  /** Default `''`. */
  message?: string;
  /** Usually the object's `metadata.generation`. Left out when absent. */
  observedGeneration?: number;
}

/** Options of {@link setCondition}. */
export interface SetConditionConfig {
  /** The transition time to record, overriding `scheduler.now()`. */
  now?: Date | number;
  /** Clock for the transition time. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Returns a new conditions array with `condition` set, like apimachinery's
 * `meta.SetStatusCondition`: an existing condition of the same `type` is replaced in place, a new
 * one is appended. `lastTransitionTime` changes only when `status` changes (so it means "since
 * when is it like this"); `reason`, `message` and `observedGeneration` always take the new values.
 * The input array is not modified.
 *
 * Throws a `TypeError` when `type` or `reason` is empty or `status` is not True/False/Unknown.
 *
 * @example
 * ```ts
 * const conditions = setCondition(widget.status?.conditions, {
 *   type: 'Ready',
 *   status: 'False',
 *   reason: 'MissingField',
 *   message: 'spec.size is required',
 *   observedGeneration: widget.metadata?.generation ?? 0,
 * });
 * await lastValueFrom(widgets.patchStatus(widget.metadata!.name!, Patch.merge({ status: { conditions } })));
 * ```
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  condition: ConditionInput,
  config: SetConditionConfig = {},
): Condition[] {
  validate(condition);
  const existing = conditions ?? [];
  const index = existing.findIndex((c) => c.type === condition.type);
  const previous = index === -1 ? undefined : existing[index];
  const lastTransitionTime =
    previous !== undefined && previous.status === condition.status
      ? previous.lastTransitionTime
      : formatTime(config);
  const next: Condition = {
    type: condition.type,
    status: condition.status,
    reason: condition.reason,
    message: condition.message ?? '',
    lastTransitionTime,
  };
  if (condition.observedGeneration !== undefined) {
    next.observedGeneration = condition.observedGeneration;
  }
  if (index === -1) return [...existing, next];
  const result = [...existing];
  result[index] = next;
  return result;
}

/**
 * The condition of the given type, or `undefined`.
 *
 * @example
 * ```ts
 * const ready = getCondition(widget.status?.conditions, 'Ready');
 * ```
 */
export function getCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * Whether the condition of the given type exists with status `True`. When `observedGeneration`
 * is given, the condition must also have been computed for that generation (a stale `True` does
 * not count).
 *
 * @example
 * ```ts
 * if (isConditionTrue(widget.status?.conditions, 'Ready', widget.metadata?.generation)) return Action.awaitChange();
 * ```
 */
export function isConditionTrue(
  conditions: readonly Condition[] | undefined,
  type: string,
  observedGeneration?: number,
): boolean {
  const condition = getCondition(conditions, type);
  if (condition?.status !== 'True') return false;
  return observedGeneration === undefined || condition.observedGeneration === observedGeneration;
}

/**
 * Returns a new array without the condition of the given type (the same elements otherwise).
 *
 * @example
 * ```ts
 * const conditions = removeCondition(widget.status?.conditions, 'Degraded');
 * ```
 */
export function removeCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

const STATUSES: ReadonlySet<string> = new Set(['True', 'False', 'Unknown']);

function validate(condition: ConditionInput): void {
  if (typeof condition.type !== 'string' || condition.type === '') {
    throw new TypeError('setCondition: condition.type must be a non-empty string');
  }
  if (!STATUSES.has(condition.status)) {
    throw new TypeError(
      `setCondition: condition.status must be True, False or Unknown, got ${String(condition.status)}`,
    );
  }
  if (typeof condition.reason !== 'string' || condition.reason === '') {
    throw new TypeError('setCondition: condition.reason must be a non-empty string');
  }
}

function formatTime(config: SetConditionConfig): string {
  const now = config.now ?? (config.scheduler ?? asyncScheduler).now();
  const millis = typeof now === 'number' ? now : now.getTime();
  // metav1.Time serialises with second precision.
  return new Date(Math.floor(millis / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
