// Regenerates the measured part of docs/performance.md (between the `performance:generated`
// markers) and docs/images/performance-cpu.svg from a results JSON written by `npm run bench`,
// and keeps a copy of that JSON as docs/performance-results.json, so the doc's numbers can be
// traced and redrawn. Run: npm run docs:performance [-- results.json [more.json …]]
// (default bench/results/latest.json; with no bench results, the kept copy is redrawn). With
// several files, a later file's benchmarks replace those of the same bench file before it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import type { SizeResult } from '../bench/watch/watchBench.js';
import { renderPerformanceTables, type BenchReport } from './performance/performanceTables.js';
import { renderCpuPlot } from './performance/performanceCpuPlot.js';

const root = new URL('..', import.meta.url);
const kept = new URL('docs/performance-results.json', root);
const docPath = new URL('docs/performance.md', root);
const svgPath = new URL('docs/images/performance-cpu.svg', root);
const START = '<!-- performance:generated:start -->';
const END = '<!-- performance:generated:end -->';

const argumentsGiven = process.argv.slice(2);
const latest = new URL('bench/results/latest.json', root);
const inputs =
  argumentsGiven.length > 0
    ? argumentsGiven.map((path) => new URL(path, `file://${process.cwd()}/`))
    : [existsSync(latest) ? latest : kept];
const reports = inputs.map((input) => JSON.parse(readFileSync(input, 'utf8')) as BenchReport);
const report: BenchReport = { ...reports[0]!, benchmarks: [] };
for (const each of reports) {
  for (const benchmark of each.benchmarks) {
    const at = report.benchmarks.findIndex((b) => b.file === benchmark.file);
    if (at >= 0) report.benchmarks[at] = benchmark;
    else report.benchmarks.push(benchmark);
  }
}
const sizes: SizeResult[] = report.benchmarks
  .flatMap((file) => file.results)
  .map((result) => result.data as (SizeResult & { rounds: number }) | undefined)
  .filter((data): data is SizeResult & { rounds: number } => data?.count !== undefined);
if (sizes.length === 0) throw new Error('the results hold no watch benchmark');

const doc = readFileSync(docPath, 'utf8');
const start = doc.indexOf(START);
const end = doc.indexOf(END);
if (start < 0 || end < start) throw new Error(`docs/performance.md needs ${START} … ${END}`);
const generated = renderPerformanceTables(report, sizes);
const updated = await format(
  `${doc.slice(0, start + START.length)}\n\n${generated}\n\n${doc.slice(end)}`,
  { ...(await resolveConfig(docPath)), filepath: docPath.pathname },
);
writeFileSync(docPath, updated);
writeFileSync(svgPath, renderCpuPlot(sizes, report));
writeFileSync(
  kept,
  await format(JSON.stringify(report), {
    ...(await resolveConfig(kept)),
    filepath: kept.pathname,
  }),
);
console.log(
  `from ${inputs.map((input) => input.pathname).join(', ')}: wrote docs/performance.md, ` +
    'docs/images/performance-cpu.svg, docs/performance-results.json',
);
