import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { call } from './support.js';

describe('default namespaces', () => {
  let server: TestApiServer;
  beforeEach(async () => {
    server = await startTestApiServer({ autoCreateNamespaces: false });
  });
  afterEach(() => server.close());

  it('default, kube-system, kube-public and kube-node-lease exist at start, Active', async () => {
    const list = await call(server.url, 'GET', '/api/v1/namespaces');
    expect(list.status).toBe(200);
    const names = (list.body.items as { metadata: { name: string } }[]).map((n) => n.metadata.name);
    expect(names).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const fetched = await call(server.url, 'GET', '/api/v1/namespaces/kube-system');
    expect(fetched.body.status).toEqual({ phase: 'Active' });
  });

  it('objects can be created in default without auto-creation', async () => {
    const created = await call(server.url, 'POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'cm' },
    });
    expect(created.status).toBe(201);
  });

  it('default, kube-system and kube-public may not be deleted (403), others may', async () => {
    const refused = await call(server.url, 'DELETE', '/api/v1/namespaces/default');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      reason: 'Forbidden',
      message: 'namespaces "default" is forbidden: this namespace may not be deleted',
      details: { name: 'default', kind: 'namespaces' },
    });
    expect(server.get('namespaces', undefined, 'default')).toBeDefined();
    const lease = await call(server.url, 'DELETE', '/api/v1/namespaces/kube-node-lease');
    expect(lease.status).toBe(200);
  });
});
