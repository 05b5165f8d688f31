// Checks the four packages as npm would publish them: packs each (`npm pack`, whose `prepack`
// rebuilds that package's dist/), then on each tarball
// - our own rules: dist/index.js, dist/index.d.ts, README.md, LICENSE and package.json inside;
//   no src/, no *.tsbuildinfo, no specs; no README link relative to the repository (they break
//   on npm); the private `@kube-rx/source` condition only points into src/;
// - publint (`--strict`: warnings fail too);
// - attw with `--profile esm-only`: the packages are ESM-only on purpose (`"type": "module"`,
//   `exports` without a `require` condition; @kubernetes/client-node 2.x itself is ESM-only), so
//   the two resolutions that profile ignores, `node10` and `node16 (from CJS)`, can only ever
//   report "ESM (dynamic import only)" (CJSResolvesToESM). On the Node versions we support
//   (>= 22.19) `require()` of ESM works anyway. Every other attw problem fails the check.
// Then a consumer check, from the extracted tarballs (not the workspace links): a strict
// TypeScript program that imports all four packages and type-checks their emitted .d.ts
// (skipLibCheck off, so a type stripped by `stripInternal` but still referenced fails here), and
// a plain `node` that imports each package by name; both with a `source` condition set, as many
// monorepos do, which must still resolve to dist/.
// Run: npm run check:packages   (after npm ci; it builds what it packs)
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = ['core', 'watcher', 'controller', 'testing'];
const bin = (name) => join(root, 'node_modules', '.bin', name);
const problems = [];
const fail = (message) => {
  problems.push(message);
  console.error(`check:packages: ${message}`);
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  if (result.error) throw result.error;
  return result;
}

// `npm run` passes the npm it runs as; plain `node scripts/check-packages.mjs` uses the one on PATH.
const npm = process.env.npm_execpath
  ? { command: process.execPath, prefix: [process.env.npm_execpath] }
  : { command: 'npm', prefix: [] };

