import { isPlainObject } from '../patch/mergePatch.js';
import { invalid } from '../status.js';

/** What happens to an object's dependents when it is deleted. */
export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

const POLICIES: readonly string[] = ['Foreground', 'Background', 'Orphan'];

/**
 * The propagation policy of a DELETE: DeleteOptions `propagationPolicy` (body or query), the
 * deprecated `orphanDependents: true`, else `Background` (the default of every kind served
 * here). An unknown policy is a 422 on `DeleteOptions.meta.k8s.io`, as the apiserver answers.
 */
export function propagationPolicyOf(options: unknown): PropagationPolicy {
  const policy = isPlainObject(options) ? options.propagationPolicy : undefined;
  if (policy === undefined || policy === null || policy === '') {
    return isPlainObject(options) && options.orphanDependents === true ? 'Orphan' : 'Background';
  }
  if (typeof policy !== 'string' || !POLICIES.includes(policy)) {
    throw invalid({ group: 'meta.k8s.io', plural: '', kind: 'DeleteOptions' }, '', [
      {
        reason: 'FieldValueNotSupported',
        field: 'propagationPolicy',
        message: `Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`,
      },
    ]);
  }
  return policy as PropagationPolicy;
}
