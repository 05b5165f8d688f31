// Verifies that every code block in docs/*.md and README.md marked with
//   <!-- snippet: docs/examples/file.ts -->          (the whole file; also a .json file, shown
//                                                     in a ```json block)
//   <!-- snippet: docs/examples/file.ts#region -->   (the lines between `// #region region` and
//                                                     `// #endregion` in that file)
//   <!-- prettier-ignore -->                          (so that Prettier leaves the block alone)
// right before its opening fence shows exactly that code, so that what readers copy is
// what `npm run typecheck` (and, for *.spec.ts, `npm test`) checked. Sources live under
// docs/examples/ or docs/getting-started/ (the guide's project, which
// scripts/check-getting-started.sh installs and runs outside the repository). Region marker
// lines inside the shown code are left out.
// Run: npm run docs:snippets   (add --fix to rewrite the blocks)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fix = process.argv.includes('--fix');
const MARKER = /^<!--\s*snippet:\s*([^#\s]+)(?:#([\w-]+))?\s*-->\s*$/;
const REGION_START = /^\s*\/\/\s*#region\s+([\w-]+)\s*$/;
const REGION_END = /^\s*\/\/\s*#endregion\b.*$/;
const IGNORE = '<!-- prettier-ignore -->';
const SOURCE_FOLDERS = ['docs/examples/', 'docs/getting-started/'];

interface Problem {
  file: string;
  line: number;
  message: string;
}

const markdownFiles = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
];

const problems: Problem[] = [];
let checked = 0;
for (const file of markdownFiles) {
  const path = join(root, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  let changed = false;
  for (let index = 0; index < lines.length; index++) {
    const marker = MARKER.exec(lines[index] ?? '');
    if (!marker) continue;
    const [, source = '', region] = marker;
    const at = { file, line: index + 1 };
    // Between the marker and the fence: blank lines and the prettier-ignore comment that keeps
    // Prettier from reformatting the block (it would no longer equal the file).
    let fenceAt = index + 1;
    let ignored = false;
    while (
      fenceAt < lines.length &&
      /^\s*$|^<!--\s*prettier-ignore\s*-->\s*$/.test(lines[fenceAt] ?? '')
    ) {
      if (/prettier-ignore/.test(lines[fenceAt] ?? '')) ignored = true;
      fenceAt++;
    }
    const language = source.endsWith('.json') ? 'json' : 'ts';
    const fence = language === 'json' ? /^```json\s*$/ : /^```(ts|typescript)\s*$/;
    if (!fence.test(lines[fenceAt] ?? '')) {
      problems.push({
        ...at,
        message: `a snippet marker must be followed by a \`\`\`${language} fence`,
      });
      continue;
    }
    if (!ignored || fenceAt !== index + 2) {
      if (fix) {
        lines.splice(index + 1, fenceAt - index - 1, IGNORE);
        changed = true;
        fenceAt = index + 2;
      } else {
        problems.push({ ...at, message: `put "${IGNORE}" right between the marker and the fence` });
        continue;
      }
    }
    const close = lines.findIndex((line, i) => i > fenceAt && /^```\s*$/.test(line));
    if (close === -1) {
      problems.push({ ...at, message: 'code block is not closed' });
      continue;
    }
    let expected: string[];
    try {
      expected = snippetLines(source, region);
    } catch (error) {
      problems.push({ ...at, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    checked++;
    const shown = lines.slice(fenceAt + 1, close);
    const difference = firstDifference(shown, expected);
    if (difference === undefined) continue;
    if (fix) {
      lines.splice(fenceAt + 1, close - fenceAt - 1, ...expected);
      changed = true;
      continue;
    }
    problems.push({
      ...at,
      message:
        `block differs from ${source}${region ? `#${region}` : ''} at its line ${difference + 1}:\n` +
        `    shown:    ${JSON.stringify(shown[difference] ?? '<end of block>')}\n` +
        `    expected: ${JSON.stringify(expected[difference] ?? '<end of snippet>')}`,
    });
  }
  if (changed) {
    writeFileSync(path, lines.join('\n'));
    console.log(`rewrote snippets in ${file}`);
  }
}

for (const problem of problems) {
  console.error(`${problem.file}:${problem.line}: ${problem.message}`);
}
console.log(
  `${checked} snippet(s) checked in ${markdownFiles.length} file(s), ${problems.length} problem(s)`,
);
process.exitCode = problems.length > 0 ? 1 : 0;

function snippetLines(source: string, region: string | undefined): string[] {
  const path = join(root, source);
  const inRepo = relative(root, path);
  if (!SOURCE_FOLDERS.some((folder) => inRepo.startsWith(folder))) {
    throw new Error(`snippet source ${source} is not under ${SOURCE_FOLDERS.join(' or ')}`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`snippet source ${source} does not exist`);
  }
  let lines = text.replace(/\n$/, '').split('\n');
  if (region !== undefined) {
    const start = lines.findIndex((line) => REGION_START.exec(line)?.[1] === region);
    if (start === -1) throw new Error(`no "// #region ${region}" in ${source}`);
    let depth = 0;
    let end = -1;
    for (let i = start + 1; i < lines.length; i++) {
      if (REGION_START.test(lines[i] ?? '')) depth++;
      else if (REGION_END.test(lines[i] ?? '')) {
        if (depth === 0) {
          end = i;
          break;
        }
        depth--;
      }
    }
    if (end === -1) throw new Error(`region ${region} in ${source} has no "// #endregion"`);
    lines = lines.slice(start + 1, end);
  }
  return lines.filter((line) => !REGION_START.test(line) && !REGION_END.test(line));
}

function firstDifference(shown: string[], expected: string[]): number | undefined {
  const length = Math.max(shown.length, expected.length);
  for (let i = 0; i < length; i++) if (shown[i] !== expected[i]) return i;
  return undefined;
}
