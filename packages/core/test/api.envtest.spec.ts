import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { firstValueFrom, take, toArray } from 'rxjs';
import { Api, ConfigMap, isApiError, isHttpError, Patch, type KubeObject } from '@kube-rx/core';
import { startEnvtest, type Envtest } from '@kube-rx/testing';
import { describeEnvtest } from '../../testing/test/envtest/describeEnvtest.js';

let envtest: Envtest;

const configMaps = (kubeConfig = envtest.kubeConfig()) =>
  Api.namespaced<KubeObject & { data?: Record<string, string> }>(kubeConfig, ConfigMap, 'default');

describeEnvtest('Api against kube-apiserver', () => {
  beforeAll(async () => {
    envtest = await startEnvtest({ users: [{ name: 'nobody', groups: ['kube-rx:testers'] }] });
  }, 60_000);
  afterAll(() => envtest?.close(), 30_000);

  it('talks TLS verified against the envtest CA with the admin token: create, patch, list, watch', async () => {
    expect(envtest.kubeConfig().getCurrentCluster()).toMatchObject({ skipTLSVerify: false });
    const api = configMaps();
    const created = await firstValueFrom(
      api.create({ metadata: { name: 'tls' }, data: { a: '1' } }),
    );
    const watched = firstValueFrom(
      api.watch({ resourceVersion: created.metadata!.resourceVersion! }).pipe(take(1), toArray()),
    );
    const patched = await firstValueFrom(api.patch('tls', Patch.merge({ data: { a: '2' } })));
    expect(patched.data).toEqual({ a: '2' });
    expect((await watched).map((event) => event.type)).toEqual(['MODIFIED']);
    const list = await firstValueFrom(api.list({ fieldSelector: 'metadata.name=tls' }));
    expect(list.items.map((item) => item.metadata?.name)).toEqual(['tls']);
  });

  it('fails with an HttpError naming the certificate problem when the CA is not trusted', async () => {
    const kubeConfig = envtest.kubeConfig();
    const { caData: _trusted, ...untrusting } = kubeConfig.clusters[0]!;
    kubeConfig.clusters[0] = untrusting;
    const error: unknown = await firstValueFrom(configMaps(kubeConfig).list()).catch(
      (failure: unknown) => failure,
    );
    expect(isHttpError(error)).toBe(true);
    expect(String((error as Error).message) + String((error as Error).cause)).toMatch(
      /certificate|self[- ]signed/i,
    );
  });

  it('answers 401 to an unknown token', async () => {
    const kubeConfig = envtest.kubeConfig();
    kubeConfig.users[0] = { ...kubeConfig.users[0]!, token: 'not-a-token' };
    const error: unknown = await firstValueFrom(configMaps(kubeConfig).list()).catch(
      (failure: unknown) => failure,
    );
    expect(isApiError(error, 401)).toBe(true);
  });

  it('reports an RBAC denial as ApiError 403 naming user, verb and resource', async () => {
    const api = configMaps(envtest.kubeConfigFor('nobody', ['kube-rx:testers']));
    const error: unknown = await firstValueFrom(api.list()).catch((failure: unknown) => failure);
    expect(isApiError(error, 403)).toBe(true);
    expect((error as Error).message).toMatch(
      /User "nobody" cannot list resource "configmaps" in API group "" in the namespace "default"/,
    );
  });
});
