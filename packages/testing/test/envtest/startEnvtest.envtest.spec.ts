import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { inspect } from 'node:util';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { startEnvtest, type Envtest } from '@kube-rx/testing';
import { describeEnvtest } from './describeEnvtest.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describeEnvtest('startEnvtest', () => {
  let envtest: Envtest;
  let readyMs: number;
  beforeAll(async () => {
    const started = Date.now();
    envtest = await startEnvtest({ users: [{ name: 'alice', groups: ['devs'] }] });
    readyMs = Date.now() - started;
    process.stdout.write(`startEnvtest ready in ${readyMs} ms\n`);
  }, 60_000);
  afterAll(() => envtest?.close());

  it('serves HTTPS verified against its CA with the admin token', async () => {
    expect(envtest.url).toBe(`https://127.0.0.1:${envtest.port}`);
    expect(envtest.kubeConfig().getCurrentCluster()?.skipTLSVerify).toBe(false);
    const core = envtest.kubeConfig().makeApiClient(CoreV1Api);
    const list = await core.listNamespace();
    expect(list.items.map((namespace) => namespace.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system']),
    );
  });

  it('rejects a client that does not trust the CA', async () => {
    const kubeConfig = envtest.kubeConfig();
    const { caData: _trusted, ...untrusting } = kubeConfig.clusters[0]!;
    kubeConfig.clusters[0] = untrusting;
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const error: unknown = await core.listNamespace().catch((failure: unknown) => failure);
    // client-node's fetch reports "fetch failed"; the TLS verdict is in the cause.
    expect(inspect(error)).toMatch(/certificate|SELF_SIGNED_CERT/i);
  });

  it('authenticates configured users, whom RBAC gives nothing until bound', async () => {
    const alice = envtest.kubeConfigFor('alice', ['devs']).makeApiClient(CoreV1Api);
    await expect(alice.listNamespacedConfigMap({ namespace: 'default' })).rejects.toMatchObject({
      code: 403,
    });
    expect(() => envtest.kubeConfigFor('alice')).toThrow(TypeError);
    expect(() => envtest.kubeConfigFor('bob', ['devs'])).toThrow(/startEnvtest\(\{ users \}\)/);
  });

  it('installs a custom resource that is served once the call resolves', async () => {
    await envtest.registerCustomResource({
      group: 'envtest.kube-rx.dev',
      version: 'v1',
      kind: 'Gadget',
      plural: 'gadgets',
      namespaced: true,
      statusSubresource: true,
    });
    const custom = envtest.kubeConfig().makeApiClient(CustomObjectsApi);
    const created = (await custom.createNamespacedCustomObject({
      group: 'envtest.kube-rx.dev',
      version: 'v1',
      namespace: 'default',
      plural: 'gadgets',
      body: {
        apiVersion: 'envtest.kube-rx.dev/v1',
        kind: 'Gadget',
        metadata: { name: 'g' },
        spec: { size: 3 },
      },
    })) as { metadata: { generation: number }; spec: unknown };
    expect(created.metadata.generation).toBe(1);
    expect(created.spec).toEqual({ size: 3 });
  });

  it('compacts etcd to the current revision', async () => {
    const core = envtest.kubeConfig().makeApiClient(CoreV1Api);
    const cm = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'before-compaction' } },
    });
    const revision = await envtest.compact();
    expect(Number(revision)).toBeGreaterThanOrEqual(Number(cm.metadata!.resourceVersion));
  });

  it('restarts the apiserver on the same port, keeping the data', async () => {
    const before = envtest.pids.apiServer!;
    await envtest.restart();
    expect(envtest.pids.apiServer).not.toBe(before);
    expect(alive(before)).toBe(false);
    const core = envtest.kubeConfig().makeApiClient(CoreV1Api);
    const cm = await core.readNamespacedConfigMap({
      namespace: 'default',
      name: 'before-compaction',
    });
    expect(cm.metadata?.name).toBe('before-compaction');
  }, 30_000);

  it('close() leaves no process and no file behind', async () => {
    const { apiServer, etcd } = envtest.pids;
    const logFile = envtest.logFile;
    expect(alive(apiServer!) && alive(etcd!)).toBe(true);
    await envtest.close();
    expect(alive(apiServer!)).toBe(false);
    expect(alive(etcd!)).toBe(false);
    expect(envtest.pids).toEqual({ apiServer: undefined, etcd: undefined });
    expect(existsSync(logFile)).toBe(false);
    await envtest.close();
  }, 30_000);
});

describeEnvtest('startEnvtest start-up failure', () => {
  it('rejects with the tail of the processes log', async () => {
    await expect(startEnvtest({ apiServerFlags: ['--no-such-flag'] })).rejects.toThrow(
      /last lines of the etcd\/kube-apiserver log[\s\S]*no-such-flag/,
    );
  }, 60_000);
});
