import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { Api, ConfigMap, createLogger, Patch } from '@kube-rx/core';
import { isConditionTrue } from '@kube-rx/controller';
import { useTestApiServer } from '@kube-rx/testing';
import { awaitCondition } from '@kube-rx/watcher';
import { installCrd } from '../src/crd.js';
import { createContext, widgetController, widgetErrorPolicy } from '../src/operator.js';
import { reconcileWidget } from '../src/reconcile.js';
import { WIDGET_FINALIZER, WidgetResource, type Widget } from '../src/widget.js';

// A fresh in-memory API server per test; the controller subscription and the server are torn
// down after each test, also when an assertion fails.
const harness = useTestApiServer({ beforeEach, afterEach });
// Events still in flight when a test ends fail against the closed server: only errors are shown.
const logger = createLogger({ level: 'error' });
const timeout = 10_000;

beforeEach(async () => {
  await installCrd(harness.kubeConfig());
});

function startController() {
  const ctx = createContext(harness.kubeConfig(), logger);
  harness.run(widgetController(ctx).run(reconcileWidget, widgetErrorPolicy(), ctx));
}

async function createWidget(message: string) {
  const widgets = Api.namespaced<Widget>(harness.kubeConfig(), WidgetResource, 'default');
  await lastValueFrom(
    widgets.create({
      apiVersion: 'example.com/v1alpha1',
      kind: 'Widget',
      metadata: { name: 'w1' },
      spec: { message },
    }),
  );
  return widgets;
}

test('a Widget gets its ConfigMap, the finalizer, Ready=True and an Event', async () => {
  const widgets = await createWidget('hello');
  startController();

  const ready = await firstValueFrom(
    awaitCondition(widgets, 'w1', (w) => isConditionTrue(w?.status?.conditions, 'Ready'), {
      timeout,
    }),
  );
  const configMaps = Api.namespaced<ConfigMap>(harness.kubeConfig(), ConfigMap, 'default');
  const configMap = await firstValueFrom(configMaps.get('w1-widget'));

  assert.deepEqual(ready?.metadata?.finalizers, [WIDGET_FINALIZER]);
  assert.equal(ready?.status?.observedGeneration, ready?.metadata?.generation);
  assert.deepEqual(configMap.data, { message: 'hello' });
  assert.equal(configMap.metadata?.ownerReferences?.[0]?.uid, ready?.metadata?.uid);
  const events = harness.server.requests.filter(
    (r) => r.verb === 'create' && r.resource === 'events' && r.status === 201,
  );
  assert.ok(events.length >= 1, 'an Event was published');
});

test('a changed spec updates the ConfigMap', async () => {
  const widgets = await createWidget('first');
  startController();
  const configMaps = Api.namespaced<ConfigMap>(harness.kubeConfig(), ConfigMap, 'default');
  await firstValueFrom(
    awaitCondition(configMaps, 'w1-widget', (cm) => cm?.data?.['message'] === 'first', { timeout }),
  );

  await lastValueFrom(widgets.patch('w1', Patch.merge({ spec: { message: 'second' } })));

  const updated = await firstValueFrom(
    awaitCondition(configMaps, 'w1-widget', (cm) => cm?.data?.['message'] === 'second', {
      timeout,
    }),
  );
  assert.equal(updated?.data?.['message'], 'second');
});

test('deleting a Widget deletes its ConfigMap before the finalizer lets the Widget go', async () => {
  const widgets = await createWidget('bye');
  startController();
  await firstValueFrom(
    awaitCondition(widgets, 'w1', (w) => isConditionTrue(w?.status?.conditions, 'Ready'), {
      timeout,
    }),
  );

  await lastValueFrom(widgets.delete('w1'));

  await firstValueFrom(awaitCondition(widgets, 'w1', (w) => w === undefined, { timeout }));
  const configMaps = Api.namespaced<ConfigMap>(harness.kubeConfig(), ConfigMap, 'default');
  assert.equal(await firstValueFrom(configMaps.getOpt('w1-widget')), undefined);
});