const dest = mkdtempSync(join(tmpdir(), 'kube-rx-check-packages-'));
// The consumer lives inside the repository's node_modules so that what the tarballs do not
// contain (rxjs, client-node, undici, …) resolves from the repository's install, while
// @kube-rx/* resolves to the extracted tarballs (node_modules/.cache/…/node_modules/@kube-rx).
const consumer = join(root, 'node_modules', '.cache', 'kube-rx-check-packages');
rmSync(consumer, { recursive: true, force: true });
try {
  const tarballs = {};
  for (const name of packages) {
    const packed = run(
      npm.command,
      [...npm.prefix, 'pack', '--json', '--pack-destination', dest, '-w', `packages/${name}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (packed.status !== 0) {
      process.stderr.write(packed.stderr);
      fail(`npm pack of packages/${name} failed (exit ${packed.status})`);
      continue;
    }
    // npm prints the prepack script's output before the JSON.
    const json = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
    const [info] = json;
    const files = info.files.map((file) => file.path);
    tarballs[name] = join(dest, info.filename);
    console.log(
      `${info.name}: ${info.filename}, ${files.length} files, ${(info.size / 1024).toFixed(0)} kB packed, ${(info.unpackedSize / 1024).toFixed(0)} kB unpacked`,
    );
    for (const required of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'dist/index.d.ts',
    ]) {
      if (!files.includes(required)) fail(`${info.name}: ${required} is not in the tarball`);
    }
    for (const file of files) {
      if (file.startsWith('src/')) fail(`${info.name}: ships ${file} (only dist/ is published)`);
      if (file.endsWith('.tsbuildinfo')) fail(`${info.name}: ships the build cache ${file}`);
      if (/\.(spec|test)\.[cm]?[jt]s$/.test(file)) fail(`${info.name}: ships the test ${file}`);
    }
    const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    const source = manifest.exports?.['.']?.['@kube-rx/source'];
    if (source !== undefined && !source.startsWith('./src/')) {
      fail(`${info.name}: the @kube-rx/source condition points at ${source}, not into src/`);
    }
    if ('source' in (manifest.exports?.['.'] ?? {})) {
      fail(`${info.name}: exports a public "source" condition (use @kube-rx/source)`);
    }
    const readme = readFileSync(join(root, 'packages', name, 'README.md'), 'utf8');
    for (const match of readme.matchAll(/\]\((?!https?:|#|mailto:)([^)]+)\)/g)) {
      fail(`${info.name}: README.md links to ${match[1]}, which does not exist on npm`);
    }
  }

  for (const [name, tarball] of Object.entries(tarballs)) {
    const publint = run(bin('publint'), ['run', tarball, '--strict'], { stdio: 'inherit' });
    if (publint.status !== 0) fail(`publint found problems in @kube-rx/${name}`);
    const attw = run(
      bin('attw'),
      [tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'ascii'],
      { stdio: 'inherit' },
    );
    if (attw.status !== 0) fail(`attw found problems in @kube-rx/${name}`);
  }

  if (Object.keys(tarballs).length === packages.length) {
    for (const [name, tarball] of Object.entries(tarballs)) {
      const dir = join(consumer, 'node_modules', '@kube-rx', name);
      mkdirSync(dir, { recursive: true });
      const untar = run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
      if (untar.status !== 0) fail(`could not extract ${tarball}: ${untar.stderr}`);
      // Dependencies npm could not hoist (js-yaml 5, ajv 8 of @kube-rx/testing) stay nested.
      const nested = join(root, 'packages', name, 'node_modules');
      if (existsSync(nested)) symlinkSync(nested, join(dir, 'node_modules'), 'dir');
    }
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
    );
    writeFileSync(
      join(consumer, 'index.ts'),
      packages.map((name) => `export * as ${name} from '@kube-rx/${name}';\n`).join(''),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2023',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            exactOptionalPropertyTypes: true,
            noUncheckedIndexedAccess: true,
            skipLibCheck: false,
            noEmit: true,
            // A common monorepo setting: it must not reach our sources (they are not published,
            // and our condition is the private @kube-rx/source).
            customConditions: ['source'],
            types: ['node'],
            typeRoots: [join(root, 'node_modules', '@types')],
          },
          files: ['index.ts'],
        },
        null,
        2,
      ),
    );
    const tsc = run(
      bin('tsc'),
      ['-p', join(consumer, 'tsconfig.json'), '--pretty', 'false', '--listFiles'],
      { cwd: consumer },
    );
    const sources = tsc.stdout.split('\n').filter((line) => /@kube-rx\/[^/]+\/src\//.test(line));
    if (sources.length > 0) fail(`the consumer type-checks our sources: ${sources.join(', ')}`);
    // skipLibCheck is off for our .d.ts; errors inside third-party typings are not ours to fix.
    const ours = `${tsc.stdout}${tsc.stderr}`
      .split('\n')
      .filter(
        (line) => /error TS/.test(line) && /(^|\/)(index\.ts|node_modules\/@kube-rx\/)/.test(line),
      );
    for (const line of ours) console.error(line);
    if (ours.length > 0)
      fail(`the published .d.ts do not type-check in a consumer (${ours.length} errors)`);
    else
      console.log(
        'consumer: the published .d.ts of the four packages type-check (strict, skipLibCheck off, customConditions ["source"])',
      );

    for (const name of packages) {
      const imported = run(
        process.execPath,
        [
          '--conditions=source',
          '--input-type=module',
          '-e',
          `const m = await import('@kube-rx/${name}'); if (Object.keys(m).length === 0) throw new Error('no exports'); console.log(import.meta.resolve('@kube-rx/${name}'));`,
        ],
        { cwd: consumer },
      );
      const resolved = imported.stdout.trim();
      if (imported.status !== 0) {
        process.stderr.write(imported.stderr);
        fail(`node cannot import @kube-rx/${name} from its tarball`);
      } else if (
        !resolved.includes('/node_modules/.cache/kube-rx-check-packages/') ||
        !resolved.endsWith(`/@kube-rx/${name}/dist/index.js`)
      ) {
        fail(`@kube-rx/${name} resolved to ${resolved}, not to the extracted tarball`);
      } else {
        console.log(`consumer: node --conditions=source imports @kube-rx/${name} from dist/`);
      }
    }
  }
} finally {
  rmSync(dest, { recursive: true, force: true });
  rmSync(consumer, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`check:packages: FAILED (${problems.length} problems)`);
  process.exit(1);
}
console.log(`check:packages: ${packages.length} packages clean (publint, attw esm-only, consumer)`);
