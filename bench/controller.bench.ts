// Controller overhead (DESIGN.md §8): reconciling 10 000 objects with a no-op reconciler adds at
// most 25 % to the time the watcher alone takes to sync them.
//
// Both contenders start from nothing against the same server, a child process serving 10 000
// pre-serialised ConfigMaps (bench/watch/benchServer.ts, its watches sending no change), each with
// a fresh KubeConfig. Both read the way a user's controller does, with the watcher's defaults
// (neither passes a watcher config, so they cannot differ): `initialListStrategy: 'Auto'`, which
// against this server (it serves streaming lists) is one WATCH with `sendInitialEvents=true` and
// no LIST, for both — so the ratio is only what the controller adds:
// - watcher alone: `watcher(api).pipe(reflect(writer))`, time = subscribe → store ready (the
//   streamed initial state is in the store);
// - controller: `new Controller(api).run(noop, policy, ctx)` with its defaults (concurrency 16,
//   debounce 0, the default logger), time = subscribe → the 10 000th `Ok` result.
// Each contender's bookkeeping stays out of its interval as far as it can: the watcher's size
// check comes after its clock stops; the controller's results are only counted (their names kept
// in a preallocated array) while timed, and the check that every object was reconciled exactly
// once, with no failure, runs after the clock stops (a duplicate or a missing object fails the
// benchmark). Rounds are interleaved after a warm-up of each; the median and the best of each
// count.
import { Api, ConfigMap, type KubeObject } from '@kube-rx/core';
import { Action, Controller } from '@kube-rx/controller';
import { createStore, reflect, watcher } from '@kube-rx/watcher';
import type { BenchResult } from './run.js';
import { BENCH_NAMESPACE as NAMESPACE } from './watch/benchObjects.js';
import { BenchServerProcess } from './watch/benchServerProcess.js';
import { benchKubeConfig } from './watch/contender.js';

const OBJECTS = 10_000;
const ROUNDS = Number(process.env.CONTROLLER_BENCH_ROUNDS ?? '') || 11;

/** CPU ms (user + system) of this process since `start`. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * CPU of the main thread alone (Node ≥ 23.9), which leaves out V8's background threads
 * (concurrent GC, JIT): what the code on the path costs, with less of the noise.
 */
