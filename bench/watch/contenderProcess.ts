// One contender of the watch benchmark, in a fresh process (compiled to JS by compileContenders.ts,
// forked by watchBench.ts with --expose-gc): argv = contender file (under contenders/), server URL, object count. Everything
// is loaded and prepared first; the clock (wall time and process.cpuUsage, user + system) starts
// just before the first request and stops when the marker object is in the cache. Then it sends
// { op: 'result', figures, entries } to the parent and exits.
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContenderSetup } from './contender.js';

/** What one contender process measured. */
export interface ContenderFigures {
  /** CPU time (user + system) of the process from the first request to the marker, ms. */
  cpuMs: number;
  /** Wall time from the first request to the marker, ms. */
  wallMs: number;
  /** Wall time from the first request to the initial state in the cache, ms. */
  syncMs: number;
  /** Peak resident set size of the process (its whole life), MB. */
  peakRssMB: number;
  /** Heap used after a full GC with the cache alive, MB. */
  heapMB: number;
  /** `heapMB` minus the heap after GC just before the first request, MB. */
  heapDeltaMB: number;
}

const [file, url, countArgument] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const MB = 1024 * 1024;

/**
 * BENCH_CPU_PROFILE=<dir>: a CPU profile of the measured interval only (first request to marker),
 * written to <dir>/<contender>-<pid>.cpuprofile for Chrome DevTools or `--cpu-prof` tooling.
 * Profiling slows the process: figures from such a run are not comparable.
 */
async function startProfiler(
  dir: string | undefined,
): Promise<{ stop(): Promise<void> } | undefined> {
  if (dir === undefined || dir === '') return undefined;
  const { Session } = await import('node:inspector/promises');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${file}-${process.pid}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

function heapAfterGc(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

const here = dirname(fileURLToPath(import.meta.url));
// Compiled (watch/.compiled/*.js, how the benchmark runs it) or from source under a loader.
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const module = (await import(
  pathToFileURL(join(here, 'contenders', `${file}${extension}`)).href
)) as {
  default: ContenderSetup;
};
const prepared = await module.default({ url: url!, count: Number(countArgument) });
const heapBefore = heapAfterGc();

const profiler = await startProfiler(process.env.BENCH_CPU_PROFILE);
const cpuStart = process.cpuUsage();
const started = performance.now();
const run = prepared.start();
let syncMs = Number.NaN;
void run.synced.then(
  () => (syncMs = performance.now() - started),
  () => undefined,
);
await run.done;
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
await profiler?.stop();
await run.synced;

const heap = heapAfterGc();
const figures: ContenderFigures = {
  cpuMs: (cpu.user + cpu.system) / 1000,
  wallMs,
  syncMs,
  peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
  heapMB: heap / MB,
  heapDeltaMB: (heap - heapBefore) / MB,
};
const entries = run.entries();
run.stop();
process.send!({ op: 'result', figures, entries }, () => process.exit(0));
