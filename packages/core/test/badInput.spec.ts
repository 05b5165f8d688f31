import { asyncScheduler, firstValueFrom, lastValueFrom, toArray, type SchedulerLike } from 'rxjs';
import {
  Api,
  ConfigMap,
  classify,
  isApiError,
  isSerdeError,
  type KubeObject,
  type SerdeError,
} from '@kube-rx/core';
import { sendJson, startScriptedServer, type ScriptedServer } from './scriptedServer.js';

let server: ScriptedServer;
let reported: SerdeError[];
let api: Api<KubeObject>;

const configMap = (name: string, rv = '1'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'fx', resourceVersion: rv },
});
const line = (type: string, object: unknown): string => JSON.stringify({ type, object }) + '\n';

beforeEach(async () => {
  server = await startScriptedServer();
  reported = [];
  api = Api.namespaced<KubeObject>(server.kubeConfig(), ConfigMap, 'fx', {
    onInvalidItem: (error) => reported.push(error),
  });
});

afterEach(async () => {
  await server.close();
});

async function watchAll(): Promise<string[]> {
  const events = await lastValueFrom(api.watch({ resourceVersion: '1' }).pipe(toArray()));
  return events.map((event) => `${event.type} ${event.object.metadata?.name ?? '-'}`);
}

describe('bad input over HTTP', () => {
  it('a LIST body that is not JSON fails with a SerdeError naming the request', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"kind":"ConfigMapList","items":[{"metadata":');
    });
    const error: unknown = await firstValueFrom(api.list()).catch((e: unknown) => e);
    expect(isSerdeError(error)).toBe(true);
    expect((error as Error).message).toMatch(/GET .*configmaps.*response is not valid JSON/);
    expect(classify(error)).toBe('permanent');
  });

  it('a LIST keeps its good items and reports those without metadata or name', async () => {
    server.handle((_request, response) =>
      sendJson(response, 200, {
        kind: 'ConfigMapList',
        metadata: { resourceVersion: '7' },
        items: [
          configMap('a'),
          { kind: 'ConfigMap' },
          { metadata: { namespace: 'fx' } },
          configMap('b'),
          null,
        ],
      }),
    );
    const list = await firstValueFrom(api.list());
    expect(list.items.map((item) => item.metadata?.name)).toEqual(['a', 'b']);
    expect(reported.map((error) => error.message)).toEqual([
      expect.stringMatching(/list item 1 has no metadata.name$/),
      expect.stringMatching(/list item 2 has no metadata.name$/),
      expect.stringMatching(/list item 4 has no metadata.name$/),
    ]);
  });

  it('a WATCH skips malformed lines, unknown types and nameless objects, and keeps the rest', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(line('ADDED', configMap('a')));
      response.write('{"type":"ADDED","object":{"metadata":\n');
      response.write(line('SYNC', configMap('x')));
      response.write(line('MODIFIED', { kind: 'ConfigMap' }));
      response.write(line('MODIFIED', { kind: 'ConfigMap', metadata: { resourceVersion: '3' } }));
      response.end(line('DELETED', configMap('b', '4')));
    });
    expect(await watchAll()).toEqual(['ADDED a', 'DELETED b']);
    expect(reported.map((error) => error.message)).toEqual([
      expect.stringContaining('watch event is not valid JSON'),
      'unknown watch event type "SYNC"',
      'watch MODIFIED event object has no metadata',
      'watch MODIFIED event object has no metadata.name',
    ]);
  });

  it('a WATCH line split across writes is reassembled; a truncated last line is reported', async () => {
    const text = line('ADDED', configMap('a')) + line('ADDED', configMap('b'));
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      for (const part of [text.slice(0, 5), text.slice(5, 40), text.slice(40)]) {
        response.write(part);
        await new Promise((resolve) => setImmediate(resolve));
      }
      response.end(line('ADDED', configMap('c')).slice(0, 25));
    });
    expect(await watchAll()).toEqual(['ADDED a', 'ADDED b']);
    expect(reported).toHaveLength(1);
    expect(reported[0]?.bodySnippet).toBe(line('ADDED', configMap('c')).slice(0, 25));
  });

  it('a 2 MB object goes through a LIST and a WATCH', async () => {
    const big = { ...configMap('big'), data: { blob: 'x'.repeat(2 * 1024 * 1024) } };
    server.handle((request, response) => {
      if (request.query.get('watch') === 'true') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(line('MODIFIED', big));
      } else {
        sendJson(response, 200, { metadata: { resourceVersion: '2' }, items: [big] });
      }
    });
    const list = await firstValueFrom(api.list());
    expect((list.items[0] as typeof big).data.blob).toHaveLength(2 * 1024 * 1024);
    expect(await watchAll()).toEqual(['MODIFIED big']);
    expect(reported).toEqual([]);
  });

  it('a Status with a non-numeric code becomes an ApiError with the HTTP status', async () => {
    server.handle((_request, response) =>
      sendJson(response, 503, { kind: 'Status', code: 'busy', message: 'try later' }),
    );
    const error: unknown = await firstValueFrom(api.get('a')).catch((e: unknown) => e);
    expect(isApiError(error, 503)).toBe(true);
    expect(classify(error)).toBe('transient');
  });

  it('reads Retry-After as an HTTP date (against the Api clock) and ignores garbage', async () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    const clock: SchedulerLike = {
      now: () => now,
      schedule: asyncScheduler.schedule.bind(asyncScheduler),
    };
    const timed = Api.namespaced<KubeObject>(server.kubeConfig(), ConfigMap, 'fx', {
      scheduler: clock,
    });
    let retryAfter = 'Wed, 21 Oct 2015 07:28:07 GMT';
    server.handle((_request, response) =>
      sendJson(
        response,
        429,
        { kind: 'Status', code: 429, reason: 'TooManyRequests' },
        { 'retry-after': retryAfter },
      ),
    );
    const dated: unknown = await firstValueFrom(timed.get('a')).catch((e: unknown) => e);
    expect(isApiError(dated, 429) && dated.retryAfterSeconds).toBe(7);
    retryAfter = 'soon, maybe';
    const garbage: unknown = await firstValueFrom(timed.get('a')).catch((e: unknown) => e);
    expect(isApiError(garbage, 429)).toBe(true);
    expect((garbage as { retryAfterSeconds?: number }).retryAfterSeconds).toBeUndefined();
  });

  it('without onInvalidItem, skipped items are logged and the stream goes on', async () => {
    const plain = Api.namespaced<KubeObject>(server.kubeConfig(), ConfigMap, 'fx');
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('not json\n' + line('ADDED', configMap('a')));
    });
    const events = await lastValueFrom(plain.watch().pipe(toArray()));
    expect(events.map((event) => event.object.metadata?.name)).toEqual(['a']);
  });
});
