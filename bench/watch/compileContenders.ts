// Compiles the contender side of the watch benchmark (every .ts file of this directory and of
// contenders/, specs excepted) to plain JavaScript in watch/.compiled/, so that contender
// processes run the way applications do: compiled JS, kube-rx from its built packages (dist/),
// without a TypeScript loader in the process (whose transforms and source maps would add to
// every contender's CPU time and heap). Type-only transpilation: `npm run typecheck` checks these
// files. Needs the packages built first (`npm run build`, which `npm run bench` does).
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = join(here, '..', '..');
/** Where the compiled contender side lives (git-ignored). */
export const COMPILED_DIR = join(here, '.compiled');

function sources(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry === '.compiled') continue;
    if (statSync(path).isDirectory()) files.push(...sources(path));
    else if (entry.endsWith('.ts') && !entry.endsWith('.spec.ts')) files.push(path);
  }
  return files;
}

/**
 * The built packages a contender loads must exist: a contender without them would fail to
 * import, and stale ones would measure old code. Fails with what to run.
 */
function checkBuilt(): void {
  for (const name of ['core', 'watcher']) {
    const built = join(repositoryRoot, 'packages', name, 'dist', 'index.js');
    if (!existsSync(built)) {
      throw new Error(`${relative(repositoryRoot, built)} is missing: run \`npm run build\` first`);
    }
  }
}

/** Compiles the contender side; returns the path of the compiled `contenderProcess.js`. */
export function compileContenders(): string {
  checkBuilt();
  rmSync(COMPILED_DIR, { recursive: true, force: true });
  for (const file of sources(here)) {
    const output = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2023,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: true,
        sourceMap: false,
      },
    });
    const target = join(COMPILED_DIR, relative(here, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
  }
  return join(COMPILED_DIR, 'contenderProcess.js');
}
