import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/create-kube-rx.js', import.meta.url));
const ownVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'create-kube-rx-'));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

function create(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('create-kube-rx', () => {
  it('writes a project named after the argument, with placeholders filled in', () => {
    const run = create('@acme/widget-operator');

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('cd widget-operator');
    const folder = join(cwd, 'widget-operator');
    const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
      name: string;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.name).toBe('@acme/widget-operator');
    for (const name of ['core', 'watcher', 'controller', 'testing']) {
      expect(pkg.dependencies[`@kube-rx/${name}`]).toBe(`^${ownVersion}`);
    }
    expect(Object.keys(pkg.dependencies)).toEqual(
      expect.arrayContaining(['rxjs', '@kubernetes/client-node']),
    );
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['tsx', 'typescript']));
    expect(pkg.scripts['test']).toBe('node --import tsx --test test/*.test.ts');
    const files = readdirSync(folder, { recursive: true, encoding: 'utf8' });
    expect(files).toEqual(
      expect.arrayContaining([
        '.gitignore',
        '.dockerignore',
        'Dockerfile',
        join('manifests', 'crd.yaml'),
        join('manifests', 'rbac.yaml'),
        join('manifests', 'deployment.yaml'),
        join('src', 'reconcile.ts'),
        join('test', 'widget.test.ts'),
      ]),
    );
    const deployment = readFileSync(join(folder, 'manifests', 'deployment.yaml'), 'utf8');
    expect(deployment).toContain('name: widget-operator');
    for (const file of files.filter((f) => f.includes('.'))) {
      const text = readFileSync(join(folder, file), 'utf8');
      expect(`${file}: ${/__[A-Z_]+__/.exec(text)?.[0] ?? 'no placeholder left'}`).toBe(
        `${file}: no placeholder left`,
      );
    }
  });

  it('prints the usage with --help', () => {
    const run = create('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm create kube-rx@latest <project-name>/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.each([
    [[], 'missing the project name'],
    [['My-Operator'], 'invalid project name "My-Operator": the project name must be lowercase'],
    [['.hidden'], 'must not start with "."'],
    [['has space'], 'may only contain lowercase letters'],
    [['@scope'], 'a scoped project name must look like @scope/name'],
    [['fs'], '"fs" is a Node.js builtin module'],
    [['a', 'b'], 'one project name expected, got 2'],
    [['--force', 'x'], "Unknown option '--force'"],
  ])('rejects %j with a one-line error and exit code 1', (args, message) => {
    const run = create(...args);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses a folder that exists and is not empty, and accepts an empty one', () => {
    mkdirSync(join(cwd, 'busy'));
    writeFileSync(join(cwd, 'busy', 'keep.txt'), 'mine');
    mkdirSync(join(cwd, 'empty'));

    const busy = create('busy');
    const empty = create('empty');

    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/^create-kube-rx: .*busy exists and is not empty\n$/);
    expect(readdirSync(join(cwd, 'busy'))).toEqual(['keep.txt']);
    expect(empty.code).toBe(0);
    expect(readdirSync(join(cwd, 'empty'))).toContain('package.json');
  });
});
