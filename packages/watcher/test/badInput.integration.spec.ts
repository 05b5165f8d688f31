import { filter, firstValueFrom, take, toArray } from 'rxjs';
import {
  Api,
  backoff,
  ConfigMap,
  exponentialBackoff,
  type KubeObject,
  type SerdeError,
} from '@kube-rx/core';
import {
  sendJson,
  startScriptedServer,
  type ScriptedServer,
} from '../../core/test/scriptedServer.js';
import { createStore } from '../src/reflector/store.js';
import { reflect } from '../src/reflector/reflect.js';
import { watcher } from '../src/watcher.js';
import { isWatcherError } from '../src/watcherError.js';

let server: ScriptedServer;
afterEach(async () => {
  await server.close();
});

const configMap = (name: string, rv: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'fx', resourceVersion: rv, uid: `uid-${name}` },
});
const line = (type: string, object: unknown): string => JSON.stringify({ type, object }) + '\n';

describe('watcher over HTTP with bad input', () => {
  it('retries a LIST whose body is not JSON, skips bad watch lines and treats resourceVersions as opaque', async () => {
    server = await startScriptedServer();
    let lists = 0;
    server.handle((request, response) => {
      if (request.query.get('watch') === 'true') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write(line('ADDED', configMap('a', 'rv/α-10')));
        response.write('{"type":"ADDED","object":\n');
        response.write(line('ADDED', { kind: 'ConfigMap', metadata: { namespace: 'fx' } }));
        response.write(line('SYNC', configMap('x', 'rv/α-11')));
        // Not a number, and "smaller" than rv/α-10 as a string: neither may matter.
        response.write(line('MODIFIED', configMap('a', 'rv/α-9')));
        return; // stays open
      }
      lists++;
      if (lists === 1) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"kind":"ConfigMapList","items":[');
        return;
      }
      sendJson(response, 200, {
        kind: 'ConfigMapList',
        metadata: { resourceVersion: 'rv/α-2' },
        items: [configMap('b', 'rv/α-1')],
      });
    });
    const reported: SerdeError[] = [];
    const api = Api.namespaced<KubeObject>(server.kubeConfig(), ConfigMap, 'fx', {
      onInvalidItem: (error) => reported.push(error),
    });
    const errors: string[] = [];
    const { store, writer } = createStore<KubeObject>();
    const events = await firstValueFrom(
      watcher(api, { initialListStrategy: 'ListWatch' }).pipe(
        backoff(exponentialBackoff({ initialDelay: 5, maxDelay: 20, jitter: false }), {
          onError: (error) =>
            errors.push(isWatcherError(error) ? `${error.kind} ${error.cause.name}` : 'other'),
        }),
        reflect(writer),
        filter((event) => event.type !== 'Init'),
        take(4),
        toArray(),
      ),
    );
    expect(errors).toEqual(['InitialListFailed SerdeError']);
    expect(events.map((event) => event.type)).toEqual(['InitApply', 'InitDone', 'Apply', 'Apply']);
    expect(store.get({ namespace: 'fx', name: 'a' })?.metadata?.resourceVersion).toBe('rv/α-9');
    expect(store.size).toBe(2);
    expect(reported.map((error) => error.message)).toEqual([
      expect.stringContaining('not valid JSON'),
      'watch ADDED event object has no metadata.name',
      'unknown watch event type "SYNC"',
    ]);
    const watches = server.requests.filter((request) => request.query.get('watch') === 'true');
    expect(watches.map((request) => request.query.get('resourceVersion'))).toEqual(['rv/α-2']);
  });
});
