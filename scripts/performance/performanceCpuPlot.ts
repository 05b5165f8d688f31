// docs/images/performance-cpu.svg: client CPU time against N for every contender of the watch
// benchmark (median, with a min–max bar), hand-written SVG in the style of plot-backoff.ts.
import type { SizeResult } from '../../bench/watch/watchBench.js';
import type { BenchReport } from './performanceTables.js';

const COLORS = ['#1b9e77', '#66a61e', '#7570b3', '#e7298a', '#a6761d', '#d95f02', '#444444'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A round step for about five grid lines up to `max`. */
function niceStep(max: number): number {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const scaled = rough / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

/** The SVG document. */
export function renderCpuPlot(sizes: SizeResult[], report: BenchReport): string {
  const width = 900;
  const height = 460;
  const margin = { top: 60, right: 330, bottom: 56, left: 72 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const counts = sizes.map((size) => size.count);
  const maxCount = Math.max(...counts);
  const maxCpu = Math.max(
    ...sizes.flatMap((size) => size.contenders.map((c) => c.summary.cpuMs.max)),
  );
  const yStep = niceStep(maxCpu);
  const yMax = Math.ceil(maxCpu / yStep) * yStep;
  const xStep = niceStep(maxCount);
  const x = (count: number) => margin.left + (count / maxCount) * plotWidth;
  const y = (ms: number) => margin.top + plotHeight - (ms / yMax) * plotHeight;
  const f = (value: number) => value.toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="24" font-size="16" font-weight="bold">Client CPU time: list N ConfigMaps, then N updates</text>`,
    `<text x="${margin.left}" y="42" fill="#555">median of each contender's fresh-process runs, bar = min–max; ${escapeXml(report.date.slice(0, 10))}, Node ${escapeXml(report.node)}, ${report.cpuCount} shared cores</text>`,
  ];
  for (let ms = 0; ms <= yMax; ms += yStep) {
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${f(y(ms))}" y2="${f(y(ms))}" stroke="#e5e5e5"/>`,
      `<text x="${margin.left - 8}" y="${f(y(ms) + 4)}" text-anchor="end">${(ms / 1000).toLocaleString('en-US')} s</text>`,
    );
  }
  for (let count = 0; count <= maxCount; count += xStep) {
    parts.push(
      `<line x1="${f(x(count))}" x2="${f(x(count))}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight + 5}" stroke="#333"/>`,
      `<text x="${f(x(count))}" y="${margin.top + plotHeight + 20}" text-anchor="middle">${count.toLocaleString('en-US')}</text>`,
    );
  }
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 14}" text-anchor="middle">N (objects listed, then updated once each)</text>`,
    `<text transform="translate(20 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">CPU time (user + system)</text>`,
  );
  const contenders = sizes[0]!.contenders;
  contenders.forEach((contender, index) => {
    const color = COLORS[index % COLORS.length]!;
    const dashed = contender.id === 'informer' || contender.id === 'floor';
    const points = sizes.map((size) => {
      const summary = size.contenders.find((c) => c.id === contender.id)!.summary.cpuMs;
      return { count: size.count, ...summary };
    });
    parts.push(
      `<polyline points="${points.map((p) => `${f(x(p.count))},${f(y(p.median))}`).join(' ')}" fill="none" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="6 3"' : ''}/>`,
    );
    for (const p of points) {
      const px = x(p.count) + (index - (contenders.length - 1) / 2) * 3;
      parts.push(
        `<line x1="${f(px)}" x2="${f(px)}" y1="${f(y(p.min))}" y2="${f(y(p.max))}" stroke="${color}" stroke-width="1.5"/>`,
        `<circle cx="${f(x(p.count))}" cy="${f(y(p.median))}" r="3" fill="${color}"/>`,
      );
    }
    const rowY = margin.top + 8 + index * 22;
    const legendX = margin.left + plotWidth + 20;
    const last = points[points.length - 1]!;
    parts.push(
      `<line x1="${legendX}" x2="${legendX + 18}" y1="${rowY}" y2="${rowY}" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="6 3"' : ''}/>`,
      `<text x="${legendX + 26}" y="${rowY + 4}">${escapeXml(contender.label)}: ${(last.median / 1000).toFixed(2)} s</text>`,
    );
  });
  parts.push(
    `<text x="${margin.left + plotWidth + 20}" y="${margin.top + 8 + contenders.length * 22 + 10}" fill="#555">(legend: median at N = ${maxCount.toLocaleString('en-US')})</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
