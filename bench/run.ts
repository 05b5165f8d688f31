// Runs every bench/*.bench.ts (or those whose name contains the filter argument), one after the
// other, each in a fresh Node process (so that no benchmark inherits another's heap, JIT state or
// leftover work), prints a table and writes bench/results/latest.json.
//
//   npm run bench                # all benchmarks
//   npm run bench -- scheduler   # only bench/*scheduler*.bench.ts
//   npm run bench -- --quick     # smaller sizes and fewer rounds (BENCH_QUICK=1 for the benchmarks)
//
// Besides bench/results/latest.json, each run is kept as bench/results/<date>.json.
// A benchmark file default-exports an async function returning one BenchResult or an array of
// them. `npm run bench` passes --expose-gc, so benchmarks can call globalThis.gc() to measure
// retained memory; run.ts also collects garbage between files.
import { fork } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What a benchmark reports: one row of the table. */
export interface BenchResult {
  /** Row title, e.g. `scheduler: 1M requests / 100k keys`. */
  name: string;
  /** Measured values, printed as `key value` pairs in the order given. Use units in keys (`ms`, `MB`, `/s`). */
  metrics: Record<string, number | string>;
  /** The target, in words (e.g. `≥ 1 000 000 requests/s`). */
  target?: string;
  /** Whether the target was met; omitted when there is no target. */
  pass?: boolean;
  /** How it was measured, caveats. */
  notes?: string;
  /** Raw figures for tools that read the results JSON (scripts/performance-doc.ts). */
  data?: unknown;
}

export type BenchFunction = () => Promise<BenchResult | BenchResult[]>;

interface FileOutcome {
  file: string;
  results: BenchResult[];
  error?: string;
}

const benchDir = dirname(fileURLToPath(import.meta.url));

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function formatValue(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function printTable(outcomes: FileOutcome[]): void {
  const rows: string[][] = [['benchmark', 'result', 'metrics']];
  for (const outcome of outcomes) {
    if (outcome.error !== undefined) {
      rows.push([basename(outcome.file), 'ERROR', outcome.error]);
      continue;
    }
    for (const result of outcome.results) {
      const status = result.pass === undefined ? '-' : result.pass ? 'PASS' : 'FAIL';
      const metrics = Object.entries(result.metrics)
        .map(([key, value]) => `${key} ${formatValue(value)}`)
        .join(' | ');
      rows.push([result.name, status, metrics]);
    }
  }
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const [index, row] of rows.entries()) {
    console.log(`${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`);
    if (index === 0) console.log(`${'-'.repeat(widths[0]!)}  ${'-'.repeat(widths[1]!)}  -------`);
  }
  for (const outcome of outcomes) {
    for (const result of outcome.results) {
      if (result.target !== undefined || result.notes !== undefined) {
        console.log(`\n${result.name}${result.target ? ` — target ${result.target}` : ''}`);
        if (result.notes) console.log(`  ${result.notes}`);
      }
    }
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--quick')) process.env.BENCH_QUICK = '1';
  const filter = args.find((arg) => !arg.startsWith('--'));
  const files = (await readdir(benchDir))
    .filter((file) => file.endsWith('.bench.ts'))
    .filter((file) => filter === undefined || file.includes(filter))
    .sort();
  if (files.length === 0) {
    console.error(`no bench/*.bench.ts file${filter === undefined ? '' : ` matches "${filter}"`}`);
    process.exitCode = 1;
    return;
  }
  if ((globalThis as { gc?: unknown }).gc === undefined) {
    console.warn('warning: run with --expose-gc (npm run bench does) for memory figures');
  }

  const outcomes: FileOutcome[] = [];
  for (const file of files) {
    console.log(`running ${file} ...`);
    const outcome = await runInChild(file);
    if (outcome.error !== undefined) process.exitCode = 1;
    outcomes.push(outcome);
  }

  console.log('');
  printTable(outcomes);

  const resultsDir = join(benchDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    filter: filter ?? null,
    quick: process.env.BENCH_QUICK === '1',
    benchmarks: outcomes,
  };
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const dated = `${report.date.replace(/[:.]/g, '-')}.json`;
  await writeFile(join(resultsDir, 'latest.json'), text);
  await writeFile(join(resultsDir, dated), text);
  console.log(
    `\nwrote ${join('bench', 'results', 'latest.json')} and ${join('bench', 'results', dated)}`,
  );
}

/** Runs one benchmark file in a fresh process with this process's Node flags. */
function runInChild(file: string): Promise<FileOutcome> {
  return new Promise((resolve) => {
    let outcome: FileOutcome | undefined;
    const child = fork(fileURLToPath(import.meta.url), ['--one', file], {
      execArgv: process.execArgv,
      stdio: 'inherit',
    });
    child.on('message', (message) => {
      outcome = message as FileOutcome;
    });
    child.on('exit', (code, signal) => {
      resolve(
        outcome ?? {
          file,
          results: [],
          error: `benchmark process exited with ${signal ?? `code ${String(code)}`}`,
        },
      );
    });
  });
}

/** In the child: runs `file`'s default export and sends its outcome to the parent. */
async function runOne(file: string): Promise<void> {
  collectGarbage();
  let outcome: FileOutcome;
  try {
    const module = (await import(pathToFileURL(join(benchDir, file)).href)) as {
      default?: unknown;
    };
    if (typeof module.default !== 'function') throw new TypeError('no default-exported function');
    const value = await (module.default as BenchFunction)();
    outcome = { file, results: Array.isArray(value) ? value : [value] };
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    outcome = { file, results: [], error: error instanceof Error ? error.message : String(error) };
  }
  await new Promise<void>((resolve) => process.send!(outcome, () => resolve()));
  process.disconnect();
  // A benchmark that left a handle open must not keep its process (and the whole run) waiting.
  setTimeout(() => process.exit(0), 1000).unref();
}

const one = process.argv.indexOf('--one');
if (one >= 0) await runOne(process.argv[one + 1]!);
else await main();
