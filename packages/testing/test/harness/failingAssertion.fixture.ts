// Run by useTestApiServer.spec.ts in a child process: a node:test test that fails its assertion
// while a watcher is subscribed. The harness must still tear everything down, so the process
// exits by itself with the failure reported.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { Api, ConfigMap } from '@kube-rx/core';
import { useTestApiServer } from '@kube-rx/testing';
import { watcher } from '@kube-rx/watcher';

const harness = useTestApiServer({ beforeEach, afterEach });

test('fails while a watch is open', async () => {
  const configMaps = Api.namespaced<ConfigMap>(harness.kubeConfig(), ConfigMap, 'default');
  harness.run(watcher(configMaps));
  await harness.server.waitForWatches(1, 'configmaps');
  assert.equal(harness.server.openWatches('configmaps'), 2, 'deliberately wrong watch count');
});
