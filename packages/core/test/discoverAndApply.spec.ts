import { firstValueFrom } from 'rxjs';
import {
  Api,
  ConfigMap,
  controllerOwnerRef,
  isApiError,
  ownerRef,
  type ConfigMap as ConfigMapObject,
  type DynamicObject,
} from '@kube-rx/core';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';

let server: TestApiServer;

beforeEach(async () => {
  server = await startTestApiServer();
});
afterEach(() => server.close());

const discoveryRequests = (path: string) =>
  server.requests.filter((request) => request.path === path).length;

describe('Api.discover', () => {
  it('resolves plural and scope of builtin and custom kinds, cached and refreshed on a miss', async () => {
    const kubeConfig = server.kubeConfig();
    const configMaps = await Api.discover(
      kubeConfig,
      { apiVersion: 'v1', kind: 'ConfigMap' },
      'default',
    );
    expect(configMaps.resource).toEqual({
      group: '',
      version: 'v1',
      kind: 'ConfigMap',
      plural: 'configmaps',
      namespaced: true,
    });
    expect(configMaps.namespace).toBe('default');
    const namespaces = await Api.discover(kubeConfig, { apiVersion: 'v1', kind: 'Namespace' });
    expect(namespaces.resource).toMatchObject({ plural: 'namespaces', namespaced: false });
    // One discovery request for both: the second came from the cache.
    expect(discoveryRequests('/api/v1')).toBe(1);

    // A group version asked before its kind exists: the miss refreshes the cached answer.
    server.registerCustomResource({
      group: 'example.com',
      version: 'v1',
      kind: 'Gizmo',
      plural: 'gizmos',
      namespaced: true,
    });
    await Api.discover(kubeConfig, { apiVersion: 'example.com/v1', kind: 'Gizmo' });
    server.registerCustomResource({
      group: 'example.com',
      version: 'v1',
      kind: 'Sprocket',
      plural: 'sprocketlist',
      namespaced: false,
    });
    const sprockets = await Api.discover(kubeConfig, {
      apiVersion: 'example.com/v1',
      kind: 'Sprocket',
    });
    expect(sprockets.resource).toMatchObject({ plural: 'sprocketlist', namespaced: false });
    expect(discoveryRequests('/apis/example.com/v1')).toBe(2);

    // The dynamic Api works like any other.
    await firstValueFrom(sprockets.create({ metadata: { name: 's1' }, spec: { teeth: 12 } }));
    const [listed] = (await firstValueFrom(sprockets.list())).items;
    expect((listed as DynamicObject).spec).toEqual({ teeth: 12 });
  });

  it('rejects an unknown kind or group version with ApiError 404, and bad arguments with TypeError', async () => {
    const kubeConfig = server.kubeConfig();
    const unknownKind = await Api.discover(kubeConfig, { apiVersion: 'v1', kind: 'Gizmo' }).catch(
      (e: unknown) => e,
    );
    expect(isApiError(unknownKind, 404)).toBe(true);
    expect((unknownKind as Error).message).toBe(
      '404 NotFound: the server does not serve kind Gizmo in v1',
    );
    const unknownGroup = await Api.discover(kubeConfig, {
      apiVersion: 'nope.example.com/v1',
      kind: 'X',
    }).catch((e: unknown) => e);
    expect(isApiError(unknownGroup, 404)).toBe(true);
    await expect(Api.discover(kubeConfig, { apiVersion: 'a/b/c', kind: 'X' })).rejects.toThrow(
      TypeError,
    );
    await expect(
      Api.discover(kubeConfig, { apiVersion: 'v1', kind: 'Namespace' }, 'default'),
    ).rejects.toThrow('Namespace is cluster-scoped: call Api.discover without a namespace');
  });
});

describe('Api.apply and owner references', () => {
  it('creates, then updates only the fields its manager owns, with a controller owner reference', async () => {
    const kubeConfig = server.kubeConfig();
    const configMaps = Api.namespaced(kubeConfig, ConfigMap, 'default');
    const owner = await firstValueFrom(configMaps.create({ metadata: { name: 'owner' } }));
    const desired: ConfigMapObject = {
      metadata: { name: 'child', ownerReferences: [controllerOwnerRef(owner, ConfigMap)] },
      data: { a: '1' },
    };
    const created = await firstValueFrom(configMaps.apply(desired, { fieldManager: 'operator' }));
    expect(created.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'owner',
        uid: owner.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    // Someone else adds a key; the operator's next apply keeps it and changes its own.
    await firstValueFrom(
      configMaps.apply(
        { metadata: { name: 'child' }, data: { b: 'theirs' } },
        { fieldManager: 'human' },
      ),
    );
    const updated = await firstValueFrom(
      configMaps.apply({ ...desired, data: { a: '2' } }, { fieldManager: 'operator', force: true }),
    );
    expect(updated.data).toEqual({ a: '2', b: 'theirs' });
    // A conflicting field without force: 409.
    const conflict = await firstValueFrom(
      configMaps.apply(
        { metadata: { name: 'child' }, data: { a: 'mine' } },
        { fieldManager: 'human' },
      ),
    ).catch((e: unknown) => e);
    expect(isApiError(conflict, 409)).toBe(true);
    const patches = server.requests.filter((r) => r.verb === 'patch' && r.name === 'child');
    expect(patches.map((r) => r.query['fieldManager'])).toEqual([
      'operator',
      'human',
      'operator',
      'human',
    ]);
  });

  it('checks its arguments', () => {
    const configMaps = Api.namespaced(server.kubeConfig(), ConfigMap, 'default');
    expect(() => configMaps.apply({ metadata: { name: 'x' } }, { fieldManager: '' })).toThrow(
      TypeError,
    );
    expect(() => configMaps.apply({ metadata: {} }, { fieldManager: 'm' })).toThrow(
      'apply: the object needs metadata.name',
    );
    expect(() => ownerRef({ metadata: { name: 'x' } })).toThrow(/metadata.uid/);
    expect(() => ownerRef({ metadata: { name: 'x', uid: 'u' } })).toThrow(/pass its resource/);
    expect(
      ownerRef({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', uid: 'u' } }),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      name: 'x',
      uid: 'u',
    });
  });
});
