import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { loadAll } from 'js-yaml';
import { createLogger } from '@kube-rx/core';
import { clusterRole, type ClusterRole } from '@kube-rx/controller';
import { DemoStats } from '../src/demoStats.js';
import { generatorController } from '../src/generatorController.js';
import { createOperatorContext } from '../src/operatorContext.js';

/** `group resource verb` lines of a ClusterRole's rules, sorted. */
function grants(role: ClusterRole): string[] {
  return role.rules
    .flatMap((rule) =>
      rule.apiGroups.flatMap((group) =>
        rule.resources.flatMap((resource) =>
          rule.verbs.map((verb) => `${group} ${resource} ${verb}`),
        ),
      ),
    )
    .sort();
}

describe('manifests/rbac.yaml', () => {
  it('grants exactly what the controller describes (kube-rx rbac --leader-election)', () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const ctx = createOperatorContext(kubeConfig, {
      logger: createLogger({ silent: true }),
      stats: new DemoStats(),
    });
    const generated = clusterRole([generatorController(ctx)], {
      name: 'kube-rx-demo-operator',
      leaderElection: true,
    });
    const manifest = new URL('../manifests/rbac.yaml', import.meta.url);
    const written = (loadAll(readFileSync(manifest, 'utf8')) as ClusterRole[]).find(
      (object) => object.kind === 'ClusterRole',
    )!;
    expect(grants(written)).toEqual(grants(generated));
  });
});
