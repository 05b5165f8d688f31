// The markdown of docs/performance.md's measured part: machine, the watch table per N, the
// scheduler and controller figures, and each target with whether this run met it.
import type { SizeResult, Spread } from '../../bench/watch/watchBench.js';

/** The shape of bench/results/*.json (bench/run.ts). */
export interface BenchReport {
  date: string;
  node: string;
  platform: string;
  cpu: string;
  cpuCount: number;
  quick?: boolean;
  benchmarks: Array<{
    file: string;
    error?: string;
    results: Array<{
      name: string;
      metrics: Record<string, number | string>;
      target?: string;
      pass?: boolean;
      notes?: string;
      data?: unknown;
    }>;
  }>;
}

const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const mb = (value: number): string => value.toFixed(0);
const ratio = (value: number): string => `${value.toFixed(2)}×`;
const range = (spread: Spread, show: (n: number) => string): string =>
  `${show(spread.median)} (${show(spread.min)}–${show(spread.max)})`;
const met = (pass: boolean): string => (pass ? 'met' : '**not met**');

function watchTable(size: SizeResult): string {
  const informer = size.contenders.find((c) => c.id === 'informer')!.summary;
  const floor = size.contenders.find((c) => c.id === 'floor')!.summary;
  const rows = [
    '| contender | CPU ms | vs informer | vs floor | wall ms | initial sync ms | peak RSS MB | heap after GC MB | heap growth MB |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const contender of size.contenders) {
    const s = contender.summary;
    rows.push(
      `| ${contender.label} | ${range(s.cpuMs, int)} | ${ratio(s.cpuMs.median / informer.cpuMs.median)} | ` +
        `${ratio(s.cpuMs.median / floor.cpuMs.median)} | ${range(s.wallMs, int)} | ${range(s.syncMs, int)} | ` +
        `${range(s.peakRssMB, mb)} | ${mb(s.heapMB.median)} | ${mb(s.heapDeltaMB.median)} |`,
    );
  }
  return rows.join('\n');
}

/** The controller's main-thread figures, when the results file has them (runs from 2026-12-01 21:00). */
function mainThread(m: Record<string, number | string>): string {
  const overhead = m['overhead (median main-thread CPU)'];
  if (overhead === undefined || overhead === 'n/a') return '';
  return `; main thread: ${m['watcher median main-thread CPU ms']} ms, ${m['controller median main-thread CPU ms']} ms, +${overhead}`;
}

function findResult(report: BenchReport, name: string) {
  return report.benchmarks.flatMap((file) => file.results).find((r) => r.name === name);
}

/** The generated markdown. */
export function renderPerformanceTables(report: BenchReport, sizes: SizeResult[]): string {
  const rounds = (sizes[0] as SizeResult & { rounds?: number }).rounds ?? 0;
  const skipped = (sizes[0] as SizeResult & { skipped?: string[] }).skipped ?? [];
  const parts: string[] = [];
  parts.push(
    `Run of ${report.date.slice(0, 16).replace('T', ' ')} UTC: Node ${report.node}, ${report.platform}, ` +
      `${report.cpuCount} × ${report.cpu} (shared with other work)${report.quick ? ', `--quick`' : ''}. ` +
      `Medians of ${rounds} rounds, (min–max) in brackets; ratios are of the medians.` +
      (skipped.length > 0 ? ` Not run: ${skipped.join('; ')}.` : ''),
  );
  parts.push('![CPU time against N for every contender](images/performance-cpu.svg)');
  for (const size of sizes) {
    parts.push(
      `### ${int(size.count)} ConfigMaps (${int(size.server.objectBytes)} B each) + ${int(size.count)} updates`,
    );
    parts.push(watchTable(size));
  }

  const targets = ['| target | this run | |', '|---|---|---|'];
  for (const size of sizes) {
    const byId = (id: string) => size.contenders.find((c) => c.id === id)!.summary;
    const kubeRx = byId('kube-rx-default');
    const informer = byId('informer');
    const floor = byId('floor');
    const n = int(size.count);
    const cpuInformer = kubeRx.cpuMs.median / informer.cpuMs.median;
    const cpuFloor = kubeRx.cpuMs.median / floor.cpuMs.median;
    const rss = kubeRx.peakRssMB.median / informer.peakRssMB.median;
    const heap = kubeRx.heapMB.median / informer.heapMB.median;
    targets.push(
      `| N = ${n}: kube-rx defaults ≤ 0.7× informer CPU | ${ratio(cpuInformer)} | ${met(cpuInformer <= 0.7)} |`,
      `| N = ${n}: kube-rx defaults ≤ 1.05× floor CPU | ${ratio(cpuFloor)} | ${met(cpuFloor <= 1.05)} |`,
      `| N = ${n}: peak RSS ≤ informer | ${ratio(rss)} | ${met(rss <= 1)} |`,
      `| N = ${n}: heap after GC ≤ informer | ${ratio(heap)} | ${met(heap <= 1)} |`,
    );
  }
  const schedulerVirtual = findResult(report, 'scheduler: 1M requests / 100k keys');
  if (schedulerVirtual !== undefined) {
    const m = schedulerVirtual.metrics;
    targets.push(
      `| scheduler ≥ 1 M requests/s, 100 000 keys (virtual clock) | ${int(Number(m['requests/CPU-s (median)']))} per CPU second median, ${int(Number(m['requests/CPU-s (best)']))} best (${int(Number(m['requests/wall-s (median)']))} per wall second); ${m['bytes/pending key']} B per pending key | ${met(Boolean(schedulerVirtual.pass))} |`,
    );
  }
  const schedulerReal = findResult(
    report,
    'scheduler vs naive: 1M requests / 100k keys, real timers',
  );
  if (schedulerReal !== undefined) {
    const m = schedulerReal.metrics;
    targets.push(
      `| scheduler ≥ 1 M requests per CPU second, real timers | ${int(Number(m['kube-rx requests/CPU-s (median)']))}/s (naive timer per key: ${int(Number(m['naive requests/CPU-s (median)']))}/s, ${m['kube-rx vs naive']}×); ${m['kube-rx bytes/pending key']} B per pending key (naive: ${m['naive bytes/pending key']} B) | ${met(Boolean(schedulerReal.pass))} |`,
    );
  }
  const controller = findResult(report, 'controller: 10k no-op reconciles vs watcher sync');
  if (controller !== undefined) {
    const m = controller.metrics;
    targets.push(
      `| controller overhead ≤ 1.25× watcher alone (10 000 objects) | CPU: watcher ${m['watcher median CPU ms']} ms, controller ${m['controller median CPU ms']} ms (median), +${m['overhead (median CPU)']}; wall: ${m['watcher median ms']} ms, ${m['controller median ms']} ms, +${m['overhead (median wall)']}${mainThread(m)} | ${met(Boolean(controller.pass))} |`,
    );
  }
  parts.push('### Targets', targets.join('\n'));
  return parts.join('\n\n');
}
