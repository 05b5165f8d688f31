import { firstValueFrom } from 'rxjs';
import { Api, ConfigMap, Deployment, Secret, type KubeObject } from '@kube-rx/core';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { call, type Json } from './support.js';

type AnyObject = KubeObject & Json;

describe('ownerReference garbage collection', () => {
  let server: TestApiServer;
  let configMaps: Api<AnyObject>;
  let secrets: Api<AnyObject>;
  beforeEach(async () => {
    server = await startTestApiServer();
    configMaps = Api.namespaced<AnyObject>(server.kubeConfig(), ConfigMap, 'default');
    secrets = Api.namespaced<AnyObject>(server.kubeConfig(), Secret, 'default');
  });
  afterEach(() => server.close());

  const ownerRef = (owner: AnyObject, extra: Record<string, unknown> = {}) => ({
    apiVersion: owner.apiVersion ?? 'v1',
    kind: owner.kind ?? 'ConfigMap',
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    ...extra,
  });

  async function ownerWithDependents(extra: Record<string, unknown> = {}) {
    const owner = await firstValueFrom(configMaps.create({ metadata: { name: 'owner' } }));
    for (const name of ['child-a', 'child-b']) {
      await firstValueFrom(
        secrets.create({ metadata: { name, ownerReferences: [ownerRef(owner, extra)] } }),
      );
    }
    return owner;
  }

  const secretNames = () => server.list('secrets', 'default').map((s) => s.metadata?.name);

  it('Background (the default): dependents are deleted after the owner, owner first in the watch', async () => {
    await ownerWithDependents();
    const events: { kind: string; type: string; rv: number }[] = [];
    const record = (e: { type: string; object: unknown }) => {
      const object = e.object as AnyObject;
      events.push({ kind: object.kind, type: e.type, rv: Number(object.metadata.resourceVersion) });
    };
    const watchRv = server.resourceVersion;
    const configWatch = configMaps.watch({ resourceVersion: watchRv });
    const secretWatch = secrets.watch({ resourceVersion: watchRv });
    const subscriptions = [configWatch.subscribe(record), secretWatch.subscribe(record)];
    await server.waitForWatches(2);
    await firstValueFrom(configMaps.delete('owner'));
    expect(secretNames()).toEqual([]);
    expect(server.requests.filter((r) => r.verb === 'delete')).toHaveLength(1);
    while (events.length < 3) await new Promise((resolve) => setImmediate(resolve));
    // One history for all resources: the owner's DELETED comes before its dependents'.
    const owner = events.find((e) => e.kind === 'ConfigMap');
    const dependents = events.filter((e) => e.kind === 'Secret');
    expect(events.map((e) => e.type)).toEqual(['DELETED', 'DELETED', 'DELETED']);
    expect(dependents.every((e) => e.rv > (owner?.rv ?? Infinity))).toBe(true);
    subscriptions.forEach((s) => s.unsubscribe());
  });

  it('a dependent with another existing owner only loses the reference', async () => {
    const owner = await firstValueFrom(configMaps.create({ metadata: { name: 'owner' } }));
    const other = await firstValueFrom(configMaps.create({ metadata: { name: 'other' } }));
    await firstValueFrom(
      secrets.create({
        metadata: { name: 'shared', ownerReferences: [ownerRef(owner), ownerRef(other)] },
      }),
    );
    await firstValueFrom(configMaps.delete('owner'));
    const shared = server.get('secrets', 'default', 'shared');
    expect(shared?.metadata?.ownerReferences?.map((r) => r.name)).toEqual(['other']);
  });

  it('dependents are matched by uid, not by name', async () => {
    const owner = await firstValueFrom(configMaps.create({ metadata: { name: 'owner' } }));
    // Names the owner but with another uid (e.g. a previous object of the same name).
    const namesake = { ...owner, metadata: { ...owner.metadata, uid: 'another-uid' } };
    await firstValueFrom(
      secrets.create({ metadata: { name: 'namesake', ownerReferences: [ownerRef(namesake)] } }),
    );
    await firstValueFrom(
      secrets.create({ metadata: { name: 'owned', ownerReferences: [ownerRef(owner)] } }),
    );
    await firstValueFrom(configMaps.delete('owner'));
    expect(secretNames()).toEqual(['namesake']);
  });

  it('Orphan: dependents stay and lose the reference', async () => {
    await ownerWithDependents();
    await firstValueFrom(configMaps.delete('owner', { propagationPolicy: 'Orphan' }));
    expect(server.get('configmaps', 'default', 'owner')).toBeUndefined();
    expect(secretNames()).toEqual(['child-a', 'child-b']);
    for (const secret of server.list('secrets', 'default')) {
      expect(secret.metadata?.ownerReferences).toBeUndefined();
    }
  });

  it('Foreground: the owner is marked, waits for blocking dependents, then goes', async () => {
    await ownerWithDependents({ blockOwnerDeletion: true });
    await firstValueFrom(
      secrets.patch('child-a', { type: 'merge', body: { metadata: { finalizers: ['hold'] } } }),
    );
    const answer = (await firstValueFrom(
      configMaps.delete('owner', { propagationPolicy: 'Foreground' }),
    )) as AnyObject;
    expect(answer.metadata?.finalizers).toEqual(['foregroundDeletion']);
    expect(answer.metadata?.deletionTimestamp).toBeDefined();
    // child-b is gone; child-a waits for its own finalizer and still blocks the owner.
    expect(secretNames()).toEqual(['child-a']);
    expect(server.get('secrets', 'default', 'child-a')?.metadata?.deletionTimestamp).toBeDefined();
    expect(server.get('configmaps', 'default', 'owner')?.metadata?.finalizers).toEqual([
      'foregroundDeletion',
    ]);
    await firstValueFrom(
      secrets.patch('child-a', { type: 'merge', body: { metadata: { finalizers: null } } }),
    );
    expect(secretNames()).toEqual([]);
    expect(server.get('configmaps', 'default', 'owner')).toBeUndefined();
  });

  it('Foreground: dependents without blockOwnerDeletion are deleted but do not hold the owner', async () => {
    await ownerWithDependents();
    await firstValueFrom(
      secrets.patch('child-a', { type: 'merge', body: { metadata: { finalizers: ['hold'] } } }),
    );
    await firstValueFrom(configMaps.delete('owner', { propagationPolicy: 'Foreground' }));
    expect(server.get('configmaps', 'default', 'owner')).toBeUndefined();
    expect(server.get('secrets', 'default', 'child-a')?.metadata?.deletionTimestamp).toBeDefined();
  });

  it('collection cascades through several levels and across kinds', async () => {
    const deployments = Api.namespaced<AnyObject>(server.kubeConfig(), Deployment, 'default');
    const labels = { app: 'web' };
    const deployment = await firstValueFrom(
      deployments.create({
        metadata: { name: 'web' },
        spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } },
      }),
    );
    const middle = await firstValueFrom(
      configMaps.create({ metadata: { name: 'middle', ownerReferences: [ownerRef(deployment)] } }),
    );
    await firstValueFrom(
      secrets.create({ metadata: { name: 'leaf', ownerReferences: [ownerRef(middle)] } }),
    );
    await firstValueFrom(deployments.delete('web'));
    expect(server.list('configmaps', 'default')).toEqual([]);
    expect(secretNames()).toEqual([]);
  });

  it('a dry-run delete collects nothing; an unknown policy is 422', async () => {
    await ownerWithDependents();
    await firstValueFrom(configMaps.delete('owner', { dryRun: true }));
    await firstValueFrom(
      configMaps.delete('owner', { dryRun: true, propagationPolicy: 'Foreground' }),
    );
    expect(secretNames()).toEqual(['child-a', 'child-b']);
    expect(server.get('configmaps', 'default', 'owner')?.metadata?.finalizers).toBeUndefined();
    const invalid = await call(
      server.url,
      'DELETE',
      '/api/v1/namespaces/default/configmaps/owner',
      {
        propagationPolicy: 'Sometimes',
      },
    );
    expect(invalid.status).toBe(422);
    expect(invalid.body.details.kind).toBe('DeleteOptions');
  });
});
