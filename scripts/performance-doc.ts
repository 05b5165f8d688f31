// Regenerates the measured part of docs/performance.md (between the `performance:generated`
// markers) and docs/images/performance-cpu.svg from a results JSON written by `npm run bench`,
// and keeps a copy of that JSON as docs/performance-results.json, so the doc's numbers can be
// traced and redrawn. Run: npm run docs:performance [-- path/to/results.json]
// (default bench/results/latest.json; with no bench results, the kept copy is redrawn).
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';
import type { SizeResult } from '../bench/watch/watchBench.js';
import { renderPerformanceTables, type BenchReport } from './performance/performanceTables.js';
import { renderCpuPlot } from './performance/performanceCpuPlot.js';

const root = new URL('..', import.meta.url);
const kept = new URL('docs/performance-results.json', root);
const docPath = new URL('docs/performance.md', root);
const svgPath = new URL('docs/images/performance-cpu.svg', root);
const START = '<!-- performance:generated:start -->';
const END = '<!-- performance:generated:end -->';

const argument = process.argv[2];
const latest = new URL('bench/results/latest.json', root);
const source = argument !== undefined ? new URL(argument, `file://${process.cwd()}/`) : latest;
const input = existsSync(source) || argument !== undefined ? source : kept;
const report = JSON.parse(readFileSync(input, 'utf8')) as BenchReport;
const sizes: SizeResult[] = report.benchmarks
  .flatMap((file) => file.results)
  .map((result) => result.data as (SizeResult & { rounds: number }) | undefined)
  .filter((data): data is SizeResult & { rounds: number } => data?.count !== undefined);
if (sizes.length === 0) throw new Error(`${input.pathname} holds no watch benchmark results`);

const doc = readFileSync(docPath, 'utf8');
const start = doc.indexOf(START);
const end = doc.indexOf(END);
if (start < 0 || end < start) throw new Error(`docs/performance.md needs ${START} … ${END}`);
const generated = renderPerformanceTables(report, sizes);
const updated = await format(
  `${doc.slice(0, start + START.length)}\n\n${generated}\n\n${doc.slice(end)}`,
  { parser: 'markdown', filepath: docPath.pathname },
);
writeFileSync(docPath, updated);
writeFileSync(svgPath, renderCpuPlot(sizes, report));
if (input.href !== kept.href) copyFileSync(input, kept);
console.log(`from ${input.pathname}: wrote docs/performance.md, docs/images/performance-cpu.svg`);
