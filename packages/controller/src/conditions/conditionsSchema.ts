import { Type, type TObject } from '@kube-rx/core';
import type { TArray, TInteger, TLiteral, TOptional, TString, TUnion } from 'typebox';

/** The fields of {@link conditionSchema}, as TypeBox schemas. */
export type ConditionSchemaProperties = {
  /** CamelCase condition type, e.g. `Ready`. */
  type: TString;
  /** `'True'`, `'False'` or `'Unknown'`. */
  status: TUnion<[TLiteral<'True'>, TLiteral<'False'>, TLiteral<'Unknown'>]>;
  /** CamelCase reason of the last transition. */
  reason: TString;
  /** Human-readable details. */
  message: TString;
  /** `metadata.generation` the condition was computed from. */
  observedGeneration: TOptional<TInteger>;
  /** When `status` last changed (RFC 3339). */
  lastTransitionTime: TString;
};

/**
 * The TypeBox schema of one status {@link Condition}, as Kubernetes' `metav1.Condition`:
 * `type`, `status` (`'True'`/`'False'`/`'Unknown'`), `reason`, `message`, `lastTransitionTime`
 * (an RFC 3339 string) and an optional `observedGeneration`.
 */
export const conditionSchema: TObject<ConditionSchemaProperties> = Type.Object({
  type: Type.String({ minLength: 1, maxLength: 316 }),
  status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')]),
  reason: Type.String({ maxLength: 1024 }),
  message: Type.String({ maxLength: 32768 }),
  observedGeneration: Type.Optional(Type.Integer({ minimum: 0, format: 'int64' })),
  lastTransitionTime: Type.String({ format: 'date-time' }),
});

/**
 * The TypeBox schema of a `status.conditions` list: {@link conditionSchema} items, one per
 * `type` (`x-kubernetes-list-type: map` keyed by `type`, so server-side apply merges entries).
 * Use it in the `status` of `defineCustomResource`; the objects' type then has
 * `conditions?: Condition[]`-compatible entries that `setCondition`/`getCondition` accept.
 *
 * @example
 * ```ts
 * const Widget = defineCustomResource({
 *   group: 'example.com', version: 'v1', kind: 'Widget', namespaced: true,
 *   spec: Type.Object({ size: Type.Integer() }),
 *   status: Type.Object({ conditions: Type.Optional(conditionsSchema()) }),
 * });
 * ```
 */
export function conditionsSchema(): TArray<TObject<ConditionSchemaProperties>> {
  return Type.Array(conditionSchema, {
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
  });
}
