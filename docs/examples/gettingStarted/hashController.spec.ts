import type { V1ConfigMap } from '@kubernetes/client-node';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { Api, ConfigMap, Patch } from '@kube-rx/core';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { awaitCondition } from '@kube-rx/watcher';
import { HASH_ANNOTATION, hashController } from './hashController.js';

describe('hash controller', () => {
  let server: TestApiServer;
  beforeEach(async () => {
    server = await startTestApiServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('annotates labelled ConfigMaps with a hash of their data, and updates it on change', async () => {
    const kubeConfig = server.kubeConfig();
    const configMaps = Api.namespaced<V1ConfigMap>(kubeConfig, ConfigMap, 'default');
    await lastValueFrom(
      configMaps.create({
        metadata: { name: 'app', labels: { 'example.com/hash': 'true' } },
        data: { mode: 'fast' },
      }),
    );
    const subscription = hashController(kubeConfig, 'default').subscribe();
    const hashOf = (cm: V1ConfigMap | undefined) => cm?.metadata?.annotations?.[HASH_ANNOTATION];

    const first = await firstValueFrom(
      awaitCondition(configMaps, 'app', (cm) => hashOf(cm) !== undefined, { timeout: 10_000 }),
    );
    await lastValueFrom(configMaps.patch('app', Patch.merge({ data: { mode: 'safe' } })));
    const second = await firstValueFrom(
      awaitCondition(configMaps, 'app', (cm) => hashOf(cm) !== hashOf(first), { timeout: 10_000 }),
    );
    subscription.unsubscribe();

    expect(hashOf(first)).toMatch(/^[0-9a-f]{16}$/);
    expect(hashOf(second)).toMatch(/^[0-9a-f]{16}$/);
    expect(hashOf(second)).not.toBe(hashOf(first));
  });
});
