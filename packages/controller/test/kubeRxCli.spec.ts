import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { firstValueFrom } from 'rxjs';
import { Api, CustomResourceDefinition, isApiError, type DynamicObject } from '@kube-rx/core';
import { startTestApiServer } from '@kube-rx/testing';
import { gadgetFixture as fixture, kubeRx } from './kubeRxProcess.js';

const gadget = (name: string, spec: Record<string, unknown>, version = 'v1'): DynamicObject => ({
  apiVersion: `example.com/${version}`,
  kind: 'Gadget',
  metadata: { name, namespace: 'default' },
  spec,
});

describe('kube-rx crd', () => {
  it('prints one CRD per kind; the in-memory server accepts it and enforces its schema', async () => {
    const { stdout, code } = await kubeRx('crd', fixture);
    expect(code).toBe(0);
    expect(stdout.startsWith('---\n')).toBe(true);
    const documents = loadAll(stdout) as DynamicObject[];
    expect(documents.map((d) => [d.kind, d.metadata?.name])).toEqual([
      ['CustomResourceDefinition', 'gadgets.example.com'],
    ]);
    const versions = (documents[0]!.spec as { versions: Array<{ name: string; storage: boolean }> })
      .versions;
    expect(versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1', true],
      ['v2', false],
    ]);

    const server = await startTestApiServer();
    try {
      const kubeConfig = server.kubeConfig();
      for (const document of documents) {
        await firstValueFrom(
          Api.cluster(kubeConfig, CustomResourceDefinition).create(
            document as unknown as CustomResourceDefinition,
          ),
        );
      }
      const resource = {
        group: 'example.com',
        version: 'v1',
        kind: 'Gadget',
        plural: 'gadgets',
        namespaced: true,
      };
      const gadgets = Api.namespaced<DynamicObject>(kubeConfig, resource, 'default');
      await firstValueFrom(gadgets.create(gadget('ok', { size: 3, mode: 'on' })));
      for (const spec of [{ size: 11 }, { size: 2, mode: 'maybe' }, { mode: 'on' }]) {
        const error = await firstValueFrom(gadgets.create(gadget('bad', spec))).catch(
          (e: unknown) => e,
        );
        expect(isApiError(error, 422)).toBe(true);
      }
    } finally {
      await server.close();
    }
  }, 90_000);

  it('fails with one line when the module exports no custom resource', async () => {
    const { stderr, code } = await kubeRx(
      'crd',
      join('packages', 'controller', 'test', 'support.ts'),
    );
    expect(code).toBe(1);
    expect(stderr).toBe(
      `kube-rx: no defineCustomResource export in ${join('packages', 'controller', 'test', 'support.ts')}\n`,
    );
    const usage = await kubeRx('deploy');
    expect(usage).toMatchObject({
      code: 2,
      stderr: 'kube-rx: unknown command "deploy" (see --help)\n',
    });
  }, 90_000);
});

describe('kube-rx rbac', () => {
  it('prints a ClusterRole for what the exported controller uses', async () => {
    const { stdout, code } = await kubeRx(
      'rbac',
      fixture,
      '--name',
      'gadget-operator',
      '--leader-election',
    );
    expect(code).toBe(0);
    expect(loadAll(stdout)).toEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'gadget-operator' },
        rules: [
          {
            apiGroups: [''],
            resources: ['configmaps'],
            verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
          },
          { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
          {
            apiGroups: ['coordination.k8s.io'],
            resources: ['leases'],
            verbs: ['get', 'create', 'update'],
          },
          { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
          {
            apiGroups: ['example.com'],
            resources: ['gadgets'],
            verbs: ['get', 'list', 'watch', 'update', 'patch'],
          },
          { apiGroups: ['example.com'], resources: ['gadgets/finalizers'], verbs: ['update'] },
          {
            apiGroups: ['example.com'],
            resources: ['gadgets/status'],
            verbs: ['get', 'update', 'patch'],
          },
        ],
      },
    ]);
  }, 90_000);
});
