import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { call, type Json } from './support.js';

interface ResourceEntry {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

/** Every `groupVersion` discovery lists, with its APIResourceList. */
async function discoveredGroupVersions(url: string): Promise<Map<string, ResourceEntry[]>> {
  const result = new Map<string, ResourceEntry[]>();
  const core = await call(url, 'GET', '/api/v1');
  result.set('v1', core.body.resources);
  const groups = await call(url, 'GET', '/apis');
  for (const group of groups.body.groups as Json[]) {
    for (const { groupVersion } of group.versions as { groupVersion: string }[]) {
      const list = await call(url, 'GET', `/apis/${groupVersion}`);
      expect(list.status).toBe(200);
      result.set(groupVersion, list.body.resources);
    }
  }
  return result;
}

describe('version, discovery, health and OpenAPI', () => {
  let server: TestApiServer;
  beforeEach(async () => {
    server = await startTestApiServer();
  });
  afterEach(() => server.close());

  it('/version reports a release that has the features served (watch-list, dryRun, server-side apply)', async () => {
    const { status, body } = await call(server.url, 'GET', '/version');
    expect(status).toBe(200);
    expect(body.gitVersion).toBe(`v${body.major}.${body.minor}.0`);
    expect(body.major).toBe('1');
    expect(Number(body.minor)).toBeGreaterThanOrEqual(37);
  });

  it('/healthz, /livez and /readyz answer 200 ok', async () => {
    for (const path of ['/healthz', '/livez', '/readyz', '/readyz/ping']) {
      const response = await fetch(server.url + path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toBe('ok');
    }
  });

  it('every resource discovery lists is served with the verbs it lists', async () => {
    for (const [groupVersion, resources] of await discoveredGroupVersions(server.url)) {
      const root = groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
      for (const resource of resources.filter((r) => !r.name.includes('/'))) {
        const path = resource.namespaced
          ? `${root}/namespaces/default/${resource.name}`
          : `${root}/${resource.name}`;
        const list = await call(server.url, 'GET', path);
        expect({ path, status: list.status }).toEqual({ path, status: 200 });
        const deleteAll = await call(server.url, 'DELETE', `${path}?dryRun=All`);
        const expected = resource.verbs.includes('deletecollection') ? 200 : 405;
        expect({ path, status: deleteAll.status }).toEqual({ path, status: expected });
      }
    }
  });

  it('every resource in the OpenAPI v3 documents is in discovery, and the reverse', async () => {
    const root = await call(server.url, 'GET', '/openapi/v3');
    expect(root.status).toBe(200);
    const discovered = await discoveredGroupVersions(server.url);
    const openApiKeys = Object.keys(root.body.paths).sort();
    const discoveryKeys = [...discovered.keys()]
      .map((gv) => (gv === 'v1' ? 'api/v1' : `apis/${gv}`))
      .sort();
    expect(openApiKeys).toEqual(discoveryKeys);
    for (const [groupVersion, resources] of discovered) {
      const key = groupVersion === 'v1' ? 'api/v1' : `apis/${groupVersion}`;
      const url: string = root.body.paths[key].serverRelativeURL;
      expect(url).toMatch(new RegExp(`^/openapi/v3/${key}\\?hash=[0-9A-F]{128}$`));
      const document = await call(server.url, 'GET', url);
      expect(document.body.openapi).toBe('3.0.0');
      const patchKinds = Object.values(document.body.paths as Record<string, Json>)
        .filter((path) => path.patch !== undefined)
        .map((path) => path.patch['x-kubernetes-group-version-kind'].kind);
      for (const resource of resources.filter((r) => !r.name.includes('/'))) {
        expect(patchKinds).toContain(resource.kind);
      }
    }
  });

  it('PATCH operations offer fieldValidation, so kubectl validates on the server', async () => {
    const document = await call(server.url, 'GET', '/openapi/v3/api/v1');
    const patch = document.body.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: '',
      version: 'v1',
      kind: 'ConfigMap',
    });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    const swagger = await call(server.url, 'GET', '/openapi/v2');
    expect(swagger.status).toBe(200);
    expect(swagger.body).toMatchObject({ swagger: '2.0', info: { title: 'Kubernetes' } });
  });

  it('a registered custom resource appears in discovery and OpenAPI', async () => {
    server.registerCustomResource({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      namespaced: true,
    });
    const list = await call(server.url, 'GET', '/apis/example.com/v1');
    expect(list.body.resources.map((r: ResourceEntry) => r.name)).toEqual(['widgets']);
    const root = await call(server.url, 'GET', '/openapi/v3');
    expect(Object.keys(root.body.paths)).toContain('apis/example.com/v1');
  });
});

describe('media types', () => {
  let server: TestApiServer;
  beforeEach(async () => {
    server = await startTestApiServer();
  });
  afterEach(() => server.close());

  it('answers JSON when the client offers it after protobuf (as kubectl does)', async () => {
    const response = await call(server.url, 'GET', '/api/v1/namespaces', undefined, {
      accept: 'application/vnd.kubernetes.protobuf, application/json',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.body.kind).toBe('NamespaceList');
  });

  it('406 when the client accepts only protobuf', async () => {
    const response = await call(server.url, 'GET', '/api/v1/namespaces', undefined, {
      accept: 'application/vnd.kubernetes.protobuf',
    });
    expect(response.status).toBe(406);
    expect(response.body.reason).toBe('NotAcceptable');
  });

  it('JSON bodies with parameters are accepted; protobuf bodies are 415', async () => {
    const json = await call(
      server.url,
      'POST',
      '/api/v1/namespaces/default/configmaps',
      { metadata: { name: 'a' } },
      {
        'content-type': 'application/json; charset=utf-8',
        accept: 'application/vnd.kubernetes.protobuf,application/json',
      },
    );
    expect(json.status).toBe(201);
    const protobuf = await call(
      server.url,
      'POST',
      '/api/v1/namespaces/default/configmaps',
      'k8s\u0000',
      { 'content-type': 'application/vnd.kubernetes.protobuf' },
    );
    expect(protobuf.status).toBe(415);
    expect(protobuf.body.reason).toBe('UnsupportedMediaType');
  });
});
