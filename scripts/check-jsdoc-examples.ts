// Type-checks every ```ts block inside a JSDoc `@example` of packages/*/src (specs excepted), the
// way doctests keep Rust examples honest. Each example becomes one module under .examples/
// (git-ignored): a header importing the public API of the four packages, rxjs and client-node
// (minus the names the example imports or declares itself), then the example at module scope,
// so top-level `await` works. .examples/prelude.d.ts declares the few free names examples lean
// on (`api`, `widgets`, `Widget`, …). All examples go through one TypeScript program built from
// .examples/tsconfig.json (tsconfig.base.json with the `source` condition, like
// tsconfig.check.json); errors are reported as `file:line: message` at the JSDoc line.
// Run: npm run docs:examples   (the generated files stay in .examples/ for an editor or `tsc -p`)
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** One ```ts block of an `@example` tag, with where each of its lines sits in the source. */
export interface JsdocExample {
  /** Source file, relative to the repository root. */
  file: string;
  /** 1-based line of the `@example` tag. */
  tagLine: number;
  /** The code, comment prefixes (` * `) removed. */
  lines: string[];
  /** 1-based source line of each entry of `lines`. */
  sourceLines: number[];
}

/** A problem found in an example, located in the package source. */
export interface ExampleProblem {
  file: string;
  line: number;
  message: string;
}

const FENCE_OPEN = /^```(ts|typescript)\s*$/;
const FENCE_CLOSE = /^```\s*$/;
// The text of a doc-comment line without its leading `*` and the one space after it.
const COMMENT_LINE = /^\s*(?:\/\*\*|\*(?!\/))? ?(.*)$/;

/**
 * Extracts the ```ts blocks of every `@example` tag of `text`. A tag's content runs to the next
 * block tag (`@param`, …) or the end of its comment; fences outside `@example` are ignored.
 */
export function extractExamples(text: string, file: string): JsdocExample[] {
  const examples: JsdocExample[] = [];
  const lines = text.split('\n');
  let inComment = false;
  let tagLine: number | undefined;
  let current: JsdocExample | undefined;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    if (!inComment) {
      if (!/^\s*\/\*\*/.test(raw)) continue;
      inComment = true;
    }
    const closes = raw.includes('*/');
    const content = (COMMENT_LINE.exec(raw.replace(/\s*\*\/.*$/, ''))?.[1] ?? '').replace(
      /\s+$/,
      '',
    );
    if (current) {
      if (FENCE_CLOSE.test(content.trim())) {
        examples.push(current);
        current = undefined;
      } else {
        current.lines.push(content);
        current.sourceLines.push(index + 1);
      }
    } else if (/^\s*@example\b/.test(content)) {
      tagLine = index + 1;
    } else if (/^\s*@\w/.test(content)) {
      tagLine = undefined;
    } else if (tagLine !== undefined && FENCE_OPEN.test(content.trim())) {
      current = { file, tagLine, lines: [], sourceLines: [] };
    }
    if (closes) {
      if (current) {
        // An unclosed fence: check what there is, the compiler will point at it if it is wrong.
        examples.push(current);
        current = undefined;
      }
      inComment = false;
      tagLine = undefined;
    }
  }
  return examples;
}

/** Where the generated files go and what the header of each may import. */
export interface ExampleProgramConfig {
  /** Repository root: `outDir`, `tsconfig.base.json` and the example files are relative to it. */
  root: string;
  /** Folder of the generated files, relative to `root`. Default `.examples`. */
  outDir?: string;
  /**
   * Module specifiers whose exports an example may use without importing them, first match
   * wins; relative ones are relative to `root`. The example's own source module comes last.
   */
  modules: readonly string[];
}

interface Generated {
  example: JsdocExample;
  /** Lines of the generated file before the example's first line. */
  offset: number;
}

/**
 * Writes one module per example (and a tsconfig) to `outDir`, type-checks them all in one
 * program, and returns the problems, mapped back to the example's source lines.
 */
