// #region harness
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { Api, ConfigMap, Patch } from '@kube-rx/core';
import { Action, Controller, perKeyBackoff } from '@kube-rx/controller';
import { useTestApiServer } from '@kube-rx/testing';
import { awaitCondition } from '@kube-rx/watcher';

// A fresh server per test; after each test, passed or failed, every subscription started with
// harness.run()/harness.track() is unsubscribed and then the server is closed.
const harness = useTestApiServer({ beforeEach, afterEach });

it('labels every ConfigMap it sees', async () => {
  const configMaps = Api.namespaced<ConfigMap>(harness.kubeConfig(), ConfigMap, 'default');
  await lastValueFrom(configMaps.create({ metadata: { name: 'app' } }));
  const label = async (cm: ConfigMap) => {
    const patch = Patch.merge({ metadata: { labels: { seen: 'yes' } } });
    await lastValueFrom(configMaps.patch(cm.metadata?.name ?? '', patch));
    return Action.awaitChange();
  };
  harness.run(new Controller(configMaps).run(label, perKeyBackoff(), {}));

  const labelled = await firstValueFrom(
    awaitCondition(configMaps, 'app', (cm) => cm?.metadata?.labels?.['seen'] === 'yes', {
      timeout: 10_000,
    }),
  );
  expect(labelled?.metadata?.labels).toEqual({ seen: 'yes' });
});
// #endregion harness
