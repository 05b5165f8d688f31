/** One sample line of the Prometheus text exposition format. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A metric family: its `# TYPE`, `# HELP` and samples (`_bucket`/`_sum`/`_count` included). */
export interface PrometheusFamily {
  type: string;
  help: string;
  samples: PrometheusSample[];
}

const SUFFIXES: Record<string, string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

/**
 * Parses the Prometheus text format (version 0.0.4) as a scraper reads it: `# HELP` and
 * `# TYPE` lines open a family, samples are `name{label="value",...} value [timestamp]` with
 * escaped label values, and histogram samples belong to their family by suffix. Throws on a line
 * it cannot read, a sample of no declared family, or a family declared twice.
 */
export function parsePrometheusText(text: string): Map<string, PrometheusFamily> {
  const families = new Map<string, PrometheusFamily>();
  const familyOf = (sampleName: string): PrometheusFamily | undefined => {
    const exact = families.get(sampleName);
    if (exact !== undefined) return exact;
    for (const [name, family] of families) {
      for (const suffix of SUFFIXES[family.type] ?? []) {
        if (sampleName === name + suffix) return family;
      }
    }
    return undefined;
  };
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment !== null) {
      const [, keyword, name, rest] = comment as unknown as [string, string, string, string];
      let family = families.get(name);
      if (family === undefined) {
        family = { type: 'untyped', help: '', samples: [] };
        families.set(name, family);
      }
      if (keyword === 'HELP') family.help = rest;
      else {
        if (family.type !== 'untyped') throw new Error(`line ${index + 1}: ${name} typed twice`);
        family.type = rest;
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = parseSample(line, index + 1);
    const family = familyOf(sample.name);
    if (family === undefined) throw new Error(`line ${index + 1}: ${sample.name} has no # TYPE`);
    family.samples.push(sample);
  }
  return families;
}

function parseSample(line: string, lineNumber: number): PrometheusSample {
  const head = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (head === null) throw new Error(`line ${lineNumber}: cannot read ${JSON.stringify(line)}`);
  const name = head[1]!;
  let position = name.length;
  const labels: Record<string, string> = {};
  if (line[position] === '{') {
    position += 1;
    while (line[position] !== '}') {
      const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(position));
      if (label === null) throw new Error(`line ${lineNumber}: bad label in ${line}`);
      position += label[0].length;
      let value = '';
      while (line[position] !== '"') {
        if (position >= line.length) throw new Error(`line ${lineNumber}: unterminated label`);
        if (line[position] === '\\') {
          const escaped = line[position + 1];
          value += escaped === 'n' ? '\n' : escaped;
          position += 2;
        } else {
          value += line[position];
          position += 1;
        }
      }
      labels[label[1]!] = value;
      position += 1;
      if (line[position] === ',') position += 1;
    }
    position += 1;
  }
  const [valueText] = line.slice(position).trim().split(/\s+/);
  const value =
    valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
  if (valueText === undefined || (Number.isNaN(value) && valueText !== 'NaN')) {
    throw new Error(`line ${lineNumber}: bad value in ${line}`);
  }
  return { name, labels, value };
}
