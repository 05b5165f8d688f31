import { firstValueFrom, type Observable } from 'rxjs';
import { Api, ConfigMap, Patch, isApiError, type KubeObject } from '@kube-rx/core';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { call } from './support.js';

interface ConfigMapObject extends KubeObject {
  data?: Record<string, string>;
}

async function failure(source: Observable<unknown>): Promise<unknown> {
  try {
    await firstValueFrom(source);
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('dryRun=All', () => {
  let server: TestApiServer;
  let configMaps: Api<ConfigMapObject>;
  let markers = 0;
  beforeEach(async () => {
    server = await startTestApiServer();
    configMaps = Api.namespaced<ConfigMapObject>(server.kubeConfig(), ConfigMap, 'default');
  });
  afterEach(() => server.close());

  /** Runs `write` with a watch open and asserts it stored, emitted and versioned nothing. */
  async function expectNothingPersisted(write: () => Promise<unknown>): Promise<unknown> {
    const before = server.resourceVersion;
    const stored = server.list('configmaps');
    const events: string[] = [];
    const watch = configMaps
      .watch({ resourceVersion: before })
      .subscribe((event) => events.push(event.type));
    await server.waitForWatches(1);
    const result = await write();
    expect(server.resourceVersion).toBe(before);
    // A real write after the dry run: the watch must see it and nothing before it.
    markers++;
    await firstValueFrom(configMaps.create({ metadata: { name: `marker-${markers}` } }));
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (events.length > 0) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    watch.unsubscribe();
    expect(events).toEqual(['ADDED']);
    const unmarked = server
      .list('configmaps')
      .filter((c) => !(c.metadata?.name ?? '').startsWith('marker-'));
    expect(unmarked).toEqual(stored.filter((c) => !(c.metadata?.name ?? '').startsWith('marker-')));
    return result;
  }

  it('create answers the object it would store (uid, no resourceVersion) and stores nothing', async () => {
    const created = (await expectNothingPersisted(() =>
      firstValueFrom(
        configMaps.create({ metadata: { name: 'dry' }, data: { a: '1' } }, { dryRun: true }),
      ),
    )) as ConfigMapObject;
    expect(created.metadata?.name).toBe('dry');
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toBeUndefined();
    expect(created.data).toEqual({ a: '1' });
    expect(server.get('configmaps', 'default', 'dry')).toBeUndefined();
  });

  it('create is still validated: 409 AlreadyExists and 422 Invalid as without dryRun', async () => {
    await firstValueFrom(configMaps.create({ metadata: { name: 'taken' } }));
    const duplicate = await failure(
      configMaps.create({ metadata: { name: 'taken' } }, { dryRun: true }),
    );
    expect(isApiError(duplicate, 409) && duplicate.status.reason).toBe('AlreadyExists');
    const invalid = await failure(
      configMaps.create({ metadata: { name: 'Not_Valid' } }, { dryRun: true }),
    );
    expect(isApiError(invalid, 422) && invalid.status.reason).toBe('Invalid');
  });

  it('update, patch and status writes answer the changed object under the old resourceVersion', async () => {
    const original = await firstValueFrom(
      configMaps.create({ metadata: { name: 'cm' }, data: { a: '1' } }),
    );
    const replaced = (await expectNothingPersisted(() =>
      firstValueFrom(configMaps.replace('cm', { ...original, data: { a: '2' } }, { dryRun: true })),
    )) as ConfigMapObject;
    expect(replaced.data).toEqual({ a: '2' });
    expect(replaced.metadata?.resourceVersion).toBe(original.metadata?.resourceVersion);
    const patched = (await expectNothingPersisted(() =>
      firstValueFrom(configMaps.patch('cm', Patch.merge({ data: { b: '3' } }), { dryRun: true })),
    )) as ConfigMapObject;
    expect(patched.data).toEqual({ a: '1', b: '3' });
    const applied = (await expectNothingPersisted(() =>
      firstValueFrom(
        configMaps.patch('new', Patch.apply({ apiVersion: 'v1', kind: 'ConfigMap', data: {} }), {
          fieldManager: 'test',
          dryRun: true,
        }),
      ),
    )) as ConfigMapObject;
    expect(applied.metadata?.name).toBe('new');
    expect(server.get('configmaps', 'default', 'new')).toBeUndefined();
    expect((server.get('configmaps', 'default', 'cm') as ConfigMapObject).data).toEqual({ a: '1' });
  });

  it('a stale resourceVersion is still a 409 Conflict', async () => {
    const original = await firstValueFrom(configMaps.create({ metadata: { name: 'cm' } }));
    await firstValueFrom(configMaps.patch('cm', Patch.merge({ data: { a: '1' } })));
    const error = await failure(configMaps.replace('cm', original, { dryRun: true }));
    expect(isApiError(error, 409)).toBe(true);
  });

  it('status subresource writes are simulated too', async () => {
    server.registerCustomResource({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      namespaced: true,
      statusSubresource: true,
    });
    const widgets = Api.namespaced<KubeObject & { status?: unknown }>(
      server.kubeConfig(),
      { group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true },
      'default',
    );
    await firstValueFrom(widgets.create({ metadata: { name: 'w' } }));
    const rv = server.resourceVersion;
    const patched = await firstValueFrom(
      widgets.patchStatus('w', Patch.merge({ status: { ready: true } }), { dryRun: true }),
    );
    expect(patched.status).toEqual({ ready: true });
    expect(server.resourceVersion).toBe(rv);
    expect(server.get('widgets.example.com', 'default', 'w')).not.toHaveProperty('status');
  });

  it('delete answers as a delete would and keeps the object (query or DeleteOptions body)', async () => {
    await firstValueFrom(configMaps.create({ metadata: { name: 'cm' } }));
    const status = await expectNothingPersisted(() =>
      firstValueFrom(configMaps.delete('cm', { dryRun: true })),
    );
    expect(status).toMatchObject({ kind: 'Status', status: 'Success' });
    const viaQuery = await call(
      server.url,
      'DELETE',
      '/api/v1/namespaces/default/configmaps/cm?dryRun=All',
    );
    expect(viaQuery.status).toBe(200);
    expect(server.get('configmaps', 'default', 'cm')).toBeDefined();
    const collection = await call(
      server.url,
      'DELETE',
      '/api/v1/namespaces/default/configmaps?dryRun=All',
    );
    expect(collection.status).toBe(200);
    expect(server.get('configmaps', 'default', 'cm')).toBeDefined();
  });

  it('a dry-run create does not auto-create the namespace nor register a CRD', async () => {
    const other = Api.namespaced<ConfigMapObject>(server.kubeConfig(), ConfigMap, 'elsewhere');
    await firstValueFrom(other.create({ metadata: { name: 'cm' } }, { dryRun: true }));
    expect(server.get('namespaces', undefined, 'elsewhere')).toBeUndefined();
    const crd = await call(
      server.url,
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All',
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'gadgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { kind: 'Gadget', plural: 'gadgets' },
          versions: [{ name: 'v1', served: true, storage: true }],
        },
      },
    );
    expect(crd.status).toBe(201);
    expect((await call(server.url, 'GET', '/apis/example.com/v1/gadgets')).status).toBe(404);
  });

  it('an unsupported dryRun value is a 422 on the options kind', async () => {
    const response = await call(
      server.url,
      'POST',
      '/api/v1/namespaces/default/configmaps?dryRun=Yes',
      { metadata: { name: 'cm' } },
    );
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      reason: 'Invalid',
      message:
        'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Yes"}: supported values: "All"',
      details: {
        group: 'meta.k8s.io',
        kind: 'CreateOptions',
        causes: [{ reason: 'FieldValueNotSupported', field: 'dryRun' }],
      },
    });
  });
});
