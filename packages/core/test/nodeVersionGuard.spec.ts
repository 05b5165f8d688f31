import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MINIMUM_NODE_VERSION, unsupportedNodeMessage } from '../src/nodeVersionGuard.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('unsupportedNodeMessage', () => {
  test.each(['22.19.0', '22.20.1', '23.0.0', '24.21.0', '100.0.0'])('%s is supported', (v) => {
    expect(unsupportedNodeMessage(v)).toBeUndefined();
  });

  test.each(['22.18.9', '22.0.0', '20.20.2', '18.19.1', '16.0.0'])('%s is not', (version) => {
    const message = unsupportedNodeMessage(version);
    expect(message).toMatch(
      new RegExp(
        `^kube-rx needs Node\\.js >= 22\\.19 \\(found v${version.replace(/\./g, '\\.')}\\): `,
      ),
    );
    expect(message).not.toContain('\n');
  });

  test('an unknown version (not Node.js) is let through', () => {
    expect(unsupportedNodeMessage(undefined)).toBeUndefined();
    expect(unsupportedNodeMessage('')).toBeUndefined();
    expect(unsupportedNodeMessage('x.y')).toBeUndefined();
  });

  test('matches the engines field of every published package', () => {
    for (const name of ['core', 'watcher', 'controller', 'testing']) {
      const manifest = JSON.parse(
        readFileSync(join(repoRoot, 'packages', name, 'package.json'), 'utf8'),
      ) as { engines: { node: string } };
      expect(manifest.engines.node).toBe(`>=${MINIMUM_NODE_VERSION}`);
    }
  });
});

// A Node.js older than 22.19 on this machine (e.g. the system's /usr/bin/node, while npm scripts
// run the pinned Node 24), or KUBE_RX_OLD_NODE=/path/to/node.
function findOldNode(): { path: string; version: string } | undefined {
  const candidates = new Set<string>();
  if (process.env['KUBE_RX_OLD_NODE']) candidates.add(process.env['KUBE_RX_OLD_NODE']);
  const which = spawnSync('which', ['-a', 'node'], { encoding: 'utf8' });
  for (const line of (which.stdout ?? '').split('\n')) if (line.trim()) candidates.add(line.trim());
  for (const path of ['/usr/bin/node', '/usr/local/bin/node']) candidates.add(path);
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const run = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    const version = run.stdout?.trim();
    if (run.status === 0 && version && unsupportedNodeMessage(version) !== undefined) {
      return { path, version };
    }
  }
  return undefined;
}

const oldNode = findOldNode();
if (oldNode === undefined) {
  console.log(
    'nodeVersionGuard.spec: no Node.js older than 22.19 found; the built-dist tests skip',
  );
}
const withOldNode = oldNode === undefined ? describe.skip : describe;

withOldNode(`the built packages on an old Node.js (${oldNode?.path} v${oldNode?.version})`, () => {
  beforeAll(() => {
    // The dist of core and testing as `npm run build` makes it (incremental: quick when built).
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-b', 'packages/core', 'packages/testing'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
  }, 120_000);

  const run = (args: string[]) =>
    spawnSync(oldNode!.path, args, { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });

  test.each(['core', 'watcher', 'controller', 'testing'])(
    "import '@kube-rx/%s' fails with the one clear line, before undici loads",
    (name) => {
      const result = run(['--input-type=module', '-e', `import '@kube-rx/${name}';`]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        `\nError: kube-rx needs Node.js >= 22.19 (found v${oldNode!.version}): `,
      );
      expect(result.stderr).toContain('nodeVersionGuard.js');
      expect(result.stderr).not.toMatch(/node_modules\/undici|reading 'bind'/);
    },
  );

  test('the error can be caught: its message is one line, with a code', () => {
    const result = run([
      '--input-type=module',
      '-e',
      "try { await import('@kube-rx/core'); } catch (e) { console.log(JSON.stringify({ message: e.message, code: e.code })); }",
    ]);
    expect(result.status).toBe(0);
    const caught = JSON.parse(result.stdout) as { message: string; code: string };
    expect(caught.code).toBe('KUBE_RX_UNSUPPORTED_NODE');
    expect(caught.message).toBe(unsupportedNodeMessage(oldNode!.version));
  });

  test('the test server CLI fails the same way', () => {
    const result = run(['packages/testing/dist/cli.js', '--port', '0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: kube-rx needs Node.js >= 22.19');
    expect(result.stderr).not.toMatch(/node_modules\/undici|reading 'bind'/);
  });
});
