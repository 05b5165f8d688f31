import type { KubeObject } from '@kube-rx/core';
import { isPlainObject } from '../patch/mergePatch.js';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import { invalid, type FieldError } from '../status.js';

/**
 * The apiserver's main apps/v1 Deployment checks: `spec.selector` is required and its
 * `matchLabels` must select `spec.template.metadata.labels` (422 Invalid otherwise).
 */
export function validateDeployment(definition: ResourceDefinition, deployment: KubeObject): void {
  const spec = (deployment as KubeObject & { spec?: unknown }).spec;
  const selector = isPlainObject(spec) ? spec.selector : undefined;
  const template = isPlainObject(spec) && isPlainObject(spec.template) ? spec.template : {};
  const templateMetadata = isPlainObject(template.metadata) ? template.metadata : {};
  const labels = isPlainObject(templateMetadata.labels)
    ? (templateMetadata.labels as Record<string, unknown>)
    : {};
  const errors: FieldError[] = [];
  if (!isPlainObject(selector)) {
    errors.push({
      reason: 'FieldValueRequired',
      field: 'spec.selector',
      message: 'Required value',
    });
  }
  const matchLabels =
    isPlainObject(selector) && isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
  const selects = Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
  if (!isPlainObject(selector) || !selects || Object.keys(matchLabels).length === 0) {
    const shown = Object.entries(labels)
      .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`)
      .join(', ');
    errors.push({
      reason: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      message: `Invalid value: map[string]string{${shown}}: \`selector\` does not match template \`labels\``,
    });
  }
  if (errors.length > 0) throw invalid(definition, deployment.metadata?.name ?? '', errors);
}
