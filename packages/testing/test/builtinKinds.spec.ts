import { firstValueFrom } from 'rxjs';
import * as core from '@kube-rx/core';
import {
  Api,
  Deployment,
  Node,
  Patch,
  Service,
  ServiceAccount,
  isApiError,
  type ApiResource,
  type KubeObject,
} from '@kube-rx/core';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { call, type Json } from './support.js';

type AnyObject = KubeObject & Json;

const deployment = (name: string, labels: Record<string, string> = { app: name }): AnyObject => ({
  metadata: { name },
  spec: {
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

// Every ApiResource @kube-rx/core exports (Pod, Deployment, ...), found by shape.
const exportedResources: ApiResource[] = Object.values(core).filter(
  (value): value is ApiResource =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiResource).plural === 'string' &&
    typeof (value as ApiResource).namespaced === 'boolean',
);

describe('built-in kinds core exports', () => {
  it('finds the exported resources', () => {
    expect(exportedResources.map((r) => r.kind)).toEqual(
      expect.arrayContaining(['Deployment', 'Service', 'ServiceAccount', 'Node', 'Pod']),
    );
  });

  let server: TestApiServer;
  beforeEach(async () => {
    server = await startTestApiServer();
  });
  afterEach(() => server.close());

  const api = (resource: ApiResource) =>
    resource.namespaced
      ? Api.namespaced<AnyObject>(server.kubeConfig(), resource, 'default')
      : Api.cluster<AnyObject>(server.kubeConfig(), resource);

  it.each(exportedResources)(
    '$group/$version $kind is served and in discovery',
    async (resource) => {
      await firstValueFrom(api(resource).list());
      const path =
        resource.group === '' ? '/api/v1' : `/apis/${resource.group}/${resource.version}`;
      const discovery = await call(server.url, 'GET', path);
      expect(discovery.body.resources).toContainEqual(
        expect.objectContaining({
          name: resource.plural,
          kind: resource.kind,
          namespaced: resource.namespaced,
        }),
      );
    },
  );

  it('Deployments: defaults, generation on spec changes, status subresource, 422 without a selector', async () => {
    const deployments = api(Deployment);
    const created = await firstValueFrom(deployments.create(deployment('web')));
    expect(created.metadata?.generation).toBe(1);
    expect(created.spec).toMatchObject({
      replicas: 1,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    const scaled = await firstValueFrom(
      deployments.patch('web', Patch.merge({ spec: { replicas: 3 } })),
    );
    expect(scaled.metadata?.generation).toBe(2);
    const status = await firstValueFrom(
      deployments.patchStatus(
        'web',
        Patch.merge({ status: { observedGeneration: 2, replicas: 3, readyReplicas: 3 } }),
      ),
    );
    expect(status.status).toEqual({ observedGeneration: 2, replicas: 3, readyReplicas: 3 });
    expect(status.metadata?.generation).toBe(2);
    const ignored = await firstValueFrom(
      deployments.patch('web', Patch.merge({ status: { replicas: 9 } })),
    );
    expect(ignored.status.replicas).toBe(3);
    const error = await firstValueFrom(
      deployments.create({ metadata: { name: 'bad' }, spec: { template: {} } }),
    ).catch((e: unknown) => e);
    expect(isApiError(error, 422)).toBe(true);
    expect((error as Json).status.details.causes).toContainEqual({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: 'spec.selector',
    });
    const mismatch = await firstValueFrom(
      deployments.create({
        ...deployment('mismatch'),
        spec: { ...deployment('mismatch').spec, selector: { matchLabels: { app: 'other' } } },
      }),
    ).catch((e: unknown) => e);
    expect(isApiError(mismatch, 422)).toBe(true);
  });

  it('Services: a distinct cluster IP each, port defaults, status subresource, delete returns the object', async () => {
    const services = api(Service);
    const one = await firstValueFrom(
      services.create({ metadata: { name: 'one' }, spec: { ports: [{ port: 80 }] } }),
    );
    const two = await firstValueFrom(
      services.create({ metadata: { name: 'two' }, spec: { ports: [{ port: 443 }] } }),
    );
    expect(one.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    expect(one.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(one.spec.clusterIPs).toEqual([one.spec.clusterIP]);
    expect(two.spec.clusterIP).not.toBe(one.spec.clusterIP);
    expect(one.status).toEqual({ loadBalancer: {} });
    const headless = await firstValueFrom(
      services.create({ metadata: { name: 'headless' }, spec: { clusterIP: 'None' } }),
    );
    expect(headless.spec.clusterIP).toBe('None');
    const deleted = await firstValueFrom(services.delete('one'));
    expect(deleted).toMatchObject({ kind: 'Service', metadata: { name: 'one' } });
  });

  it('ServiceAccounts are namespaced; Nodes are cluster-scoped with a status subresource', async () => {
    const account = await firstValueFrom(api(ServiceAccount).create({ metadata: { name: 'sa' } }));
    expect(account.metadata?.namespace).toBe('default');
    expect(account.metadata?.generation).toBeUndefined();
    const nodes = api(Node);
    const node = await firstValueFrom(
      nodes.create({ metadata: { name: 'node-1' }, status: { phase: 'ignored' } }),
    );
    expect(node.metadata?.namespace).toBeUndefined();
    expect(node.status).toBeUndefined();
    const ready = await firstValueFrom(
      nodes.patchStatus(
        'node-1',
        Patch.merge({ status: { conditions: [{ type: 'Ready', status: 'True' }] } }),
      ),
    );
    expect(ready.status.conditions).toEqual([{ type: 'Ready', status: 'True' }]);
    const namespacedPath = await call(server.url, 'GET', '/api/v1/namespaces/default/nodes');
    expect(namespacedPath.status).toBe(404);
  });
});
