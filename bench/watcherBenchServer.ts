// The API server of bench/watcher.bench.ts, in its own process so that its memory and CPU are not
// counted as the client's. Controlled over IPC: { op: 'update' } applies one update to every
// object and answers { writeMs }; { op: 'waitForWatches', count } answers once that many
// ConfigMap watches are open; { op: 'waitForNoWatches' } once none is.
import { startTestApiServer } from '@kube-rx/testing';
import type { KubeObject } from '@kube-rx/core';

const objects = Number(process.argv[2] ?? '50000');
const namespace = 'bench';

function configMap(i: number, generation: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `cm-${i}`,
      namespace,
      labels: { app: 'bench', shard: String(i % 16) },
      annotations: { 'bench.kube-rx.io/generation': String(generation) },
    },
    data: { index: String(i), payload: `value-${i}-${generation}`.padEnd(64, '.') },
  } as KubeObject;
}

const server = await startTestApiServer({ bookmarkIntervalMs: 0, watchHistorySize: objects * 2 });
for (let i = 0; i < objects; i++) server.seed(configMap(i, 0));
let generation = 0;

process.on('message', async (message: { op: string; count?: number }) => {
  if (message.op === 'update') {
    generation++;
    const started = performance.now();
    for (let i = 0; i < objects; i++) server.seed(configMap(i, generation));
    process.send!({ op: 'updated', writeMs: performance.now() - started });
  } else if (message.op === 'waitForWatches') {
    await server.waitForWatches(message.count ?? 1, 'configmaps');
    process.send!({ op: 'watching' });
  } else if (message.op === 'waitForNoWatches') {
    while (server.openWatches('configmaps') > 0)
      await new Promise((resolve) => setTimeout(resolve, 10));
    process.send!({ op: 'idle' });
  } else if (message.op === 'close') {
    await server.close();
    process.exit(0);
  }
});
process.send!({ op: 'ready', url: server.url });
