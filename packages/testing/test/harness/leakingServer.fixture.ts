// The same failing test as failingAssertion.fixture.ts, with the server closed in the test body
// instead of a hook: the failing assertion skips the close, so the process never exits by itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Api, ConfigMap } from '@kube-rx/core';
import { startTestApiServer } from '@kube-rx/testing';
import { watcher } from '@kube-rx/watcher';

test('fails while a watch is open', async () => {
  const server = await startTestApiServer();
  const configMaps = Api.namespaced<ConfigMap>(server.kubeConfig(), ConfigMap, 'default');
  const subscription = watcher(configMaps).subscribe();
  await server.waitForWatches(1, 'configmaps');
  assert.equal(server.openWatches('configmaps'), 2, 'deliberately wrong watch count');
  subscription.unsubscribe();
  await server.close();
});
