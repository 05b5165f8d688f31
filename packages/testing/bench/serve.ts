// Throughput of the test apiserver: a LIST of 50 000 ~1 KB objects and 50 000 watch events.
// Run: npm run bench:serve (from the repository root)
import { startTestApiServer } from '../src/index.js';

const COUNT = 50_000;
const PATH = '/api/v1/namespaces/bench/configmaps';
const payload = 'x'.repeat(900);

const configMap = (i: number, revision: number) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: `cm-${String(i).padStart(6, '0')}`,
    namespace: 'bench',
    labels: { app: 'bench' },
  },
  data: { payload, revision: String(revision) },
});

/** Reads a watch until `count` lines arrived; returns the bytes read. */
async function consume(response: Response, count: number): Promise<number> {
  const reader = response.body!.getReader();
  let lines = 0;
  let bytes = 0;
  while (lines < count) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended after ${lines} lines`);
    bytes += value.byteLength;
    for (const byte of value) if (byte === 10) lines++;
  }
  await reader.cancel();
  return bytes;
}

const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en')}/s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

const server = await startTestApiServer({ watchHistorySize: COUNT * 2 });
try {
  let start = performance.now();
  for (let i = 0; i < COUNT; i++) server.seed(configMap(i, 0));
  console.log(`seed ${COUNT} objects: ${(performance.now() - start).toFixed(0)} ms`);
  const before = server.resourceVersion;
  const sample = JSON.stringify(server.list('configmaps', 'bench')[0]).length;

  // The first LIST also serialises every object once; later ones reuse the cached JSON.
  for (const label of ['first', 'second']) {
    start = performance.now();
    const listText = await (await fetch(server.url + PATH)).text();
    const listMs = performance.now() - start;
    // Parsing is the client's cost, measured apart.
    const items = (JSON.parse(listText) as { items: unknown[] }).items.length;
    console.log(
      `LIST (${label}) ${items} objects (${sample} B each, ${mb(listText.length)}): ${listMs.toFixed(0)} ms, ${rate(items, listMs)}`,
    );
  }

  start = performance.now();
  const live = await fetch(`${server.url}${PATH}?watch=1&resourceVersion=${before}`);
  await server.waitForWatches(1);
  const received = consume(live, COUNT);
  for (let i = 0; i < COUNT; i++) {
    server.seed(configMap(i, 1));
    // Let the server flush and the client read, as writes arriving over time would.
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  const liveBytes = await received;
  const liveMs = performance.now() - start;
  console.log(
    `WATCH ${COUNT} live MODIFIED events (${mb(liveBytes)}): ${liveMs.toFixed(0)} ms, ${rate(COUNT, liveMs)}`,
  );

  start = performance.now();
  const replay = await fetch(`${server.url}${PATH}?watch=1&resourceVersion=${before}`);
  const replayBytes = await consume(replay, COUNT);
  const replayMs = performance.now() - start;
  console.log(
    `WATCH replay of ${COUNT} events from history (${mb(replayBytes)}): ${replayMs.toFixed(0)} ms, ${rate(COUNT, replayMs)}`,
  );
} finally {
  await server.close();
}
