// The watch → cache benchmark: for each N, a server process with N pre-serialised ConfigMaps
// (benchServer.ts), then rounds in which every contender runs once, each in a fresh process
// (contenderProcess.ts), the order rotated by one each round. Every contender's final cache is
// compared with the server's final state (count and each object's resourceVersion); a mismatch
// fails the run.
import { fork } from 'node:child_process';
import { EMPTY } from 'rxjs';
import { watcher, type InitialListStrategy, type WatcherConfig } from '@kube-rx/watcher';
import { BenchServerProcess, reply, type BenchServerInfo } from './benchServerProcess.js';
import { checkCache } from './checkCache.js';
import { compileContenders } from './compileContenders.js';
import type { ContenderFigures } from './contenderProcess.js';

/** One contender: which file runs it and with what configuration. */
export interface ContenderSpec {
  id: string;
  label: string;
  file: 'kubeRx' | 'informer' | 'floor';
  watcherConfig?: WatcherConfig;
}

/** The figures of one metric over the rounds. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Every contender's runs and their summary at one N. */
export interface SizeResult {
  count: number;
  server: Omit<BenchServerInfo, 'url'>;
  contenders: Array<{
    id: string;
    label: string;
    runs: ContenderFigures[];
    summary: Record<keyof ContenderFigures, Spread>;
  }>;
}

/** The whole benchmark's data, as written into the results JSON. */
export interface WatchBenchData {
  rounds: number;
  sizes: number[];
  skipped: string[];
  results: SizeResult[];
}

/** Options of {@link runWatchBench}. */
export interface WatchBenchOptions {
  sizes: number[];
  rounds: number;
  /** Printed progress. */
  log?: (line: string) => void;
}

/** pageSize that makes the LIST one page at every N of this benchmark. */
const PAGE_SIZE_ALL = 2_147_483_647;
const CONTENDER_TIMEOUT_MS = 300_000;

/** Whether this version of the watcher accepts `initialListStrategy: strategy`. */
function acceptsStrategy(strategy: string): boolean {
  try {
    watcher(
      { list: () => EMPTY, watch: () => EMPTY },
      {
        initialListStrategy: strategy as InitialListStrategy,
      },
    );
    return true;
  } catch (error) {
    if (error instanceof TypeError) return false;
    throw error;
  }
}

/** The contenders, and the notes on those this version of kube-rx cannot run. */
export function watchContenders(): { contenders: ContenderSpec[]; skipped: string[] } {
  const contenders: ContenderSpec[] = [
    { id: 'kube-rx-default', label: 'kube-rx, defaults', file: 'kubeRx', watcherConfig: {} },
    {
      id: 'kube-rx-listwatch',
      label: "kube-rx, 'ListWatch' (pages of 500)",
      file: 'kubeRx',
      watcherConfig: { initialListStrategy: 'ListWatch' },
    },
    {
      id: 'kube-rx-listwatch-all',
      label: "kube-rx, 'ListWatch', pageSize = all",
      file: 'kubeRx',
      watcherConfig: { initialListStrategy: 'ListWatch', pageSize: PAGE_SIZE_ALL },
    },
    {
      id: 'kube-rx-streaming',
      label: "kube-rx, 'StreamingList'",
      file: 'kubeRx',
      watcherConfig: { initialListStrategy: 'StreamingList' },
    },
  ];
  const skipped: string[] = [];
  if (acceptsStrategy('Auto')) {
    contenders.push({
      id: 'kube-rx-auto',
      label: "kube-rx, 'Auto'",
      file: 'kubeRx',
      watcherConfig: { initialListStrategy: 'Auto' as InitialListStrategy },
    });
  } else {
    skipped.push("kube-rx 'Auto': this watcher does not accept initialListStrategy 'Auto'");
  }
  contenders.push(
    { id: 'informer', label: 'client-node informer', file: 'informer' },
    { id: 'floor', label: 'floor (node:http + JSON.parse)', file: 'floor' },
  );
  return { contenders, skipped };
}

interface ContenderOutcome {
  figures: ContenderFigures;
  entries: Array<[string, string]>;
}

/** Runs one contender in a fresh process against `url`. */
async function runContender(
  contenderProcess: string,
  spec: ContenderSpec,
  url: string,
  count: number,
): Promise<ContenderOutcome> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (spec.watcherConfig !== undefined) {
    env.KUBE_RX_WATCHER_CONFIG = JSON.stringify(spec.watcherConfig);
  }
  // Compiled JS and the built packages, as an application runs: no TypeScript loader.
  const child = fork(contenderProcess, [spec.file, url, String(count)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), CONTENDER_TIMEOUT_MS);
  try {
    return await reply<ContenderOutcome>(child, 'result');
  } catch (error) {
    throw new Error(`${spec.label} at N = ${count}: ${(error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null) {
      await new Promise((resolve) => {
        child.once('exit', resolve);
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      });
    }
  }
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

function summarise(runs: ContenderFigures[]): Record<keyof ContenderFigures, Spread> {
  const keys: Array<keyof ContenderFigures> = [
    'cpuMs',
    'wallMs',
    'syncMs',
    'peakRssMB',
    'heapMB',
    'heapDeltaMB',
  ];
  return Object.fromEntries(
    keys.map((key) => [key, spread(runs.map((run) => run[key]))]),
  ) as Record<keyof ContenderFigures, Spread>;
}

/** Runs the benchmark; rejects on any failed contender or cache mismatch. */
export async function runWatchBench(options: WatchBenchOptions): Promise<WatchBenchData> {
  const log = options.log ?? (() => undefined);
  const { contenders, skipped } = watchContenders();
  for (const note of skipped) log(`skipped ${note}`);
  const contenderProcess = compileContenders();
  const results: SizeResult[] = [];
  for (const count of options.sizes) {
    const server = await BenchServerProcess.start(count);
    try {
      const expected = await server.expected();
      const runs = new Map<string, ContenderFigures[]>(contenders.map((c) => [c.id, []]));
      for (let round = 0; round < options.rounds; round++) {
        const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
        for (const spec of order) {
          const outcome = await runContender(contenderProcess, spec, server.info.url, count);
          checkCache(`${spec.label} at N = ${count}`, outcome.entries, expected);
          runs.get(spec.id)!.push(outcome.figures);
          log(
            `N=${count} round ${round + 1}/${options.rounds} ${spec.label}: ` +
              `cpu ${Math.round(outcome.figures.cpuMs)} ms, wall ${Math.round(outcome.figures.wallMs)} ms, ` +
              `cache ok (${outcome.entries.length})`,
          );
        }
      }
      const { url: _url, ...serverInfo } = server.info;
      results.push({
        count,
        server: serverInfo,
        contenders: contenders.map((spec) => ({
          id: spec.id,
          label: spec.label,
          runs: runs.get(spec.id)!,
          summary: summarise(runs.get(spec.id)!),
        })),
      });
    } finally {
      await server.close();
    }
  }
  return { rounds: options.rounds, sizes: options.sizes, skipped, results };
}
