// Draws docs/images/default-backoff.svg from the real defaultBackoffStrategy(): the jitter band
// of each retry (random = 0 gives the lowest delay, random = 1 the highest) and a few sampled
// runs with a seeded generator, so the picture is reproducible. Run: npm run docs:plot
import { writeFileSync } from 'node:fs';
import { defaultBackoffStrategy } from '@kube-rx/core';

const ATTEMPTS = 10;
const OUTPUT = new URL('../docs/images/default-backoff.svg', import.meta.url);

/** Delays in ms of the first `ATTEMPTS` retries with the given source of randomness. */
function delays(random: () => number): number[] {
  const state = defaultBackoffStrategy({ random })();
  return Array.from({ length: ATTEMPTS }, () => state.next() ?? Number.NaN);
}

/** A small seeded PRNG (mulberry32): the sampled runs are the same on every run of the script. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const low = delays(() => 0);
const high = delays(() => 1);
const samples = [7, 42, 1234].map((seed) => delays(seeded(seed)));

const width = 760;
const height = 440;
const margin = { top: 56, right: 190, bottom: 56, left: 64 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;
const maxSeconds = 32;
const x = (attempt: number) => margin.left + ((attempt - 1) / (ATTEMPTS - 1)) * plotWidth;
const y = (ms: number) => margin.top + plotHeight - (ms / 1000 / maxSeconds) * plotHeight;
const point = (ms: number, index: number) => `${x(index + 1).toFixed(1)},${y(ms).toFixed(1)}`;

const colors = ['#d95f02', '#7570b3', '#1b9e77'];
const parts: string[] = [];
parts.push(
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  `<text x="${margin.left}" y="24" font-size="16" font-weight="bold">defaultBackoffStrategy(): delay before each retry</text>`,
  `<text x="${margin.left}" y="42" fill="#555">800 ms × 2ⁿ, capped at 30 s, equal jitter: each delay is uniform in [d/2, d]</text>`,
);
// Grid and y axis (seconds).
for (let seconds = 0; seconds <= 30; seconds += 5) {
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y(seconds * 1000)}" y2="${y(seconds * 1000)}" stroke="#e5e5e5"/>`,
    `<text x="${margin.left - 8}" y="${y(seconds * 1000) + 4}" text-anchor="end">${seconds} s</text>`,
  );
}
// X axis (attempts).
for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
  parts.push(
    `<line x1="${x(attempt)}" x2="${x(attempt)}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight + 5}" stroke="#333"/>`,
    `<text x="${x(attempt)}" y="${margin.top + plotHeight + 20}" text-anchor="middle">${attempt}</text>`,
  );
}
parts.push(
  `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
  `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
  `<text x="${margin.left + plotWidth / 2}" y="${height - 14}" text-anchor="middle">retry</text>`,
  `<text transform="translate(18 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">delay</text>`,
);
// The jitter band: max delays left to right, then min delays right to left.
const band = [...high.map(point), ...low.map(point).reverse()].join(' ');
parts.push(
  `<polygon points="${band}" fill="#9ecae1" fill-opacity="0.45" stroke="none"/>`,
  `<polyline points="${high.map(point).join(' ')}" fill="none" stroke="#3182bd" stroke-width="1.5" stroke-dasharray="5 3"/>`,
  `<polyline points="${low.map(point).join(' ')}" fill="none" stroke="#3182bd" stroke-width="1.5" stroke-dasharray="2 3"/>`,
);
samples.forEach((run, index) => {
  const color = colors[index % colors.length] ?? '#000';
  parts.push(
    `<polyline points="${run.map(point).join(' ')}" fill="none" stroke="${color}" stroke-width="1.5"/>`,
  );
  for (const [attempt, ms] of run.entries()) {
    parts.push(`<circle cx="${x(attempt + 1)}" cy="${y(ms)}" r="3" fill="${color}"/>`);
  }
});
// Legend.
const legendX = margin.left + plotWidth + 20;
const legend: [string, string][] = [
  ['stroke="#3182bd" stroke-dasharray="5 3"', 'max (random = 1)'],
  ['stroke="#3182bd" stroke-dasharray="2 3"', 'min (random = 0)'],
  ...samples.map((_, index): [string, string] => [
    `stroke="${colors[index]}"`,
    `sampled run ${index + 1}`,
  ]),
];
parts.push(
  `<rect x="${legendX}" y="${margin.top}" width="14" height="14" fill="#9ecae1" fill-opacity="0.45"/>`,
);
parts.push(`<text x="${legendX + 22}" y="${margin.top + 11}">jitter band</text>`);
legend.forEach(([stroke, label], index) => {
  const rowY = margin.top + 28 + index * 22;
  parts.push(
    `<line x1="${legendX}" x2="${legendX + 14}" y1="${rowY}" y2="${rowY}" ${stroke} stroke-width="2"/>`,
    `<text x="${legendX + 22}" y="${rowY + 4}">${label}</text>`,
  );
});
// The numbers, for readers who want them.
const table = low.map((ms, index) => `${index + 1}: ${fmt(ms)}–${fmt(high[index] ?? ms)}`);
table.forEach((row, index) => {
  parts.push(`<text x="${legendX}" y="${margin.top + 170 + index * 16}" fill="#555">${row}</text>`);
});
parts.push('</svg>');

writeFileSync(OUTPUT, `${parts.join('\n')}\n`);
console.log(`wrote ${OUTPUT.pathname}`);
console.log(table.join('\n'));

function fmt(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
