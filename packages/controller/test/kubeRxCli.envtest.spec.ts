import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { loadAll } from 'js-yaml';
import { firstValueFrom } from 'rxjs';
import { Api, CustomResourceDefinition, isApiError, type DynamicObject } from '@kube-rx/core';
import { startEnvtest, type Envtest } from '@kube-rx/testing';
import { describeEnvtest } from '../../testing/test/envtest/describeEnvtest.js';
import { gadgetFixture, kubeRx } from './kubeRxProcess.js';

// `kube-rx crd` output applied to a real kube-apiserver: accepted, served, and enforced.
let envtest: Envtest;

describeEnvtest('kube-rx crd against kube-apiserver', () => {
  beforeAll(async () => {
    envtest = await startEnvtest();
  }, 60_000);
  afterAll(() => envtest?.close(), 30_000);

  it('the apiserver accepts the CRDs and rejects objects that break their schema with 422', async () => {
    const { stdout, code } = await kubeRx('crd', gadgetFixture);
    expect(code).toBe(0);
    const kubeConfig = envtest.kubeConfig();
    for (const document of loadAll(stdout) as CustomResourceDefinition[]) {
      await firstValueFrom(Api.cluster(kubeConfig, CustomResourceDefinition).create(document));
    }
    const resource = {
      group: 'example.com',
      version: 'v2',
      kind: 'Gadget',
      plural: 'gadgets',
      namespaced: true,
    };
    const gadgets = Api.namespaced<DynamicObject>(kubeConfig, resource, 'default');
    const gadget = (name: string, spec: Record<string, unknown>): DynamicObject => ({
      apiVersion: 'example.com/v2',
      kind: 'Gadget',
      metadata: { name },
      spec,
    });
    // Served once Established: retry the first create until the resource exists.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const created = await firstValueFrom(
        gadgets.create(gadget('ok', { size: 2, color: 'red' })),
      ).catch((error: unknown) => error);
      if (!isApiError(created, 404)) {
        // Conversion is `None` and v1 is stored: a field only v2 has does not survive.
        expect((created as DynamicObject).spec).toEqual({ size: 2 });
        break;
      }
      if (Date.now() > deadline) throw new Error('gadgets.example.com was not served');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const spec of [{ size: 0 }, { size: 2, mode: 'maybe' }, { color: 'blue' }]) {
      const error = await firstValueFrom(gadgets.create(gadget('bad', spec))).catch(
        (e: unknown) => e,
      );
      expect(isApiError(error, 422)).toBe(true);
    }
    const listed = await firstValueFrom(gadgets.list());
    expect(listed.items.map((item) => item.metadata?.name)).toEqual(['ok']);
  }, 90_000);
});
