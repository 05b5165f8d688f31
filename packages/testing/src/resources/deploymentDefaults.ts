import { isPlainObject } from '../patch/mergePatch.js';

type Mutable = Record<string, unknown>;

/**
 * What the apiserver fills in on a new apps/v1 Deployment: `replicas: 1`, a RollingUpdate
 * strategy of 25 % / 25 %, `revisionHistoryLimit: 10`, `progressDeadlineSeconds: 600`. There is
 * no deployment controller: `status` stays whatever `/status` writes make it.
 */
export function applyDeploymentDefaults(deployment: Mutable): void {
  const spec: Mutable = isPlainObject(deployment.spec) ? deployment.spec : {};
  spec.replicas ??= 1;
  spec.strategy ??= { type: 'RollingUpdate' };
  const strategy = spec.strategy as Mutable;
  if (strategy.type === 'RollingUpdate') {
    strategy.rollingUpdate ??= { maxUnavailable: '25%', maxSurge: '25%' };
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  deployment.spec = spec;
}
