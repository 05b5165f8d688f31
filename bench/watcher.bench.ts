// Watch → cache (DESIGN.md §8): N ConfigMaps of 1.2 KB listed, then N MODIFIED events and a
// marker, served from pre-serialised bytes by a server in its own process; each contender in a
// fresh process; client CPU time (user + system) from the first request until the marker is in
// the cache. See bench/watch/watchBench.ts for the method and bench/README.md for the figures.
//
// BENCH_WATCH_SIZES (default 10000,50000,100000) and BENCH_WATCH_ROUNDS (default 7) change the
// sizes and rounds; --quick (BENCH_QUICK=1) runs 10 000 objects × 3 rounds.
import type { BenchResult } from './run.js';
import { runWatchBench, type SizeResult } from './watch/watchBench.js';

const quick = process.env.BENCH_QUICK === '1';

function numbers(value: string | undefined, fallback: number[]): number[] {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = value.split(',').map((part) => Number(part.trim()));
  if (parsed.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new TypeError(`expected comma-separated positive integers, got "${value}"`);
  }
  return parsed;
}

const TARGETS = {
  cpuVsInformer: 0.7,
  cpuVsFloor: 1.05,
};

/** The pass/fail verdicts of one size, on medians. */
export function verdicts(size: SizeResult): {
  cpuVsInformer: number;
  cpuVsFloor: number;
  rssVsInformer: number;
  heapVsInformer: number;
  pass: boolean;
} {
  const byId = (id: string) => size.contenders.find((c) => c.id === id)!.summary;
  const kubeRx = byId('kube-rx-default');
  const informer = byId('informer');
  const floor = byId('floor');
  const cpuVsInformer = kubeRx.cpuMs.median / informer.cpuMs.median;
  const cpuVsFloor = kubeRx.cpuMs.median / floor.cpuMs.median;
  const rssVsInformer = kubeRx.peakRssMB.median / informer.peakRssMB.median;
  const heapVsInformer = kubeRx.heapMB.median / informer.heapMB.median;
  return {
    cpuVsInformer,
    cpuVsFloor,
    rssVsInformer,
    heapVsInformer,
    pass:
      cpuVsInformer <= TARGETS.cpuVsInformer &&
      cpuVsFloor <= TARGETS.cpuVsFloor &&
      rssVsInformer <= 1 &&
      heapVsInformer <= 1,
  };
}

export default async function watcherBench(): Promise<BenchResult[]> {
  const sizes = numbers(
    process.env.BENCH_WATCH_SIZES,
    quick ? [10_000] : [10_000, 50_000, 100_000],
  );
  const [rounds = 7] = numbers(process.env.BENCH_WATCH_ROUNDS, [quick ? 3 : 7]);
  const data = await runWatchBench({ sizes, rounds, log: (line) => console.log(`  ${line}`) });
  return data.results.map((size) => {
    const verdict = verdicts(size);
    const metrics: Record<string, number | string> = {};
    for (const contender of size.contenders) {
      metrics[`${contender.id} cpu ms`] = Math.round(contender.summary.cpuMs.median);
    }
    metrics['default cpu vs informer'] = Number(verdict.cpuVsInformer.toFixed(2));
    metrics['default cpu vs floor'] = Number(verdict.cpuVsFloor.toFixed(2));
    metrics['default rss vs informer'] = Number(verdict.rssVsInformer.toFixed(2));
    metrics['default heap vs informer'] = Number(verdict.heapVsInformer.toFixed(2));
    return {
      name: `watch: ${size.count.toLocaleString('en-US')} objects + ${size.count.toLocaleString('en-US')} updates`,
      metrics,
      target: '≤ 0.7× informer CPU, ≤ 1.05× floor CPU, peak RSS and heap after GC ≤ informer',
      pass: verdict.pass,
      notes:
        `Medians of ${rounds} rounds, each contender in a fresh process, order rotated per round. ` +
        'CPU = user + system of the client process from its first request to the marker in its ' +
        `cache. Every cache checked against the server.${data.skipped.length > 0 ? ` Skipped: ${data.skipped.join('; ')}.` : ''}`,
      data: { rounds, skipped: data.skipped, ...size },
    };
  });
}
