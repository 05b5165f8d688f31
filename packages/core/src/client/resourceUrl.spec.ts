import { ConfigMap, CustomResourceDefinition, Lease } from './builtinResources.js';
import { listQuery, resourcePath, watchQuery, writeQuery } from './resourceUrl.js';

describe('resourcePath', () => {
  it('builds core, group, namespaced, cluster and subresource paths', () => {
    expect(resourcePath(ConfigMap, 'fx', 'app')).toBe('/api/v1/namespaces/fx/configmaps/app');
    expect(resourcePath(ConfigMap, undefined)).toBe('/api/v1/configmaps');
    expect(resourcePath(Lease, 'kube-system', 'leader', 'status')).toBe(
      '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/leader/status',
    );
    expect(resourcePath(CustomResourceDefinition, undefined, 'widgets.example.com')).toBe(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
    );
  });

  it('percent-encodes names so they cannot change the path', () => {
    expect(resourcePath(ConfigMap, 'fx', '../secrets/x')).toBe(
      '/api/v1/namespaces/fx/configmaps/..%2Fsecrets%2Fx',
    );
  });
});

describe('queries', () => {
  it('leave out unset parameters', () => {
    expect(listQuery({})).toBe('');
    expect(writeQuery({ dryRun: false })).toBe('');
    expect(watchQuery({ allowWatchBookmarks: false })).toBe('?watch=true');
  });

  it('encode selectors and flags', () => {
    expect(listQuery({ labelSelector: 'app in (a,b)', limit: 5 })).toBe(
      '?labelSelector=app+in+%28a%2Cb%29&limit=5',
    );
    expect(watchQuery({ resourceVersion: '7', sendInitialEvents: true })).toBe(
      '?watch=true&resourceVersion=7&sendInitialEvents=true',
    );
    expect(writeQuery({ dryRun: true, fieldManager: 'op', force: true })).toBe(
      '?dryRun=All&fieldManager=op&force=true',
    );
  });
});
