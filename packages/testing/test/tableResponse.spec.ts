import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { call } from './support.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

describe('Table responses (kubectl get)', () => {
  let server: TestApiServer;
  beforeEach(async () => {
    server = await startTestApiServer();
    for (const name of ['a', 'b', 'c']) {
      await call(server.url, 'POST', '/api/v1/namespaces/default/configmaps', {
        metadata: { name },
      });
    }
  });
  afterEach(() => server.close());

  it('a paged LIST keeps continue and remainingItemCount, and the token fetches the rest', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    const first = await call(server.url, 'GET', `${path}?limit=2`, undefined, { accept: TABLE });
    expect(first.body.kind).toBe('Table');
    expect(first.body.rows.map((r: { cells: unknown[] }) => r.cells[0])).toEqual(['a', 'b']);
    expect(first.body.metadata.remainingItemCount).toBe(1);
    expect(typeof first.body.metadata.continue).toBe('string');
    const rest = await call(
      server.url,
      'GET',
      `${path}?limit=2&continue=${encodeURIComponent(first.body.metadata.continue)}`,
      undefined,
      { accept: TABLE },
    );
    expect(rest.body.rows.map((r: { cells: unknown[] }) => r.cells[0])).toEqual(['c']);
    expect(rest.body.metadata.continue).toBeUndefined();
    expect(rest.body.metadata.remainingItemCount).toBeUndefined();
    expect(rest.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
  });
});