export function checkExamples(
  examples: readonly JsdocExample[],
  config: ExampleProgramConfig,
): ExampleProblem[] {
  const outDir = join(config.root, config.outDir ?? '.examples');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const tsconfigPath = join(outDir, 'tsconfig.json');
  writeFileSync(
    tsconfigPath,
    tsconfigText(relativeSpecifier(outDir, join(config.root, 'tsconfig.base.json'))),
  );
  const options = readOptions(tsconfigPath);

  // A first program over one file that imports every module, to learn what each exports; the
  // second reuses its parsed files, so the packages are parsed once. A target is a bare
  // specifier or an absolute path.
  const publicTargets = config.modules.map((specifier) =>
    specifier.startsWith('.') ? join(config.root, specifier) : specifier,
  );
  const targets = [
    ...publicTargets,
    ...new Set(examples.map((example) => join(config.root, example.file))),
  ];
  const specifierFrom = (dir: string, target: string): string =>
    target.startsWith('/') ? relativeSpecifier(dir, target) : target;
  const exportsPath = join(outDir, 'exports.ts');
  writeFileSync(
    exportsPath,
    targets
      .map((target, index) => `export * as m${index} from '${specifierFrom(outDir, target)}';`)
      .join('\n') + '\n',
  );
  const host = ts.createCompilerHost(options);
  const first = ts.createProgram({ rootNames: [exportsPath], options, host });
  const exported = new Map(
    exportsOf(first, exportsPath).map((names, index) => [targets[index], names]),
  );

  const generated = new Map<string, Generated>();
  const seen = new Map<string, number>();
  for (const example of examples) {
    const stem = `${example.file.replace(/\.ts$/, '')}.L${example.tagLine}`;
    const count = (seen.get(stem) ?? 0) + 1;
    seen.set(stem, count);
    const path = join(outDir, count === 1 ? `${stem}.ts` : `${stem}.${count}.ts`);
    const modules = [...publicTargets, join(config.root, example.file)].map((target) => ({
      specifier: specifierFrom(dirname(path), target),
      names: exported.get(target) ?? [],
    }));
    const sourceDir = dirname(join(config.root, example.file));
    const { text, offset } = exampleModule(example.lines, modules, (specifier) =>
      relativeSpecifier(dirname(path), join(sourceDir, specifier)),
    );
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    generated.set(ts.sys.resolvePath(path), { example, offset });
  }
  rmSync(exportsPath);

  const program = ts.createProgram({
    rootNames: [...generated.keys()],
    options,
    host,
    oldProgram: first,
  });
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const file of program.getSourceFiles()) {
    if (!generated.has(ts.sys.resolvePath(file.fileName))) continue;
    diagnostics.push(
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    );
  }
  return diagnostics.map((diagnostic) => locate(diagnostic, generated, config.root));
}

function locate(
  diagnostic: ts.Diagnostic,
  generated: ReadonlyMap<string, Generated>,
  root: string,
): ExampleProblem {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ');
  const file = diagnostic.file;
  if (!file || diagnostic.start === undefined) return { file: '<tsconfig>', line: 0, message };
  const line = file.getLineAndCharacterOfPosition(diagnostic.start).line;
  const entry = generated.get(ts.sys.resolvePath(file.fileName));
  if (!entry) return { file: relative(root, file.fileName), line: line + 1, message };
  const { example, offset } = entry;
  return {
    file: example.file,
    line: example.sourceLines[line - offset] ?? example.tagLine,
    message,
  };
}

function tsconfigText(base: string): string {
  const tsconfig = {
    extends: base,
    compilerOptions: {
      noEmit: true,
      declaration: false,
      declarationMap: false,
      customConditions: ['@kube-rx/source'],
      // Examples of test helpers use Jest's globals.
      types: ['node', 'jest'],
    },
    include: ['**/*.ts'],
  };
  return `${JSON.stringify(tsconfig, null, 2)}\n`;
}

function readOptions(tsconfigPath: string): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`cannot read ${tsconfigPath}`);
  // The files are written after the options are read; "no inputs" (18003) is not a problem.
  const errors = parsed.errors.filter((diagnostic) => diagnostic.code !== 18003);
  if (errors.length > 0) {
    throw new Error(ts.formatDiagnostics(errors, formatHost));
  }
  return parsed.options;
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => '\n',
};

/** An import specifier for `target` from a file in `fromDir` (`./x.js` for `x.ts`). */
function relativeSpecifier(fromDir: string, target: string): string {
  const path = relative(fromDir, target)
    .split(sep)
    .join('/')
    .replace(/(\.d)?\.ts$/, '.js');
  return path.startsWith('.') ? path : `./${path}`;
}

/** For each `export * as mN from 'specifier'` of `path`, in order: the names it exports. */
function exportsOf(program: ts.Program, path: string): ExportedName[][] {
  const checker = program.getTypeChecker();
  const statements: readonly ts.Statement[] = program.getSourceFile(path)?.statements ?? [];
  return statements.filter(ts.isExportDeclaration).map((statement) => {
    const specifier = statement.moduleSpecifier;
    const module = specifier && checker.getSymbolAtLocation(specifier);
    if (!module) throw new Error(`${path}: cannot resolve ${specifier?.getText() ?? 'a module'}`);
    return checker.getExportsOfModule(module).map((symbol) => ({
      name: symbol.name,
      typeOnly: isTypeOnly(checker, symbol),
    }));
  });
}

