import type { SoakReport } from './runSoak.js';

/** A soak report as a Markdown table (what docs/reliability.md shows). */
export function soakTable(report: SoakReport): string {
  const faults = Object.entries(report.faults)
    .filter(([, count]) => count > 0)
    .map(([name, count]) => `${name} ×${count}`)
    .join(', ');
  const rows: Array<[string, string]> = [
    ['seed', String(report.seed)],
    ['duration of writes and faults', `${report.durationSeconds} s`],
    ['widgets at start (each owning a ConfigMap)', String(report.objects)],
    [
      'writer',
      `${report.writer.creates} creates, ${report.writer.updates} updates, ${report.writer.deletes} deletes, ${report.writer.failures} failed writes`,
    ],
    ['faults injected', faults],
    ['reconciles / cleanups', `${report.reconciles} / ${report.cleanups}`],
    ['overlapping reconciles of one key', String(report.overlaps)],
    [
      `requests during a ${report.outage.seconds} s full outage (every key asked to reconcile at its start)`,
      `${report.outage.requests}; ${report.outage.secondHalfRequests} in its second half (bound ${report.outage.bound})`,
    ],
    [
      'graceful shutdown mid-run',
      `${report.shutdown.seconds.toFixed(2)} s, ${report.shutdown.runningAfter} runs left`,
    ],
    ['converged after the faults stopped', `${report.convergedAfterSeconds.toFixed(1)} s`],
    [
      'runs after convergence (queued relist and retry requests; nothing changed), then quiet',
      `${report.afterConvergence.runs} runs, the last ${report.afterConvergence.quietAfterSeconds.toFixed(1)} s after convergence`,
    ],
    ['unhandled rejections', String(report.unhandledRejections)],
    ['malformed watch lines skipped and reported', String(report.invalidItems)],
    ['heap used (MiB, each tenth of the run, then the end)', report.heapMiB.join(' → ')],
    ['requests served', String(report.totalRequests)],
    [
      'invariants',
      report.violations.length === 0 ? 'all held' : `${report.violations.length} violated`,
    ],
  ];
  return ['| measure | value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join(
    '\n',
  );
}
