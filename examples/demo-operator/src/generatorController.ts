import { generation } from '@kube-rx/watcher';
import { Controller } from '@kube-rx/controller';
import type { ConfigMapGenerator } from './configMapGenerator.js';
import type { OperatorContext } from './operatorContext.js';

/**
 * The ConfigMapGenerator controller, not yet running: generators in all namespaces (reconciled
 * when their spec changes — `generation` — not when their status does) and the ConfigMaps they
 * own. Its `describeAccess()` is what manifests/rbac.yaml grants (a test keeps them equal).
 */
export function generatorController(ctx: OperatorContext): Controller<ConfigMapGenerator> {
  return (
    new Controller(ctx.generators)
      // The reconciler writes status (conditions, observedGeneration), which does not bump
      // metadata.generation: with this predicate those writes do not trigger another reconcile.
      .withPredicate(generation)
      .owns(ctx.configMaps)
  );
}
