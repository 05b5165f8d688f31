import { readFileSync, writeFileSync } from 'node:fs';
import { expectedDifferences } from './expectedDifferences.js';
import { scenarios } from './scenarios.js';

/** Markers around the generated section of packages/testing/README.md. */
export const TABLE_START = '<!-- conformance-table:start (npm run conformance:table) -->';
export const TABLE_END = '<!-- conformance-table:end -->';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The README table: every conformance scenario and how the in-memory server compares. */
export function renderConformanceTable(): string {
  const rows = scenarios.map((scenario) => {
    const difference = expectedDifferences[scenario.id];
    const inMemory = difference === undefined ? 'same' : `**differs**: ${difference.note}`;
    return `| \`${scenario.id}\` | ${cell(scenario.title)} | ${cell(inMemory)} |`;
  });
  return [
    TABLE_START,
    // Kept as generated: prettier would realign the columns and the test compares verbatim.
    '<!-- prettier-ignore-start -->',
    '| scenario | what kube-apiserver v1.37 does (asserted) | in-memory server |',
    '| --- | --- | --- |',
    ...rows,
    '<!-- prettier-ignore-end -->',
    TABLE_END,
  ].join('\n');
}

/** `readme` with its generated section replaced by {@link renderConformanceTable}. */
export function withConformanceTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end < start) {
    throw new Error(`the README has no ${TABLE_START} ... ${TABLE_END} section`);
  }
  return readme.slice(0, start) + renderConformanceTable() + readme.slice(end + TABLE_END.length);
}

/** Rewrites the generated section of the README at `path`; true when it changed. */
export function writeConformanceTable(path: string): boolean {
  const before = readFileSync(path, 'utf8');
  const after = withConformanceTable(before);
  if (after !== before) writeFileSync(path, after);
  return after !== before;
}