const threadCpuUsage = (
  process as { threadCpuUsage?: (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage }
).threadCpuUsage?.bind(process);

function mainThreadMsSince(start: NodeJS.CpuUsage | undefined): number {
  if (start === undefined || threadCpuUsage === undefined) return Number.NaN;
  const used = threadCpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Wall and CPU ms from subscribe to the store being ready. */
async function watcherAlone(
  server: BenchServerProcess,
): Promise<{ ms: number; cpuMs: number; mainMs: number }> {
  const api = Api.namespaced<KubeObject>(benchKubeConfig(server.info.url), ConfigMap, NAMESPACE);
  const mainStarted = threadCpuUsage?.();
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const { store, writer } = createStore<KubeObject>();
  const subscription = watcher(api).pipe(reflect(writer)).subscribe();
  await store.ready();
  const ms = performance.now() - started;
  const cpuMs = cpuMsSince(cpuStarted);
  const mainMs = mainThreadMsSince(mainStarted);
  subscription.unsubscribe();
  if (store.size !== OBJECTS) throw new Error(`watcher listed ${store.size}`);
  return { ms, cpuMs, mainMs };
}

/** ms from subscribe to the 10 000th Ok result (each object reconciled once), and to its store being ready. */
async function controller(
  server: BenchServerProcess,
): Promise<{ ms: number; cpuMs: number; mainMs: number; readyMs: number }> {
  const api = Api.namespaced<KubeObject>(benchKubeConfig(server.info.url), ConfigMap, NAMESPACE);
  const noop = (): Action => Action.awaitChange();
  const policy = (): Action => Action.awaitChange();
  // The names of the reconciled objects (strings the objects already hold), checked after the
  // clock stops: building a key and hashing it into a Set per result would be the benchmark's
  // own work charged to the controller.
  const names = new Array<string>(OBJECTS);
  let oks = 0;
  let otherNamespaces = 0;
  const mainStarted = threadCpuUsage?.();
  const cpuStarted = process.cpuUsage();
  let cpuMs = 0;
  let mainMs = 0;
  const started = performance.now();
  let failures = 0;
  let readyMs = 0;
  const ms = await new Promise<number>((resolve, reject) => {
    const built = new Controller(api);
    built.store.ready$.subscribe(() => {
      readyMs = performance.now() - started;
    });
    const subscription = built.run(noop, policy, undefined).subscribe({
      next: (result) => {
        if (result.err) {
          failures++;
          return;
        }
        const { ref } = result.val;
        if (ref.namespace !== NAMESPACE) otherNamespaces++;
        names[oks++] = ref.name;
        if (oks === OBJECTS) {
          const elapsed = performance.now() - started;
          cpuMs = cpuMsSince(cpuStarted);
          mainMs = mainThreadMsSince(mainStarted);
          // Unsubscribe outside the emitting call stack.
          queueMicrotask(() => subscription.unsubscribe());
          resolve(elapsed);
        }
      },
      error: reject,
    });
  });
  if (failures > 0) throw new Error(`controller: ${failures} reconciles failed`);
  const distinct = new Set(names).size;
  if (distinct !== OBJECTS || otherNamespaces > 0) {
    throw new Error(
      `controller: ${OBJECTS} Ok results named ${distinct} distinct objects` +
        (otherNamespaces > 0 ? `, ${otherNamespaces} outside ${NAMESPACE}` : ''),
    );
  }
  return { ms, cpuMs, mainMs, readyMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export default async function controllerBench(): Promise<BenchResult> {
  const server = await BenchServerProcess.start(OBJECTS, true);
  try {
    // Warm-up (JIT of client, server and both pipelines), not counted.
    await watcherAlone(server);
    await controller(server);
    const watcherMs: number[] = [];
    const watcherCpuMs: number[] = [];
    const watcherMainMs: number[] = [];
    const controllerMs: number[] = [];
    const controllerCpuMs: number[] = [];
    const controllerMainMs: number[] = [];
    const controllerReadyMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const alone = await watcherAlone(server);
      watcherMs.push(alone.ms);
      watcherCpuMs.push(alone.cpuMs);
      watcherMainMs.push(alone.mainMs);
      const run = await controller(server);
      controllerMs.push(run.ms);
      controllerCpuMs.push(run.cpuMs);
      controllerMainMs.push(run.mainMs);
      controllerReadyMs.push(run.readyMs);
    }
    const cpuRatio = median(controllerCpuMs) / median(watcherCpuMs);
    const wallRatio = median(controllerMs) / median(watcherMs);
    const mainRatio = median(controllerMainMs) / median(watcherMainMs);
    const percent = (ratio: number): string => `${Math.round((ratio - 1) * 100)} %`;
    return {
      name: 'controller: 10k no-op reconciles vs watcher sync',
      metrics: {
        'watcher median CPU ms': Math.round(median(watcherCpuMs)),
        'controller median CPU ms': Math.round(median(controllerCpuMs)),
        'overhead (median CPU)': percent(cpuRatio),
        'watcher median ms': Math.round(median(watcherMs)),
        'controller median ms': Math.round(median(controllerMs)),
        'overhead (median wall)': percent(wallRatio),
        'watcher median main-thread CPU ms': Math.round(median(watcherMainMs)),
        'controller median main-thread CPU ms': Math.round(median(controllerMainMs)),
        'overhead (median main-thread CPU)': Number.isNaN(mainRatio) ? 'n/a' : percent(mainRatio),
        'controller store ready median ms': Math.round(median(controllerReadyMs)),
      },
      target: '≤ 25 % overhead (controller ≤ 1.25× the watcher alone)',
      pass: cpuRatio <= 1.25,
      notes:
        `${ROUNDS} interleaved rounds after a warm-up; pass/fail on the median CPU time (user + ` +
        'system of this process over each interval; wall time on a shared machine also counts ' +
        "the neighbours). Main-thread CPU leaves out V8's background threads (concurrent GC, " +
        'JIT). Both read with the watcher defaults (one streaming WATCH, no LIST). ' +
        'Watcher alone: subscribe → store ready. Controller: subscribe → 10 000th Ok result, ' +
        'default config (concurrency 16, debounce 0); every object reconciled exactly once ' +
        '(checked after the clock stops). Pre-serialised server in a child process.',
      data: {
        watcherMs,
        watcherCpuMs,
        watcherMainMs,
        controllerMs,
        controllerCpuMs,
        controllerMainMs,
        controllerReadyMs,
      },
    };
  } finally {
    await server.close();
  }
}
