import { Agent, get } from 'node:http';
import type { ConfigMap } from '@kube-rx/core';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import type { Json } from './support.js';

const PATH = '/api/v1/namespaces/st/configmaps';

/** What a client saw of one WATCH response. */
interface Seen {
  status: number;
  lines: Json[];
  /**
   * `clean`: the server ended it (terminating chunk, nothing after the last line); `broken`: the
   * connection failed mid-stream; `stopped`: the client closed it after `stopAfter` lines.
   */
  end: 'clean' | 'broken' | 'stopped';
}

/**
 * Opens a WATCH over `agent` and collects its lines until the server ends it, or (with
 * `stopAfter`) until that many lines arrived, then closes it from the client side.
 */
function watch(
  server: TestApiServer,
  agent: Agent,
  query: string,
  stopAfter?: number,
): Promise<Seen> {
  return new Promise((resolve) => {
    let status = 0;
    const lines: Json[] = [];
    let settled = false;
    const done = (end: Seen['end']) => {
      if (settled) return;
      settled = true;
      resolve({ status, lines, end });
    };
    const request = get(`${server.url}${PATH}?watch=1&${query}`, { agent }, (response) => {
      status = response.statusCode ?? 0;
      let buffer = '';
      let ended = false;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          try {
            lines.push(JSON.parse(line));
          } catch {
            lines.push({ unparsable: line });
          }
        }
        if (stopAfter !== undefined && lines.length >= stopAfter) {
          done('stopped');
          request.destroy();
        }
      });
      response.on('end', () => {
        ended = true;
        done(buffer === '' ? 'clean' : 'broken');
      });
      response.on('close', () => done(ended ? 'clean' : 'broken'));
      response.on('error', () => done('broken'));
    });
    request.on('error', () => done('broken'));
  });
}

function seed(server: TestApiServer, count: number, round: number): void {
  for (let i = 0; i < count; i++) {
    const configMap: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `c${i % 4}`, namespace: 'st' },
      data: { round: String(round), i: String(i) },
    };
    server.seed(configMap);
  }
}

function expectExpired(seen: Seen, from: number, context: string): void {
  expect({ context, status: seen.status, end: seen.end, lines: seen.lines }).toEqual({
    context,
    status: 200,
    end: 'clean',
    lines: [
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: expect.stringMatching(
            new RegExp(`^too old resource version: ${from} \\(\\d+\\)$`),
          ),
        }),
      },
    ],
  });
}

function expectRealEvent(seen: Seen, context: string): void {
  expect({ context, status: seen.status, type: seen.lines[0]?.type }).toEqual({
    context,
    status: 200,
    type: expect.stringMatching(/^(ADDED|MODIFIED|DELETED)$/),
  });
}

describe('WATCH after compaction and history overflow (stress)', () => {
  let server: TestApiServer;
  // Few keep-alive sockets, reused across responses: a line written after a response's
  // terminating chunk would also corrupt the next response on that socket.
  let agent: Agent;
  beforeEach(async () => {
    server = await startTestApiServer({ bookmarkIntervalMs: 0, watchHistorySize: 16 });
    agent = new Agent({ keepAlive: true, maxSockets: 4 });
  });
  afterEach(async () => {
    agent.destroy();
    await server.close();
  });

  it('every re-watch from an old resourceVersion gets exactly one ERROR 410 and a clean end, every fresh one real events', async () => {
    const variants = ['', '&allowWatchBookmarks=true&timeoutSeconds=290', '&labelSelector=x!=y'];
    for (let round = 0; round < 60; round++) {
      const variant = variants[round % variants.length] ?? '';
      const oldest = Number(server.resourceVersion);
      seed(server, 3, round);
      const stale = Number(server.resourceVersion);
      if (round % 2 === 0) {
        server.faults.compact();
      } else {
        // Overflow the 16-event window instead: `stale` falls out of it.
        seed(server, 20, round);
      }
      const current = Number(server.resourceVersion);
      const context = `round ${round}${variant}`;
      const live = watch(server, agent, `resourceVersion=${current}${variant}`, 1);
      const expired = [oldest, stale - 1, Math.max(1, oldest - 7)].map((from) =>
        watch(server, agent, `resourceVersion=${from}${variant}`).then((seen) => ({ from, seen })),
      );
      await server.waitForWatches(1);
      seed(server, 1, round);
      for (const { from, seen } of await Promise.all(expired)) {
        expectExpired(seen, from, `${context} from ${from}`);
      }
      expectRealEvent(await live, `${context} live from ${current}`);
      if (round % 3 === 0) server.faults.dropWatches();
      await waitUntil(() => server.openWatches() === 0);
    }
    const statuses = new Set(server.requests.map((r) => r.status));
    expect([...statuses]).toEqual([200]);
  });

  it('a timeoutSeconds beyond what a timer can hold keeps the watch open instead of ending it at once', async () => {
    const from = server.resourceVersion;
    const seen = watch(server, agent, `resourceVersion=${from}&timeoutSeconds=3000000`, 1);
    await server.waitForWatches(1);
    // Let any timer that overflowed to 1 ms fire before the write.
    await new Promise((resolve) => setTimeout(resolve, 20));
    seed(server, 1, 0);
    const result = await seen;
    expect(result.lines.map((line: Json) => line.type)).toEqual(['ADDED']);
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}
