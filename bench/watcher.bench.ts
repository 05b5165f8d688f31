// watcher + reflect: initial sync of 50 000 ConfigMaps plus 50 000 updates (DESIGN.md §8), against
// @kubernetes/client-node's informer on the same in-process test API server, in the same run, and
// against the floor: raw HTTP reads + line split + JSON.parse of the same responses.
//
// Each contender: LIST everything (kube-rx pages by 500 as configured by default; the informer and
// the floor read one unpaged LIST), then the server applies 50 000 updates (one per object) which
// the contender must see through its WATCH. Time = start → last update processed. The server runs
// in a child process (bench/watcherBenchServer.ts), so neither its CPU nor its memory is counted as
// the client's (its write time is reported as `server write ms`). Memory = retained heap after a
// full GC with the cache alive, minus the heap before the run.
import { CoreV1Api, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import type { Subscription } from 'rxjs';
import { Api, ConfigMap, type KubeObject } from '@kube-rx/core';
import { createStore, reflect, watcher } from '@kube-rx/watcher';
import {
  BenchServerProcess,
  BENCH_NAMESPACE as NAMESPACE,
  BENCH_TOKEN as TOKEN,
} from './benchServerProcess.js';
import type { BenchResult } from './run.js';

const OBJECTS = 50_000;
// LIST page size of the kube-rx contender; unset = the watcher's default (500).
const PAGE_SIZE = Number(process.env.WATCHER_BENCH_PAGE_SIZE ?? '') || undefined;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) for (let i = 0; i < 3; i++) gc();
}

