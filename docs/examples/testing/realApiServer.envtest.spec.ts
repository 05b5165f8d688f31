// "Testing against a real API server" in docs/testing.md: a watcher and an RBAC check against a
// real kube-apiserver started by startEnvtest().
import { firstValueFrom, Subscription } from 'rxjs';
import { Api, ConfigMap, defaultBackoff, isApiError } from '@kube-rx/core';
import { startEnvtest, type Envtest } from '@kube-rx/testing';
import { createStore, reflect, watcher } from '@kube-rx/watcher';
import { describeEnvtest } from '../../../packages/testing/test/envtest/describeEnvtest.js';

describeEnvtest('against a real kube-apiserver', () => {
  // #region setup
  let envtest: Envtest;
  let running: Subscription;
  beforeAll(async () => {
    // One per test file: starting etcd and kube-apiserver takes a few seconds.
    envtest = await startEnvtest({ users: [{ name: 'viewer' }] });
  }, 60_000);
  beforeEach(() => {
    running = new Subscription();
  });
  afterEach(() => running.unsubscribe());
  afterAll(() => envtest.close()); // stops both processes, removes their files
  // #endregion

  // #region watch
  it('caches what the apiserver holds, and keeps up after it restarts', async () => {
    const configMaps = Api.namespaced<ConfigMap>(envtest.kubeConfig(), ConfigMap, 'default');
    await firstValueFrom(configMaps.create({ metadata: { name: 'before' } }));
    const { store, writer } = createStore<ConfigMap>();
    running.add(watcher(configMaps).pipe(defaultBackoff(), reflect(writer)).subscribe());
    await store.ready();

    await envtest.restart(); // same port, same etcd; the open watch breaks and resumes
    await firstValueFrom(configMaps.create({ metadata: { name: 'after' } }));
    while (store.get({ namespace: 'default', name: 'after' }) === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(store.list().map((cm) => cm.metadata?.name)).toEqual(
      expect.arrayContaining(['before', 'after']),
    );
  }, 60_000);
  // #endregion

  // #region rbac
  it('shows what RBAC denies to a user without bindings', async () => {
    const asViewer = Api.namespaced<ConfigMap>(
      envtest.kubeConfigFor('viewer'),
      ConfigMap,
      'default',
    );
    const error = await firstValueFrom(asViewer.list()).catch((failure: unknown) => failure);
    expect(isApiError(error, 403)).toBe(true);
  });
  // #endregion
});
