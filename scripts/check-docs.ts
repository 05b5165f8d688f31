// Fails when a public export, or a member of a public type, has no doc comment. Runs TypeDoc once
// per package (typedoc.json: validation.notDocumented) with that package's index.ts as the only
// entry point, prints TypeDoc's report unchanged, then a summary; exits 1 when anything is
// undocumented or a TypeDoc run fails (e.g. the sources do not compile), 0 otherwise. Other
// validation warnings (links, types referenced but not exported) are reported but do not fail.
// Run: npm run docs:check
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
const packages = ['core', 'watcher', 'controller', 'testing'];
const UNDOCUMENTED = /does not have any documentation/;
// TypeDoc colours its output; matching must not depend on it.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

const counts: string[] = [];
const failedRuns: string[] = [];
let total = 0;
for (const name of packages) {
  const run = spawnSync(
    process.execPath,
    [
      typedoc,
      '--options',
      'typedoc.json',
      '--entryPoints',
      `packages/${name}/src/index.ts`,
      '--emit',
      'none',
      '--readme',
      'none',
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  process.stdout.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  const output = `${run.stdout ?? ''}\n${run.stderr ?? ''}`.replace(ANSI, '');
  const undocumented = output.split('\n').filter((line) => UNDOCUMENTED.test(line)).length;
  total += undocumented;
  counts.push(`${name} ${undocumented}`);
  if (run.status !== 0) {
    failedRuns.push(
      `${name} (${run.error?.message ?? `exit ${run.status ?? `signal ${run.signal}`}`})`,
    );
  }
}

console.log(`docs:check: undocumented: ${counts.join(', ')} (total ${total})`);
if (failedRuns.length > 0) console.error(`docs:check: TypeDoc failed for ${failedRuns.join(', ')}`);
if (total > 0 || failedRuns.length > 0) {
  console.error('docs:check: FAILED — every public export and member needs a doc comment');
  process.exit(1);
}
