import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { call, exchange, fixture, replay } from './support.js';

// Each test replays a recording of a real kube-apiserver v1.20 and compares the answers.
describe('answers like the recorded kube-apiserver', () => {
  let server: TestApiServer;
  beforeEach(async () => {
    server = await startTestApiServer({ autoCreateNamespaces: false });
  });
  afterEach(() => server.close());

  let mapping: Map<string, string>;
  const setup = () => {
    mapping = new Map();
    return replay(server.url, fixture('01-create-configmap.json'), { mapping });
  };

  it('01 create namespace and configmap (201, server-filled fields)', async () => {
    await setup();
  });

  it('02 duplicate create is 409 AlreadyExists', async () => {
    await setup();
    await replay(server.url, fixture('02-create-duplicate.json'));
  });

  it('03 stale update is 409 Conflict, update without resourceVersion is unconditional', async () => {
    await setup();
    await call(server.url, 'POST', '/api/v1/namespaces/fx/configmaps', {
      metadata: { name: 'unc' },
      data: { key: 'v1' },
    });
    await replay(server.url, fixture('03-update-stale-rv.json'), { mapping });
  });

  it('04 missing object is 404 NotFound', async () => {
    await setup();
    await replay(server.url, fixture('04-get-missing.json'));
  });

  it('05 invalid name is 422 with causes', async () => {
    await setup();
    await replay(server.url, fixture('05-create-invalid-name.json'));
  });

  it('06 missing name is 422 Required; generateName works', async () => {
    await setup();
    const [, created] = await replay(server.url, fixture('06-create-without-name.json'));
    expect(created.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('07 paginated list: continue, remainingItemCount, none with a selector', async () => {
    await setup();
    await call(server.url, 'DELETE', '/api/v1/namespaces/fx/configmaps/cm1');
    for (let i = 1; i <= 5; i++) {
      await call(server.url, 'POST', '/api/v1/namespaces/fx/configmaps', {
        metadata: { name: `page-${i}`, labels: { set: 'page' } },
        data: { i: String(i) },
      });
    }
    const pages = await replay(server.url, fixture('07-list-paginated.json'));
    const token = JSON.parse(Buffer.from(pages[0].metadata.continue, 'base64url').toString());
    expect(token).toEqual({
      v: 'meta.k8s.io/v1',
      rv: Number(pages[0].metadata.resourceVersion),
      start: 'page-2\u0000',
    });
    expect(pages[1].metadata.resourceVersion).toBe(pages[0].metadata.resourceVersion);
  });

  it('08 continue token after compaction is 410 Expired with an inconsistent-continue token', async () => {
    await setup();
    await call(server.url, 'DELETE', '/api/v1/namespaces/fx/configmaps/cm1');
    for (let i = 1; i <= 5; i++) {
      await call(server.url, 'POST', '/api/v1/namespaces/fx/configmaps', {
        metadata: { name: `page-${i}` },
      });
    }
    const first = await call(server.url, 'GET', '/api/v1/namespaces/fx/configmaps?limit=2');
    server.faults.compact();
    const expired = await call(
      server.url,
      'GET',
      `/api/v1/namespaces/fx/configmaps?limit=2&continue=${first.body.metadata.continue}`,
    );
    const recorded = exchange(fixture('08-list-continue-expired.json'), 1).response;
    expect(expired.status).toBe(410);
    const { metadata, ...rest } = expired.body;
    const { metadata: recordedMetadata, ...recordedRest } = recorded.body as Record<
      string,
      unknown
    >;
    expect(rest).toEqual(recordedRest);
    expect(Buffer.from(metadata.continue, 'base64url').toString()).toBe(
      Buffer.from((recordedMetadata as { continue: string }).continue, 'base64url').toString(),
    );
  });

  it('13 patch types: merge, json (test), strategic, 415, 404', async () => {
    await setup();
    await replay(server.url, fixture('13-patch-types.json'));
  });

  it('14 CRD, custom resource status subresource and generation, 415, PartialObjectMetadata', async () => {
    await setup();
    await replay(server.url, fixture('14-crd-widget.json'), { loose: [0] });
  });

  it('15 delete with a finalizer, 422 on a new finalizer, removal deletes', async () => {
    await setup();
    await replay(server.url, fixture('15-delete-with-finalizer.json'), { skip: [1] });
  });

  it('16 server-side apply: create, conflict, force, fieldManager required, YAML 1.1', async () => {
    await setup();
    await replay(server.url, fixture('16-server-side-apply.json'), { managedFields: true });
  });

  it('18 discovery shapes', async () => {
    const file = fixture('18-discovery.json');
    const version = await call(server.url, 'GET', '/version');
    expect(Object.keys(version.body).sort()).toEqual(
      Object.keys(exchange(file, 0).response.body as object).sort(),
    );
    const api = await call(server.url, 'GET', '/api');
    expect(api.body).toEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [
        { clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${server.port}` },
      ],
    });
    const coreList = await call(server.url, 'GET', '/api/v1');
    for (const recorded of (
      exchange(file, 3).response.body as { resources: Record<string, unknown>[] }
    ).resources) {
      const { storageVersionHash: _hash, categories: _categories, ...expected } = recorded;
      expect(coreList.body.resources).toContainEqual(expected);
    }
    const coordination = await call(server.url, 'GET', '/apis/coordination.k8s.io/v1');
    const { resources, ...head } = exchange(file, 4).response.body as {
      resources: Record<string, unknown>[];
    };
    expect(coordination.body).toEqual({
      ...head,
      resources: resources.map(({ storageVersionHash: _hash, ...rest }) => rest),
    });
    const groups = await call(server.url, 'GET', '/apis');
    expect(groups.body.kind).toBe('APIGroupList');
    expect(groups.body.groups.map((g: { name: string }) => g.name)).toEqual(
      expect.arrayContaining(['coordination.k8s.io', 'events.k8s.io']),
    );
  });

  it('17 requireToken: 401 Unauthorized without the token', async () => {
    const guarded = await startTestApiServer({ requireToken: true, token: 'secret' });
    try {
      const file = fixture('17-unauthorized.json');
      const denied = await call(guarded.url, 'GET', '/api/v1/namespaces/fx/configmaps');
      expect(denied.status).toBe(401);
      expect(denied.body).toEqual(exchange(file, 1).response.body);
      const version = await call(guarded.url, 'GET', '/version', undefined, {
        authorization: 'Bearer wrong',
      });
      expect(version.body).toEqual(exchange(file, 2).response.body);
      const allowed = await call(guarded.url, 'GET', '/version', undefined, {
        authorization: 'Bearer secret',
      });
      expect(allowed.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('19 lease: create, renew, stale 409, MicroTime format', async () => {
    await setup();
    const answers = await replay(server.url, fixture('19-lease.json'), { loose: [3, 4, 5] });
    expect(answers[3].message).toMatch(
      /^Lease in version "v1" cannot be handled as a Lease: .*parsing time "2026-11-22T02:59:45.234Z"/,
    );
  });

  it('20 events.k8s.io/v1 event validation and create, read back through core/v1', async () => {
    await setup();
    await replay(server.url, fixture('20-events-v1-event.json'));
  });
});