function heapMB(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

interface Figures {
  ms: number;
  syncMs: number;
  writeMs: number;
  retainedMB: number;
}

async function floor(server: BenchServerProcess): Promise<Figures> {
  const headers = { authorization: `Bearer ${TOKEN}` };
  const base = `${server.url}/api/v1/namespaces/${NAMESPACE}/configmaps`;
  const before = heapMB();
  const started = performance.now();
  const listText = await (await fetch(base, { headers })).text();
  const list = JSON.parse(listText) as { metadata: { resourceVersion: string }; items: unknown[] };
  if (list.items.length !== OBJECTS) throw new Error(`floor listed ${list.items.length}`);
  const syncMs = performance.now() - started;
  const controller = new AbortController();
  const response = await fetch(
    `${base}?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
    {
      headers,
      signal: controller.signal,
    },
  );
  await server.request('waitForWatches', 'watching', { count: 1 });
  const writeMs = await server.updateAll();
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  let events = 0;
  while (events < OBJECTS) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += decoder.decode(value, { stream: true });
    let newline = pending.indexOf('\n');
    let start = 0;
    while (newline !== -1) {
      JSON.parse(pending.slice(start, newline));
      events++;
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  const ms = performance.now() - started;
  const retainedMB = heapMB() - before;
  controller.abort();
  await reader.cancel().catch(() => undefined);
  return { ms, syncMs, writeMs, retainedMB };
}

async function kubeRx(server: BenchServerProcess): Promise<Figures> {
  const api = Api.namespaced<KubeObject>(server.kubeConfig(), ConfigMap, NAMESPACE);
  const before = heapMB();
  const started = performance.now();
  const { store, writer } = createStore<KubeObject>();
  let applied = 0;
  let onApplied: () => void = () => undefined;
  const allApplied = new Promise<void>((resolve) => (onApplied = resolve));
  const subscription: Subscription = watcher(api, PAGE_SIZE ? { pageSize: PAGE_SIZE } : {})
    .pipe(reflect(writer))
    .subscribe((event) => {
      if (event.type === 'Apply' && ++applied === OBJECTS) onApplied();
    });
  await store.ready();
  const syncMs = performance.now() - started;
  if (store.size !== OBJECTS) throw new Error(`kube-rx listed ${store.size}`);
  await server.request('waitForWatches', 'watching', { count: 1 });
  const writeMs = await server.updateAll();
  await allApplied;
  const ms = performance.now() - started;
  const retainedMB = heapMB() - before;
  if (store.size !== OBJECTS) throw new Error('kube-rx store lost objects');
  subscription.unsubscribe();
  return { ms, syncMs, writeMs, retainedMB };
}

async function informer(server: BenchServerProcess): Promise<Figures> {
  const kubeConfig = server.kubeConfig();
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const before = heapMB();
  const started = performance.now();
  const cache = makeInformer<V1ConfigMap>(
    kubeConfig,
    `/api/v1/namespaces/${NAMESPACE}/configmaps`,
    () => core.listNamespacedConfigMap({ namespace: NAMESPACE }),
  );
  let added = 0;
  let updated = 0;
  let onSynced: () => void = () => undefined;
  let onUpdated: () => void = () => undefined;
  const synced = new Promise<void>((resolve) => (onSynced = resolve));
  const allUpdated = new Promise<void>((resolve) => (onUpdated = resolve));
  cache.on('add', () => {
    if (++added === OBJECTS) onSynced();
  });
  cache.on('update', () => {
    if (++updated === OBJECTS) onUpdated();
  });
  await cache.start();
  await synced;
  const syncMs = performance.now() - started;
  await server.request('waitForWatches', 'watching', { count: 1 });
  const writeMs = await server.updateAll();
  await allUpdated;
  const ms = performance.now() - started;
  const retainedMB = heapMB() - before;
  if (cache.list().length !== OBJECTS) throw new Error('informer lost objects');
  await cache.stop();
  return { ms, syncMs, writeMs, retainedMB };
}

export default async function watcherBench(): Promise<BenchResult[]> {
  const server = await BenchServerProcess.start(OBJECTS);
  try {
    // The server is warmed up first (its JIT, its history at full size), then each contender runs
    // twice, interleaved; the better of the two runs counts.
    await floor(server);
    await server.request('waitForNoWatches', 'idle');
    const runs: Record<'floor' | 'kubeRx' | 'informer', Figures[]> = {
      floor: [],
      kubeRx: [],
      informer: [],
    };
    for (let round = 0; round < 2; round++) {
      runs.informer.push(await informer(server));
      await server.request('waitForNoWatches', 'idle');
      runs.kubeRx.push(await kubeRx(server));
      await server.request('waitForNoWatches', 'idle');
      runs.floor.push(await floor(server));
      await server.request('waitForNoWatches', 'idle');
    }
    const best = (figures: Figures[]) => figures.reduce((a, b) => (b.ms < a.ms ? b : a));
    const floorFigures = best(runs.floor);
    const kubeRxFigures = best(runs.kubeRx);
    const informerFigures = best(runs.informer);

    const timeRatio = kubeRxFigures.ms / informerFigures.ms;
    const memoryRatio = kubeRxFigures.retainedMB / informerFigures.retainedMB;
    const floorRatio = kubeRxFigures.ms / floorFigures.ms;
    const row = (name: string, figures: Figures) => ({
      [`${name} ms`]: Math.round(figures.ms),
      [`${name} sync ms`]: Math.round(figures.syncMs),
      [`${name} MB`]: Number(figures.retainedMB.toFixed(1)),
    });
    return [
      {
        name: 'watcher+reflect: 50k sync + 50k updates',
        metrics: {
          ...row('kube-rx', kubeRxFigures),
          ...row('informer', informerFigures),
          ...row('floor', floorFigures),
          'server write ms': Math.round(kubeRxFigures.writeMs),
          'time vs informer': Number(timeRatio.toFixed(2)),
          'memory vs informer': Number(memoryRatio.toFixed(2)),
          'time vs floor': Number(floorRatio.toFixed(2)),
        },
        target: '≤ 0.6× informer time, ≤ 1.2× informer memory, ≤ 1.5× floor time',
        pass: timeRatio <= 0.6 && memoryRatio <= 1.2 && floorRatio <= 1.5,
        notes:
          'Test API server in a child process (its write time is in every time figure). ' +
          'kube-rx pages its LIST by 500; informer and floor use one unpaged LIST. Memory: retained heap after GC with the cache alive.',
      },
    ];
  } finally {
    await server.close();
  }
}