interface ExportedName {
  name: string;
  /** Exported with `export type`, or not a value: must be imported with `import type`. */
  typeOnly: boolean;
}

function isTypeOnly(checker: ts.TypeChecker, symbol: ts.Symbol): boolean {
  let current = symbol;
  for (let depth = 0; current.flags & ts.SymbolFlags.Alias && depth < 50; depth++) {
    const typeOnlyAlias = current.declarations?.some(
      (declaration) =>
        (ts.isExportSpecifier(declaration) &&
          (declaration.isTypeOnly || declaration.parent.parent.isTypeOnly)) ||
        (ts.isExportDeclaration(declaration) && declaration.isTypeOnly),
    );
    if (typeOnlyAlias) return true;
    const next = checker.getImmediateAliasedSymbol(current);
    if (!next) break;
    current = next;
  }
  return (current.flags & ts.SymbolFlags.Value) === 0;
}

/**
 * The generated module of one example: imports of the exported names the example mentions but
 * neither imports nor declares itself, then the example. An example without imports of its own
 * is wrapped in an async function, so that `await` and `return` (an excerpt of a reconciler)
 * work and its names never clash with the imports. Relative imports of the example (an example
 * of an internal module importing its neighbours) go through `rebase`.
 */
export function exampleModule(
  lines: readonly string[],
  modules: readonly { specifier: string; names: readonly ExportedName[] }[],
  rebase: (specifier: string) => string = (specifier) => specifier,
): { text: string; offset: number } {
  const source = ts.createSourceFile('example.ts', lines.join('\n'), ts.ScriptTarget.Latest, false);
  let body = source.text;
  const relativeImports = source.statements
    .filter(ts.isImportDeclaration)
    .map((statement) => statement.moduleSpecifier)
    .filter((specifier) => ts.isStringLiteral(specifier) && specifier.text.startsWith('.'));
  for (const specifier of relativeImports.reverse()) {
    const rebased = `'${rebase((specifier as ts.StringLiteral).text)}'`;
    body = body.slice(0, specifier.getStart(source)) + rebased + body.slice(specifier.getEnd());
  }
  const mentioned = identifiers(source);
  const taken = topLevelNames(source);
  const header: string[] = [];
  for (const { specifier, names } of modules) {
    const picked: string[] = [];
    for (const { name, typeOnly } of names) {
      if (!mentioned.has(name) || taken.has(name)) continue;
      taken.add(name);
      picked.push(typeOnly ? `type ${name}` : name);
    }
    if (picked.length > 0) header.push(`import { ${picked.join(', ')} } from '${specifier}';`);
  }
  const moduleScope = source.statements.some(
    (statement) => ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement),
  );
  if (moduleScope) return { text: `${[...header, body].join('\n')}\n`, offset: header.length };
  header.push('export async function example() {');
  return { text: `${[...header, body, '}'].join('\n')}\n`, offset: header.length };
}

function identifiers(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

function topLevelNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) {
      names.add(name.text);
      return;
    }
    for (const element of name.elements)
      if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) names.add(element.name.text);
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations)
        addBinding(declaration.name);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** Every `.ts` file under packages/*\/src except specs, relative to `root`, sorted. */
export function exampleSourceFiles(root: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(join(root, 'packages'))) {
    const src = join(root, 'packages', name, 'src');
    let entries: string[];
    try {
      entries = readdirSync(src, { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.endsWith('.ts') && !entry.endsWith('.spec.ts') && !entry.endsWith('.d.ts')) {
        files.push(relative(root, join(src, entry)).split(sep).join('/'));
      }
    }
  }
  return files.sort();
}

/** What an example may use without importing it, in this order (the first export of a name wins). */
const MODULES = [
  '@kube-rx/core',
  '@kube-rx/watcher',
  '@kube-rx/controller',
  '@kube-rx/testing',
  'rxjs',
  './scripts/check-jsdoc-examples.prelude.d.ts',
  '@kubernetes/client-node',
];

function main(): void {
  const started = performance.now();
  const root = fileURLToPath(new URL('..', import.meta.url));
  const examples = exampleSourceFiles(root).flatMap((file) =>
    extractExamples(readFileSync(join(root, file), 'utf8'), file),
  );
  const problems = checkExamples(examples, { root, modules: MODULES });
  for (const problem of problems) {
    console.error(`${problem.file}:${problem.line}: ${problem.message}`);
  }
  const files = new Set(examples.map((example) => example.file)).size;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${examples.length} JSDoc example(s) checked in ${files} file(s), ${problems.length} problem(s) (${seconds} s)`,
  );
  process.exitCode = problems.length > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
