// The API server of the watch benchmark, run in its own process (see benchServerProcess.ts) so
// that none of its CPU or memory is counted as a contender's. It serves bytes prepared before
// any contender starts (benchObjects.ts), as fast as the socket takes them:
//
// - LIST  /api/v1/namespaces/bench/configmaps            every object, one response;
// - LIST  ...?limit=L[&continue=T]                       pages of L objects with `continue`;
// - WATCH ...?watch=true&resourceVersion=<list rv>       N MODIFIED events, then the marker;
// - WATCH ...?watch=true&sendInitialEvents=true          N ADDED events, the initial-events-end
//                                                        BOOKMARK, then the same as above;
// - GET   /version                                       a Kubernetes 1.34 version document.
//
// A watch stays open after its last event (as a real one would) until the client goes away; a
// watch from any other resourceVersion sends nothing. With `list-only` as the second argument,
// watches send no change (a streaming list ends at its bookmark): the state stays the listed
// one. Controlled over IPC: `{ op: 'expected' }`
// answers the final state a correct cache holds; `{ op: 'close' }` ends the process.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildBenchPayload, CONFIGMAPS_PATH } from './benchObjects.js';

const count = Number(process.argv[2]);
if (!Number.isInteger(count) || count <= 0) throw new TypeError(`object count: ${process.argv[2]}`);
const listOnly = process.argv[3] === 'list-only';
const payload = buildBenchPayload(count);
const CHUNK_BYTES = 64 * 1024;

const VERSION = Buffer.from(
  JSON.stringify({
    major: '1',
    minor: '34',
    gitVersion: 'v1.34.0',
    gitCommit: 'bench',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  }),
);

/** Writes `parts` in slices of 64 KB, waiting for the socket to drain; false if the client left. */
async function writeAll(response: ServerResponse, parts: Buffer[]): Promise<boolean> {
  for (const part of parts) {
    for (let offset = 0; offset < part.length; offset += CHUNK_BYTES) {
      if (response.destroyed) return false;
      if (!response.write(part.subarray(offset, offset + CHUNK_BYTES))) {
        const drained = await new Promise<boolean>((resolve) => {
          const onDrain = (): void => {
            response.off('close', onClose);
            resolve(true);
          };
          const onClose = (): void => {
            response.off('drain', onDrain);
            resolve(false);
          };
          response.once('drain', onDrain);
          response.once('close', onClose);
        });
        if (!drained) return false;
      }
    }
  }
  return true;
}

function sendJson(response: ServerResponse, status: number, body: Buffer | string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': bytes.length,
  });
  response.end(bytes);
}

function status(code: number, reason: string, message: string): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
}

async function list(response: ServerResponse, query: URLSearchParams): Promise<void> {
  const limitParam = query.get('limit');
  const limit = limitParam === null ? count : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 0) {
    sendJson(response, 400, status(400, 'BadRequest', `invalid limit ${limitParam}`));
    return;
  }
  const continueToken = query.get('continue');
  const start = continueToken === null ? 0 : Number(continueToken.replace(/^page-/, ''));
  if (!Number.isInteger(start) || start < 0 || start > count) {
    sendJson(response, 400, status(400, 'BadRequest', `invalid continue ${continueToken}`));
    return;
  }
  const end = limit === 0 ? count : Math.min(count, start + limit);
  const metadata: Record<string, unknown> = { resourceVersion: payload.listResourceVersion };
  if (end < count) {
    metadata.continue = `page-${end}`;
    metadata.remainingItemCount = count - end;
  }
  const head = Buffer.from(
    `{"kind":"ConfigMapList","apiVersion":"v1","metadata":${JSON.stringify(metadata)},"items":[`,
  );
  const items =
    end > start
      ? payload.listItems.subarray(payload.itemOffsets[start]!, payload.itemOffsets[end]! - 1)
      : Buffer.alloc(0);
  const tail = Buffer.from(']}');
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-length': head.length + items.length + tail.length,
  });
  if (await writeAll(response, [head, items, tail])) response.end();
}

async function watch(response: ServerResponse, query: URLSearchParams): Promise<void> {
  const streaming = query.get('sendInitialEvents') === 'true';
  const from = query.get('resourceVersion');
  const parts: Buffer[] = [];
  if (streaming) parts.push(payload.addedLines, payload.initialEventsEnd);
  if ((streaming || from === payload.listResourceVersion) && !listOnly) {
    parts.push(payload.modifiedLines);
  }
  response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  response.flushHeaders();
  await writeAll(response, parts);
  // Open until the client leaves, as a real watch is until its timeout.
}

function route(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://bench');
  if (url.pathname === '/version') {
    sendJson(response, 200, VERSION);
    return;
  }
  if (url.pathname !== CONFIGMAPS_PATH || request.method !== 'GET') {
    sendJson(response, 404, status(404, 'NotFound', `${request.method} ${url.pathname}`));
    return;
  }
  const query = url.searchParams;
  const isWatch = query.get('watch') === 'true' || query.get('watch') === '1';
  const done = isWatch ? watch(response, query) : list(response, query);
  done.catch((error: unknown) => {
    console.error('bench server:', error);
    response.destroy();
  });
}

const server = createServer({ keepAliveTimeout: 60_000 }, route);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send!({
    op: 'ready',
    url: `http://127.0.0.1:${port}`,
    objectBytes: payload.objectBytes,
    listBytes: payload.listItems.length,
    watchBytes: payload.modifiedLines.length,
  });
});

process.on('message', (message: { op: string }) => {
  if (message.op === 'expected') {
    process.send!({ op: 'expected', expected: listOnly ? payload.listed : payload.expected });
  } else if (message.op === 'close') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
