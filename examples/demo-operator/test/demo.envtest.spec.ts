import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { firstValueFrom } from 'rxjs';
import {
  Api,
  ConfigMap,
  CustomResourceDefinition,
  Namespace,
  ServiceAccount,
  type ApiResource,
  type KubeObject,
} from '@kube-rx/core';
import { startEnvtest, type Envtest } from '@kube-rx/testing';
import { describeEnvtest } from '../../../packages/testing/test/envtest/describeEnvtest.js';
import { ConfigMapGenerator } from '../src/configMapGenerator.js';
import { DEMO_NAMESPACE, demoGenerators } from '../src/demoResources.js';

// `npm start -- --kubeconfig ...` against a real kube-apiserver, as the ServiceAccount of
// manifests/rbac.yaml: proves the CRD installs, the RBAC rules suffice and the operator converges.
const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = join(exampleDir, '..', '..');
const SERVICE_ACCOUNT_USER = `system:serviceaccount:${DEMO_NAMESPACE}:demo-operator`;
const SERVICE_ACCOUNT_GROUPS = [
  'system:serviceaccounts',
  `system:serviceaccounts:${DEMO_NAMESPACE}`,
];

const rbacResource = (kind: 'ClusterRole' | 'ClusterRoleBinding'): ApiResource => ({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind,
  plural: kind === 'ClusterRole' ? 'clusterroles' : 'clusterrolebindings',
  namespaced: false,
});

function manifests(file: string): KubeObject[] {
  return loadAll(readFileSync(join(exampleDir, 'manifests', file), 'utf8')) as KubeObject[];
}

async function applyManifest(envtest: Envtest, object: KubeObject): Promise<void> {
  const kubeConfig = envtest.kubeConfig();
  const byKind: Record<string, Api<KubeObject>> = {
    CustomResourceDefinition: Api.cluster(kubeConfig, CustomResourceDefinition),
    ServiceAccount: Api.namespaced(
      kubeConfig,
      ServiceAccount,
      object.metadata?.namespace ?? 'default',
    ),
    ClusterRole: Api.cluster(kubeConfig, rbacResource('ClusterRole')),
    ClusterRoleBinding: Api.cluster(kubeConfig, rbacResource('ClusterRoleBinding')),
  };
  const api = byKind[object.kind ?? ''];
  if (api === undefined) throw new Error(`no client for ${object.kind}`);
  await firstValueFrom(api.create(object));
}

function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@kube-rx/source',
        '--import',
        'tsx',
        'examples/demo-operator/src/main.ts',
        ...args,
      ],
      { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describeEnvtest('demo operator in cluster mode against kube-apiserver', () => {
  let envtest: Envtest;
  let dir: string;
  beforeAll(async () => {
    envtest = await startEnvtest({
      users: [{ name: SERVICE_ACCOUNT_USER, groups: SERVICE_ACCOUNT_GROUPS }],
    });
    dir = mkdtempSync(join(tmpdir(), 'kube-rx-demo-envtest-'));
  }, 60_000);
  afterAll(async () => {
    await envtest?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('installs from the manifests, runs as the ServiceAccount of rbac.yaml and converges', async () => {
    const admin = envtest.kubeConfig();
    await firstValueFrom(
      Api.cluster<KubeObject>(admin, Namespace).create({ metadata: { name: DEMO_NAMESPACE } }),
    );
    for (const object of [ConfigMapGenerator.crdManifest(), ...manifests('rbac.yaml')]) {
      await applyManifest(envtest, object);
    }
    const generators = Api.namespaced<KubeObject>(admin, ConfigMapGenerator, DEMO_NAMESPACE);
    // The CRD is served once it is Established; creating a generator before that gets 404.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const listed = await firstValueFrom(generators.list()).then(
        () => true,
        () => false,
      );
      if (listed) break;
      if (Date.now() > deadline) throw new Error('the ConfigMapGenerator CRD was not served');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const generator of demoGenerators()) await firstValueFrom(generators.create(generator));

    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      envtest.kubeConfigFor(SERVICE_ACCOUNT_USER, SERVICE_ACCOUNT_GROUPS).exportConfig(),
      { mode: 0o600 },
    );
    const { code, output } = await runCli([
      '--kubeconfig',
      kubeconfig,
      '--duration',
      '8',
      '--log-format',
      'json',
    ]);
    expect({ code, forbidden: /forbidden/i.test(output) }).toEqual({ code: 0, forbidden: false });

    // The summary is the indented JSON document printed after the log lines.
    const start = output.lastIndexOf('{\n  "summary"');
    const end = output.indexOf('\n}', start) + 2;
    const summary = (JSON.parse(output.slice(start, end)) as { summary?: Record<string, unknown> })
      .summary;
    expect(summary).toMatchObject({ converged: true });
    const configMaps = await firstValueFrom(
      Api.namespaced<KubeObject>(admin, ConfigMap, DEMO_NAMESPACE).list({
        labelSelector: 'app=shop',
      }),
    );
    // app-config asks for two replicas, each owned by the generator.
    expect(configMaps.items).toHaveLength(2);
    for (const configMap of configMaps.items) {
      expect(configMap.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'ConfigMapGenerator',
        name: 'app-config',
      });
    }
  }, 60_000);
});
