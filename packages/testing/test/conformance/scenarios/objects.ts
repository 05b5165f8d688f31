// Conformance scenarios: create, update, generation, status, finalizers, dry run.
import { Patch, type KubeObject } from '@kube-rx/core';
import { firstValueFrom } from 'rxjs';
import { configMap, namespace, outcome, type Scenario, type Widget } from './scenario.js';

// Conformance scenarios: create, update, generation, status, finalizers, dry run.

export const objectScenarios: readonly Scenario[] = [
  {
    id: 'crud',
    title: 'create, get, update; 409 AlreadyExists, 409 Conflict on a stale update, 404',
    expected: {
      created: { uid: true, resourceVersion: true, creationTimestamp: true },
      updateChangesResourceVersion: true,
      duplicate: '409 AlreadyExists',
      stale: '409 Conflict',
      missing: '404 NotFound',
      updateMissing: '404 NotFound',
    },
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-crud');
      const created = await firstValueFrom(configMaps.create(configMap('a')));
      const updated = await firstValueFrom(
        configMaps.replace('a', { ...created, data: { a: '2' } }),
      );
      return {
        created: {
          uid: typeof created.metadata?.uid === 'string',
          resourceVersion: typeof created.metadata?.resourceVersion === 'string',
          creationTimestamp: created.metadata?.creationTimestamp !== undefined,
        },
        updateChangesResourceVersion:
          updated.metadata?.resourceVersion !== created.metadata?.resourceVersion,
        duplicate: await outcome(configMaps.create(configMap('a'))),
        stale: await outcome(configMaps.replace('a', { ...created, data: { a: '3' } })),
        missing: await outcome(configMaps.get('nope')),
        updateMissing: await outcome(
          configMaps.replace('nope', {
            ...configMap('nope'),
            metadata: { name: 'nope', resourceVersion: '1' },
          }),
        ),
      };
    },
  },
  {
    id: 'generation',
    title: 'metadata.generation: 1 on create, +1 on spec changes only (custom resource)',
    expected: { create: 1, spec: 2, label: 2, status: 2 },
    run: async (server) => {
      const widgets = await (await namespace(server, 'c-generation')).widgets();
      const body: Widget = {
        apiVersion: 'conformance.kube-rx.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { size: 1 },
      };
      const created = await firstValueFrom(widgets.create(body));
      const spec = await firstValueFrom(widgets.patch('w', Patch.merge({ spec: { size: 2 } })));
      const label = await firstValueFrom(
        widgets.patch('w', Patch.merge({ metadata: { labels: { a: 'b' } } })),
      );
      const status = await firstValueFrom(
        widgets.patchStatus('w', Patch.merge({ status: { ready: true } })),
      );
      return {
        create: created.metadata?.generation,
        spec: spec.metadata?.generation,
        label: label.metadata?.generation,
        status: status.metadata?.generation,
      };
    },
  },
  {
    id: 'status-subresource',
    title: 'status subresource: create drops status, main writes keep it, /status writes only it',
    expected: {
      statusOnCreate: null,
      statusAfterMainWrite: { ready: true },
      specAfterStatusWrite: { size: 1 },
    },
    run: async (server) => {
      const widgets = await (await namespace(server, 'c-status')).widgets();
      const created = await firstValueFrom(
        widgets.create({
          apiVersion: 'conformance.kube-rx.dev/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
          spec: { size: 1 },
          status: { ready: false },
        } as Widget),
      );
      await firstValueFrom(widgets.patchStatus('w', Patch.merge({ status: { ready: true } })));
      const mainWrite = await firstValueFrom(
        widgets.patch('w', Patch.merge({ status: { ready: false } })),
      );
      const statusWrite = await firstValueFrom(
        widgets.patchStatus('w', Patch.merge({ spec: { size: 5 }, status: { ready: true } })),
      );
      return {
        statusOnCreate: created.status ?? null,
        statusAfterMainWrite: mainWrite.status,
        specAfterStatusWrite: statusWrite.spec,
      };
    },
  },
  {
    id: 'finalizers',
    title: 'finalizers: DELETE sets deletionTimestamp and keeps the object until they are removed',
    expected: {
      deleteAnswers: 'object',
      deletionTimestamp: true,
      stillThere: true,
      addFinalizerWhileDeleting: '422 Invalid',
      afterLastFinalizer: '404 NotFound',
    },
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-finalizers');
      await firstValueFrom(
        configMaps.create({ metadata: { name: 'f', finalizers: ['kube-rx.dev/hold'] } }),
      );
      const deleted = (await firstValueFrom(configMaps.delete('f'))) as KubeObject;
      const fetched = await firstValueFrom(configMaps.get('f'));
      const addFinalizer = await outcome(
        configMaps.patch(
          'f',
          Patch.merge({ metadata: { finalizers: ['kube-rx.dev/hold', 'kube-rx.dev/other'] } }),
        ),
      );
      await firstValueFrom(configMaps.patch('f', Patch.merge({ metadata: { finalizers: null } })));
      return {
        deleteAnswers: deleted.kind === 'Status' ? 'Status' : 'object',
        deletionTimestamp: typeof deleted.metadata?.deletionTimestamp !== 'undefined',
        stillThere: fetched.metadata?.deletionTimestamp !== undefined,
        addFinalizerWhileDeleting: addFinalizer,
        afterLastFinalizer: await outcome(configMaps.get('f')),
      };
    },
  },
  {
    id: 'dry-run',
    title: 'dryRun=All: create, patch and delete answer as if done and persist nothing',
    expected: {
      create: { name: 'd', uid: true },
      afterCreate: '404 NotFound',
      patch: { a: 'dry' },
      afterPatch: { a: '1' },
      delete: 'ok',
      afterDelete: 'ok',
    },
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-dry-run');
      const dryCreated = await firstValueFrom(configMaps.create(configMap('d'), { dryRun: true }));
      const afterCreate = await outcome(configMaps.get('d'));
      await firstValueFrom(configMaps.create(configMap('real')));
      const dryPatched = await firstValueFrom(
        configMaps.patch('real', Patch.merge({ data: { a: 'dry' } }), { dryRun: true }),
      );
      const afterPatch = await firstValueFrom(configMaps.get('real'));
      return {
        create: { name: dryCreated.metadata?.name, uid: dryCreated.metadata?.uid !== undefined },
        afterCreate,
        patch: dryPatched.data,
        afterPatch: afterPatch.data,
        delete: await outcome(configMaps.delete('real', { dryRun: true })),
        afterDelete: await outcome(configMaps.get('real')),
      };
    },
  },
];
