import type { ErrorClassification } from '@kube-rx/core';
import type { DemoStats, RecordedCondition } from './demoStats.js';
import type { DesiredStateReport } from './desiredState.js';
import type { FaultScriptReport } from './faultScript.js';
import type { HandoverReport } from './handover.js';

/** What a demo run did and where it ended. */
export interface DemoSummary {
  durationMs: number;
  reconciles: number;
  errors: Record<ErrorClassification, number>;
  /** Client-level retries (429/503/504 inside the Api). */
  clientRetries: number;
  /** Requeues decided by the error policy after failed reconciles. */
  policyRequeues: number;
  /** Per-key backoffs reset by a success after failures. */
  backoffResets: number;
  /** WATCH requests beyond the first of each watched resource (embedded server only). */
  watchRestarts: number | undefined;
  /** LIST requests beyond the first of each watched resource (embedded server only). */
  relists: number | undefined;
  /** Permanent errors recorded as conditions, in order. */
  conditions: RecordedCondition[];
  /** What the fault script observed (embedded server only). */
  script: FaultScriptReport | undefined;
  /** Final state compared with the desired state. */
  finalState: DesiredStateReport | undefined;
  /** Two replicas under one Lease: the leader stopped, the warm standby took over (embedded server only). */
  handover: HandoverReport | undefined;
  /** Whether the final state equals the desired state. */
  converged: boolean;
}

/** Gathers a {@link DemoSummary}. */
export function summarize(input: {
  startedAt: number;
  stats: DemoStats;
  watchCounts: { watches: number; lists: number; resources: number } | undefined;
  script: FaultScriptReport | undefined;
  finalState: DesiredStateReport | undefined;
  /** The scripted run must have played every step to count as converged. */
  scriptRequired: boolean;
  handover?: HandoverReport | undefined;
}): DemoSummary {
  const { stats, watchCounts } = input;
  return {
    durationMs: Date.now() - input.startedAt,
    reconciles: stats.reconciles,
    errors: { ...stats.errors },
    clientRetries: stats.clientRetries,
    policyRequeues: stats.policyRequeues,
    backoffResets: stats.backoffResets,
    watchRestarts: watchCounts && Math.max(0, watchCounts.watches - watchCounts.resources),
    relists: watchCounts && Math.max(0, watchCounts.lists - watchCounts.resources),
    conditions: [...stats.conditions],
    script: input.script,
    finalState: input.finalState,
    handover: input.handover,
    converged:
      (input.finalState?.converged ?? false) &&
      (!input.scriptRequired || input.script !== undefined),
  };
}

/** The summary as two text tables (totals, then one row per generator). */
export function formatSummary(summary: DemoSummary): string {
  const totals: [string, string][] = [
    ['run time', `${(summary.durationMs / 1000).toFixed(1)} s`],
    ['reconciles', String(summary.reconciles)],
    ['errors: transient', String(summary.errors.transient)],
    ['errors: permanent', String(summary.errors.permanent)],
    ['errors: conflict', String(summary.errors.conflict)],
    ['retries: client (429/503)', String(summary.clientRetries)],
    ['retries: error policy requeues', String(summary.policyRequeues)],
    ['per-key backoff resets', String(summary.backoffResets)],
    ['watch restarts', summary.watchRestarts === undefined ? 'n/a' : String(summary.watchRestarts)],
    ['relists', summary.relists === undefined ? 'n/a' : String(summary.relists)],
    ['permanent errors recorded as conditions', String(summary.conditions.length)],
    ['final state = desired state', summary.converged ? 'yes' : 'no'],
  ];
  const handover = summary.handover;
  if (handover) {
    totals.push(
      ['handover', `${handover.from} → ${handover.to} in ${handover.takeoverMs} ms`],
      [
        'handover: LISTs / reconciles by the new leader',
        `${handover.listsDuringHandover} / ${handover.reconciledByStandby}`,
      ],
      ['readiness transitions', handover.readiness.join(', ')],
    );
  }
  const parts = [table(['summary', ''], totals)];
  if (handover && handover.metricsExcerpt.length > 0) {
    parts.push(
      `/metrics of ${handover.to} (excerpt):\n${handover.metricsExcerpt.map((l) => `  ${l}`).join('\n')}`,
    );
  }
  const generators = summary.finalState?.generators ?? [];
  if (generators.length > 0) {
    const rows = generators.map((g): string[] => [
      g.name,
      String(g.generation ?? '-'),
      g.ready,
      `${g.configMaps}/${g.wantedConfigMaps}`,
      g.converged ? 'yes' : `no: ${g.problem ?? ''}`,
    ]);
    parts.push(table(['generator', 'generation', 'Ready', 'ConfigMaps', 'as desired'], rows));
  }
  const orphans = summary.finalState?.orphanedConfigMaps ?? [];
  if (orphans.length > 0) parts.push(`orphaned ConfigMaps: ${orphans.join(', ')}`);
  return parts.join('\n');
}

/** The summary as indented JSON (`{ "summary": ... }`, 2 spaces), one field a line. */
export function formatSummaryJson(summary: DemoSummary): string {
  return JSON.stringify({ summary }, null, 2);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `│ ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' │ ')} │`;
  const rule = (left: string, middle: string, right: string) =>
    `${left}${widths.map((width) => '─'.repeat(width + 2)).join(middle)}${right}`;
  return [
    rule('┌', '┬', '┐'),
    line(header),
    rule('├', '┼', '┤'),
    ...rows.map(line),
    rule('└', '┴', '┘'),
  ].join('\n');
}
