import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  V1MicroTime,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import type { Json } from './support.js';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

async function failure(promise: Promise<unknown>): Promise<{ code: number; body: Json }> {
  try {
    await promise;
  } catch (error) {
    const { code, body } = error as { code: number; body: string | Json };
    return { code, body: typeof body === 'string' ? JSON.parse(body) : body };
  }
  throw new Error('expected the request to fail');
}

describe('@kubernetes/client-node against the test apiserver', () => {
  let server: TestApiServer;
  let core: CoreV1Api;
  beforeEach(async () => {
    server = await startTestApiServer();
    core = server.kubeConfig().makeApiClient(CoreV1Api);
  });
  afterEach(() => server.close());

  const configMap = (name: string, labels: Record<string, string> = {}): V1ConfigMap => ({
    metadata: { name, labels },
    data: { a: '1' },
  });

  it('creates, reads, replaces, patches and deletes a ConfigMap with one global resourceVersion', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('one'),
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.generation).toBeUndefined();
    const read = await core.readNamespacedConfigMap({ namespace: 'default', name: 'one' });
    expect(read.data).toEqual({ a: '1' });
    const replaced = await core.replaceNamespacedConfigMap({
      namespace: 'default',
      name: 'one',
      body: { ...read, data: { a: '2' } },
    });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(
      Number(read.metadata?.resourceVersion),
    );
    const patched = await core.patchNamespacedConfigMap(
      { namespace: 'default', name: 'one', body: { data: { b: '3' } } },
      merge,
    );
    expect(patched.data).toEqual({ a: '2', b: '3' });
    const jsonPatched = await core.patchNamespacedConfigMap({
      namespace: 'default',
      name: 'one',
      body: [{ op: 'replace', path: '/data/a', value: 'j' }],
    });
    expect(jsonPatched.data?.a).toBe('j');
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'one' });
    expect(server.get('configmaps', 'default', 'one')).toBeUndefined();
    expect(server.requests.map((r) => r.verb)).toEqual([
      'create',
      'get',
      'update',
      'patch',
      'patch',
      'delete',
    ]);
  });

  it('a no-op update keeps the resourceVersion', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('same'),
    });
    const again = await core.replaceNamespacedConfigMap({
      namespace: 'default',
      name: 'same',
      body: created,
    });
    expect(again.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
  });

  it('stale update is 409 Conflict', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('c'),
    });
    await core.replaceNamespacedConfigMap({
      namespace: 'default',
      name: 'c',
      body: { ...created, data: { a: 'x' } },
    });
    const { code, body } = await failure(
      core.replaceNamespacedConfigMap({
        namespace: 'default',
        name: 'c',
        body: { ...created, data: { a: 'y' } },
      }),
    );
    expect(code).toBe(409);
    expect(body.reason).toBe('Conflict');
  });

  it('lists with label selectors (=, !=, in, notin, exists, !exists) and field selectors', async () => {
    for (const [name, labels] of [
      ['a', { tier: 'web', env: 'prod' }],
      ['b', { tier: 'db', env: 'prod' }],
      ['c', { tier: 'web' }],
    ] as const) {
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap(name, labels) });
    }
    await core.createNamespacedConfigMap({
      namespace: 'other',
      body: configMap('d', { tier: 'web' }),
    });
    const names = async (labelSelector?: string, fieldSelector?: string, all = false) => {
      const list = all
        ? await core.listConfigMapForAllNamespaces({
            ...(labelSelector ? { labelSelector } : {}),
            ...(fieldSelector ? { fieldSelector } : {}),
          })
        : await core.listNamespacedConfigMap({
            namespace: 'default',
            ...(labelSelector ? { labelSelector } : {}),
            ...(fieldSelector ? { fieldSelector } : {}),
          });
      return list.items.map((i) => i.metadata?.name);
    };
    expect(await names('tier=web')).toEqual(['a', 'c']);
    expect(await names('tier==web,env=prod')).toEqual(['a']);
    expect(await names('tier!=web')).toEqual(['b']);
    expect(await names('tier in (db, web),env')).toEqual(['a', 'b']);
    expect(await names('tier notin (web)')).toEqual(['b']);
    expect(await names('!env')).toEqual(['c']);
    expect(await names(undefined, 'metadata.name=b')).toEqual(['b']);
    expect(await names(undefined, 'metadata.name!=b')).toEqual(['a', 'c']);
    expect(await names('tier=web', 'metadata.namespace==other', true)).toEqual(['d']);
    expect(await names('tier=web', undefined, true)).toEqual(['a', 'c', 'd']);
    const { code } = await failure(
      core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'a b c' }),
    );
    expect(code).toBe(400);
  });

  it('paginates with limit/continue over a consistent snapshot', async () => {
    for (let i = 0; i < 5; i++)
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap(`p${i}`) });
    const first = await core.listNamespacedConfigMap({ namespace: 'default', limit: 2 });
    expect(first.metadata?.remainingItemCount).toBe(3);
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'p3' });
    const second = await core.listNamespacedConfigMap({
      namespace: 'default',
      limit: 2,
      _continue: first.metadata!._continue!,
    });
    expect(second.items.map((i) => i.metadata?.name)).toEqual(['p2', 'p3']);
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    const fresh = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(fresh.items).toHaveLength(4);
  });

  it('continue tokens expire after continueTokenTtlMs (410)', async () => {
    const shortLived = await startTestApiServer({ continueTokenTtlMs: 1 });
    try {
      const api = shortLived.kubeConfig().makeApiClient(CoreV1Api);
      for (let i = 0; i < 3; i++)
        await api.createNamespacedConfigMap({ namespace: 'default', body: configMap(`p${i}`) });
      const first = await api.listNamespacedConfigMap({ namespace: 'default', limit: 1 });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const { code, body } = await failure(
        api.listNamespacedConfigMap({
          namespace: 'default',
          limit: 1,
          _continue: first.metadata!._continue!,
        }),
      );
      expect(code).toBe(410);
      expect(body.reason).toBe('Expired');
    } finally {
      await shortLived.close();
    }
  });

  it('lists at an exact older resourceVersion and answers 504 for a future one', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('x') });
    const before = server.resourceVersion;
    await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('y') });
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'x' });
    const old = await core.listNamespacedConfigMap({
      namespace: 'default',
      resourceVersion: before,
      resourceVersionMatch: 'Exact',
    });
    expect(old.items.map((i) => i.metadata?.name)).toEqual(['x']);
    expect(old.metadata?.resourceVersion).toBe(before);
    const { code, body } = await failure(
      core.listNamespacedConfigMap({ namespace: 'default', resourceVersion: '999999' }),
    );
    expect(code).toBe(504);
    expect(body.details.causes[0].reason).toBe('ResourceVersionTooLarge');
    server.faults.compact();
    const expired = await failure(
      core.listNamespacedConfigMap({
        namespace: 'default',
        resourceVersion: before,
        resourceVersionMatch: 'Exact',
      }),
    );
    expect(expired.code).toBe(410);
  });

  it('pods: status subresource, strategic merge of containers by name', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'p' },
        spec: {
          containers: [
            { name: 'a', image: 'a:1' },
            { name: 'b', image: 'b:1' },
          ],
        },
        status: { phase: 'Running' },
      },
    });
    expect(server.get('pods', 'default', 'p')).toMatchObject({ status: { phase: 'Pending' } });
    const patched = await core.patchNamespacedPod(
      {
        namespace: 'default',
        name: 'p',
        body: { spec: { containers: [{ name: 'b', image: 'b:2' }] }, status: { phase: 'Failed' } },
      },
      strategic,
    );
    expect(patched.spec?.containers.map((c) => c.image)).toEqual(['a:1', 'b:2']);
    expect(patched.status?.phase).toBe('Pending');
    const status = await core.patchNamespacedPodStatus(
      {
        namespace: 'default',
        name: 'p',
        body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
      },
      merge,
    );
    expect(status.status?.phase).toBe('Running');
    const again = await core.patchNamespacedPodStatus(
      {
        namespace: 'default',
        name: 'p',
        body: {
          status: {
            conditions: [
              { type: 'Ready', status: 'False' },
              { type: 'Other', status: 'True' },
            ],
          },
        },
      },
      strategic,
    );
    expect(again.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'Ready=False',
      'Other=True',
    ]);
  });

  it('namespaces: 404 for a missing namespace when auto-creation is off; deleting one deletes its objects', async () => {
    const strict = await startTestApiServer({ autoCreateNamespaces: false });
    try {
      const api = strict.kubeConfig().makeApiClient(CoreV1Api);
      const { code, body } = await failure(
        api.createNamespacedConfigMap({ namespace: 'nope', body: configMap('x') }),
      );
      expect(code).toBe(404);
      expect(body.message).toBe('namespaces "nope" not found');
      await api.createNamespace({ body: { metadata: { name: 'nope' } } });
      await api.createNamespacedConfigMap({ namespace: 'nope', body: configMap('x') });
      await api.createNamespacedSecret({
        namespace: 'nope',
        body: { metadata: { name: 's' }, stringData: { k: 'v' } },
      });
      await api.deleteNamespace({ name: 'nope' });
      expect(strict.list('configmaps')).toEqual([]);
      expect(strict.list('secrets')).toEqual([]);
      expect(strict.list('namespaces').map((n) => n.metadata?.name)).toEqual([
        'default',
        'kube-node-lease',
        'kube-public',
        'kube-system',
      ]);
    } finally {
      await strict.close();
    }
  });

  it('leases through CoordinationV1Api with MicroTime', async () => {
    const coordination = server.kubeConfig().makeApiClient(CoordinationV1Api);
    const now = new V1MicroTime();
    const lease = await coordination.createNamespacedLease({
      namespace: 'default',
      body: {
        metadata: { name: 'leader' },
        spec: { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: now },
      },
    });
    expect(lease.spec?.holderIdentity).toBe('a');
    const stale = { ...lease, spec: { ...lease.spec, holderIdentity: 'b' } };
    await coordination.replaceNamespacedLease({
      namespace: 'default',
      name: 'leader',
      body: { ...lease, spec: { ...lease.spec, renewTime: new V1MicroTime() } },
    });
    const { code, body } = await failure(
      coordination.replaceNamespacedLease({ namespace: 'default', name: 'leader', body: stale }),
    );
    expect(code).toBe(409);
    expect(body.message).toMatch(
      /^Operation cannot be fulfilled on leases.coordination.k8s.io "leader"/,
    );
  });

  it('custom resources through CustomObjectsApi: generation, status subresource, 415 for strategic merge', async () => {
    server.registerCustomResource({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      namespaced: true,
      statusSubresource: true,
    });
    const custom = server.kubeConfig().makeApiClient(CustomObjectsApi);
    const target = { group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' };
    const created: Json = await custom.createNamespacedCustomObject({
      ...target,
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { size: 1 },
        status: { ready: true },
      },
    });
    expect(created.metadata.generation).toBe(1);
    expect(created.status).toBeUndefined();
    const labelled: Json = await custom.patchNamespacedCustomObject(
      { ...target, name: 'w', body: { metadata: { labels: { a: 'b' } } } },
      merge,
    );
    expect(labelled.metadata.generation).toBe(1);
    const status: Json = await custom.patchNamespacedCustomObjectStatus(
      { ...target, name: 'w', body: { status: { ready: true }, spec: { size: 5 } } },
      merge,
    );
    expect([status.metadata.generation, status.status, status.spec]).toEqual([
      1,
      { ready: true },
      { size: 1 },
    ]);
    const spec: Json = await custom.replaceNamespacedCustomObject({
      ...target,
      name: 'w',
      body: { ...status, spec: { size: 2 }, status: { ready: false } },
    });
    expect([spec.metadata.generation, spec.status]).toEqual([2, { ready: true }]);
    const { code } = await failure(
      custom.patchNamespacedCustomObject(
        { ...target, name: 'w', body: { spec: { size: 3 } } },
        strategic,
      ),
    );
    expect(code).toBe(415);
    const list: Json = await custom.listNamespacedCustomObject(target);
    expect(list.items.map((i: Json) => i.kind)).toEqual(['Widget']);
  });

  it('custom resources without a status subresource and cluster-scoped', async () => {
    server.registerCustomResource({
      group: 'example.com',
      version: 'v1',
      kind: 'Gadget',
      plural: 'gadgets',
      namespaced: false,
    });
    const custom = server.kubeConfig().makeApiClient(CustomObjectsApi);
    const target = { group: 'example.com', version: 'v1', plural: 'gadgets' };
    await custom.createClusterCustomObject({
      ...target,
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Gadget',
        metadata: { name: 'g' },
        status: { ok: 1 },
      },
    });
    expect(server.get('gadgets.example.com', undefined, 'g')).toMatchObject({ status: { ok: 1 } });
    const { code } = await failure(custom.getClusterCustomObjectStatus({ ...target, name: 'g' }));
    expect(code).toBe(404);
  });

  it('KubernetesObjectApi: create, read, apply with a field manager, delete through discovery', async () => {
    const objects = KubernetesObjectApi.makeApiClient(server.kubeConfig());
    const spec = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'k', namespace: 'default' },
      data: { a: '1' },
    };
    await objects.create(spec);
    const read = await objects.read({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'k', namespace: 'default' },
    });
    expect(read.metadata?.uid).toBeDefined();
    const applied: Json = await objects.patch(
      { ...spec, data: { a: '2' } },
      undefined,
      undefined,
      'kube-rx',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(applied.data).toEqual({ a: '2' });
    expect(applied.metadata.managedFields[0]).toMatchObject({
      manager: 'kube-rx',
      operation: 'Apply',
      fieldsV1: { 'f:data': { 'f:a': {} } },
    });
    await objects.delete(spec);
    expect(server.list('configmaps', 'default')).toEqual([]);
  });

  it('seed, get and list give tests direct store access', async () => {
    const [seeded] = server.seed({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns' },
      status: { phase: 'Running' },
    } as Json);
    expect(seeded?.metadata?.resourceVersion).toBe(server.resourceVersion);
    const read = await core.readNamespacedPod({ namespace: 'ns', name: 'p' });
    expect(read.status?.phase).toBe('Running');
    expect(server.list('namespaces').map((n) => n.metadata?.name)).toContain('ns');
    expect(() =>
      server.seed({ apiVersion: 'nope/v1', kind: 'Thing', metadata: { name: 'x' } }),
    ).toThrow(TypeError);
  });

  it('CRD objects register their custom resource', async () => {
    const objects = KubernetesObjectApi.makeApiClient(server.kubeConfig());
    await objects.create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gizmos.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Cluster',
        names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo', listKind: 'GizmoList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object' } },
          },
        ],
      },
    } as Json);
    const custom = server.kubeConfig().makeApiClient(CustomObjectsApi);
    await custom.createClusterCustomObject({
      group: 'example.com',
      version: 'v1',
      plural: 'gizmos',
      body: { apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name: 'z' } },
    });
    expect(server.list('gizmos.example.com')).toHaveLength(1);
  });

  it('rejects bad config with TypeError', async () => {
    await expect(startTestApiServer({ watchHistorySize: 0 })).rejects.toThrow(TypeError);
    await expect(startTestApiServer({ port: -1 })).rejects.toThrow(TypeError);
    expect(() =>
      server.registerCustomResource({
        group: '',
        version: 'v1',
        kind: 'X',
        plural: 'xs',
        namespaced: true,
      }),
    ).toThrow(TypeError);
  });
});
