import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { firstValueFrom, lastValueFrom, type Subscription } from 'rxjs';
import { Api, ConfigMap, Patch } from '@kube-rx/core';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { awaitCondition } from '@kube-rx/watcher';
import { HASH_ANNOTATION, hashController } from '../src/hashController.js';

const hashOf = (cm: V1ConfigMap | undefined) => cm?.metadata?.annotations?.[HASH_ANNOTATION];

describe('hash controller', () => {
  let server: TestApiServer;
  let controller: Subscription | undefined;
  beforeEach(async () => {
    server = await startTestApiServer();
  });
  // Runs even when an assertion fails, so the controller never outlives its test.
  afterEach(async () => {
    controller?.unsubscribe();
    controller = undefined;
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
    controller = hashController(kubeConfig, 'default').subscribe();

    const first = await firstValueFrom(
      awaitCondition(configMaps, 'app', (cm) => hashOf(cm) !== undefined, { timeout: 10_000 }),
    );
    assert.match(hashOf(first) ?? '', /^[0-9a-f]{16}$/);

    await lastValueFrom(configMaps.patch('app', Patch.merge({ data: { mode: 'safe' } })));
    const second = await firstValueFrom(
      awaitCondition(configMaps, 'app', (cm) => hashOf(cm) !== hashOf(first), { timeout: 10_000 }),
    );
    assert.match(hashOf(second) ?? '', /^[0-9a-f]{16}$/);
  });

  it('leaves ConfigMaps without the label alone', async () => {
    const kubeConfig = server.kubeConfig();
    const configMaps = Api.namespaced<V1ConfigMap>(kubeConfig, ConfigMap, 'default');
    await lastValueFrom(configMaps.create({ metadata: { name: 'other' }, data: { mode: 'fast' } }));
    await lastValueFrom(
      configMaps.create({
        metadata: { name: 'app', labels: { 'example.com/hash': 'true' } },
        data: { mode: 'fast' },
      }),
    );
    controller = hashController(kubeConfig, 'default').subscribe();

    // Once the labelled one is annotated, the controller has seen both.
    await firstValueFrom(
      awaitCondition(configMaps, 'app', (cm) => hashOf(cm) !== undefined, { timeout: 10_000 }),
    );
    const other = await lastValueFrom(configMaps.get('other'));
    assert.equal(hashOf(other), undefined);
  });
});
