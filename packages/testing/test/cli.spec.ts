import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliUsageError, parseCliOptions } from '../src/cli/cliOptions.js';
import { parseManifests, readManifests } from '../src/cli/manifests.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget, listKind: WidgetList }
  versions:
    - name: v1
      served: true
      storage: true
      subresources: { status: {} }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { size: { type: integer } } }
            status: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;

const SEEDS = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: team-a }
data: { mode: fast }
---
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w1 }
spec: { size: 3, extra: pruned }
status: { ready: true }
`;

describe('parseCliOptions', () => {
  test('defaults, and --crd / --seed repeat in order', () => {
    expect(parseCliOptions([])).toEqual({
      port: 0,
      kubeconfig: undefined,
      bookmarkIntervalMs: undefined,
      requireToken: false,
      crdFiles: [],
      seedFiles: [],
      help: false,
    });
    const options = parseCliOptions([
      '--crd',
      'a.yaml',
      '--seed=s1.yaml',
      '--crd',
      'b.yaml',
      '--seed',
      's2.yaml',
      '--port',
      '8080',
      '--bookmark-interval-ms',
      '0',
    ]);
    expect(options.crdFiles).toEqual(['a.yaml', 'b.yaml']);
    expect(options.seedFiles).toEqual(['s1.yaml', 's2.yaml']);
    expect(options.port).toBe(8080);
    expect(options.bookmarkIntervalMs).toBe(0);
  });

  test.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--crd'], /--crd/],
    [['extra'], /positional/i],
    [['--port', 'abc'], /--port must be an integer from 0 to 65535, got 'abc'/],
    [['--port', '70000'], /--port/],
    [['--bookmark-interval-ms=-1'], /--bookmark-interval-ms must be an integer >= 0/],
    [['--bookmark-interval-ms', '-1'], /argument is ambiguous\. Did you forget/],
  ])('%j is a one-line usage error', (args, message) => {
    let thrown: unknown;
    try {
      parseCliOptions(args);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CliUsageError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });
});

describe('parseManifests', () => {
  test('every document in order; empty documents skipped; a List flattened', () => {
    const manifests = parseManifests(
      `${SEEDS}---\napiVersion: v1\nkind: List\nitems:\n  - { apiVersion: v1, kind: Secret, metadata: { name: s } }\n`,
      'seed.yaml',
    );
    expect(manifests.map((m) => [m.origin, m.object.kind, m.object.metadata?.name])).toEqual([
      ['seed.yaml#1', 'ConfigMap', 'settings'],
      ['seed.yaml#3', 'Widget', 'w1'],
      ['seed.yaml#4 items[0]', 'Secret', 's'],
    ]);
  });

  test('YAML 1.1 scalars, as the API server reads YAML bodies', () => {
    const [manifest] = parseManifests('apiVersion: v1\nkind: ConfigMap\nflag: yes\n', 'f.yaml');
    expect((manifest?.object as unknown as { flag: unknown }).flag).toBe(true);
  });

  test.each([
    ['a: [\n', /^bad\.yaml:2:1: invalid YAML: /],
    ['- 1\n- 2\n', /^bad\.yaml#1: not a Kubernetes object/],
    ['kind: ConfigMap\n', /^bad\.yaml#1: no apiVersion$/],
    ['apiVersion: v1\n---\napiVersion: v1\nkind: Pod\n', /^bad\.yaml#1: no kind$/],
    ['apiVersion: v1\nkind: List\nitems: [3]\n', /^bad\.yaml#1 items\[0\]: not a Kubernetes/],
  ])('%j fails with one line naming the place', (text, message) => {
    expect(() => parseManifests(text, 'bad.yaml')).toThrow(message);
    try {
      parseManifests(text, 'bad.yaml');
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  test('a missing file is one line too', () => {
    expect(() => readManifests('/nonexistent/kube-rx.yaml')).toThrow(
      '/nonexistent/kube-rx.yaml: cannot read (ENOENT)',
    );
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The CLI from the sources, as `npm run test-apiserver` runs it. With `whileListening`, the run
// is ended (SIGTERM) once the kubeconfig is written and the callback has settled; without it the
// CLI is expected to exit by itself.
function runCli(args: string[], whileListening?: (url: string) => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@kube-rx/source', '--import', 'tsx', cli, ...args],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let listening: Promise<void> | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /listening on (\S+)\n[^]*kubeconfig written to/.exec(stdout)?.[1];
      if (whileListening && listening === undefined && url !== undefined) {
        listening = whileListening(url).finally(() => child.kill('SIGTERM'));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      void (listening ?? Promise.resolve()).then(() => resolve({ code, stdout, stderr }), reject);
    });
  });
}

describe('kube-rx-test-apiserver', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-rx-cli-'));
    writeFileSync(join(dir, 'crd.yaml'), WIDGET_CRD);
    writeFileSync(join(dir, 'seed.yaml'), SEEDS);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('--crd creates the CRDs, --seed stores the objects, before the kubeconfig is written', async () => {
    const seen: Record<string, unknown> = {};
    const kubeconfig = join(dir, 'kubeconfig');
    const run = await runCli(
      [
        '--crd',
        join(dir, 'crd.yaml'),
        '--seed',
        join(dir, 'seed.yaml'),
        '--kubeconfig',
        kubeconfig,
      ],
      async (url) => {
        const get = async (path: string) =>
          (await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) })).json();
        seen.crd = await get(
          '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
        );
        seen.widget = await get('/apis/example.com/v1/namespaces/default/widgets/w1');
        seen.configMap = await get('/api/v1/namespaces/team-a/configmaps/settings');
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('created CustomResourceDefinitions widgets.example.com\n');
    expect(run.stdout).toContain('seeded 2 objects\n');
    expect(run.stdout).toContain(`kubeconfig written to ${kubeconfig}\n`);
    const crd = seen.crd as { status?: { conditions?: Array<{ type: string; status: string }> } };
    expect(crd.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'Established', status: 'True' }),
    );
    // Seeded as given (status kept), and in the default namespace when the manifest has none.
    expect(seen.widget).toMatchObject({
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'default' },
      spec: { size: 3 },
      status: { ready: true },
    });
    expect(seen.configMap).toMatchObject({ data: { mode: 'fast' } });
  });

  test.each([
    [['--bogus'], 2, /^kube-rx-test-apiserver: Unknown option '--bogus'.*\(see --help\)\n$/],
    [['--port', 'x'], 2, /^kube-rx-test-apiserver: --port must be an integer/],
    [
      ['--seed', '/nonexistent/seed.yaml'],
      1,
      /: \/nonexistent\/seed\.yaml: cannot read \(ENOENT\)\n$/,
    ],
  ])('%j fails with one line on stderr, no stack', async (args, code, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  });

  test('a --crd file that holds something else, or a seed of an unknown kind, fails in one line', async () => {
    writeFileSync(
      join(dir, 'gadget.yaml'),
      'apiVersion: example.com/v1\nkind: Gadget\nmetadata: { name: g }\n',
    );
    const wrongCrd = await runCli(['--crd', join(dir, 'seed.yaml')]);
    expect(wrongCrd.code).toBe(1);
    expect(wrongCrd.stderr).toMatch(
      /seed\.yaml#1: --crd takes apiextensions\.k8s\.io\/v1 CustomResourceDefinitions, got v1 ConfigMap \(use --seed\)\n$/,
    );
    const unknownKind = await runCli(['--seed', join(dir, 'gadget.yaml')]);
    expect(unknownKind.code).toBe(1);
    expect(unknownKind.stderr).toMatch(
      /gadget\.yaml#1: Gadget g: no resource serves example\.com\/v1 Gadget\n$/,
    );
    expect(unknownKind.stdout).not.toContain('listening');
  });
});
