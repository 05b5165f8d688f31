import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { Api, ConfigMap, Patch } from '@kube-rx/core';
import { useTestApiServer } from '@kube-rx/testing';
import { awaitCondition } from '@kube-rx/watcher';
import { HASH_ANNOTATION, hashController } from '../src/hashController.js';

const hashOf = (cm: ConfigMap | undefined) => cm?.metadata?.annotations?.[HASH_ANNOTATION];

describe('hash controller', () => {
  // A fresh in-memory API server before each test; after each test, passed or failed, what
  // `harness.run` started is unsubscribed and the server closed.
  const harness = useTestApiServer({ beforeEach, afterEach });

  it('annotates labelled ConfigMaps with a hash of their data, and updates it on change', async () => {
    const kubeConfig = harness.kubeConfig();
    const configMaps = Api.namespaced<ConfigMap>(kubeConfig, ConfigMap, 'default');
    await lastValueFrom(
      configMaps.create({
        metadata: { name: 'app', labels: { 'example.com/hash': 'true' } },
        data: { mode: 'fast' },
      }),
    );
    harness.run(hashController(kubeConfig, 'default'));

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
    const kubeConfig = harness.kubeConfig();
    const configMaps = Api.namespaced<ConfigMap>(kubeConfig, ConfigMap, 'default');
    await lastValueFrom(configMaps.create({ metadata: { name: 'other' }, data: { mode: 'fast' } }));
    await lastValueFrom(
      configMaps.create({
        metadata: { name: 'app', labels: { 'example.com/hash': 'true' } },
        data: { mode: 'fast' },
      }),
    );
    harness.run(hashController(kubeConfig, 'default'));

    // Once the labelled one is annotated, the controller has seen both.
    await firstValueFrom(
      awaitCondition(configMaps, 'app', (cm) => hashOf(cm) !== undefined, { timeout: 10_000 }),
    );
    const other = await lastValueFrom(configMaps.get('other'));
    assert.equal(hashOf(other), undefined);
  });
});
