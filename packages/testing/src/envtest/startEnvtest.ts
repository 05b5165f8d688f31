import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { CustomResourceConfig } from '../resources/resourceDefinition.js';
import { customResourceDefinitionManifest } from './customResourceDefinitionManifest.js';
import { envtestAssetsSearchPath, findEnvtestAssets, type EnvtestAssets } from './envtestAssets.js';
import { generateEnvtestCertificates } from './envtestCertificates.js';
import { envtestKubeConfig } from './envtestKubeConfig.js';
import { EnvtestProcess } from './envtestProcess.js';
import { envtestRequest, type EnvtestEndpoint } from './envtestRequest.js';
import { EtcdClient } from './etcdClient.js';
import { freePorts } from './freePorts.js';
import { StaticTokens, type EnvtestUser } from './staticTokens.js';

/** Options of {@link startEnvtest}; every field is optional. */
export interface EnvtestConfig {
  /**
   * Serve LIST and WATCH from the apiserver's watch cache (`--watch-cache`). `false` sends every
   * read to etcd, so a WATCH from a compacted resourceVersion gets 410 right after
   * {@link Envtest.compact}. Default `true`.
   */
  watchCache?: boolean;
  /**
   * Users besides the admin, each with a static bearer token, for RBAC tests: get their
   * `KubeConfig` with {@link Envtest.kubeConfigFor}. They start with no permissions. The
   * apiserver reads its token file once, so every user is named here. Default `[]`.
   */
  users?: EnvtestUser[];
  /** Custom resources to install (as CRDs) before `startEnvtest` resolves. Default none. */
  customResources?: CustomResourceConfig[];
  /** Extra kube-apiserver flags, appended after (and so overriding) envtest's own. Default `[]`. */
  apiServerFlags?: string[];
  /** Directory with `kube-apiserver` and `etcd`. Default: {@link findEnvtestAssets}. */
  assetsDir?: string;
  /** How long etcd plus the apiserver may take to become ready. Default `60000` ms. */
  startTimeoutMs?: number;
  /** How long `restart()`/`close()` wait after SIGTERM before SIGKILL. Default `5000` ms. */
  stopTimeoutMs?: number;
}

/** Process ids of a running envtest, for tests that check nothing is left behind. */
export interface EnvtestPids {
  /** The current kube-apiserver (a new one after `restart()`); undefined once stopped. */
  readonly apiServer: number | undefined;
  /** The etcd server; undefined once stopped. */
  readonly etcd: number | undefined;
}

/**
 * A real kube-apiserver and etcd on 127.0.0.1. See {@link startEnvtest}.
 */
export interface Envtest {
  /** `https://127.0.0.1:PORT`. */
  readonly url: string;
  /** The apiserver's port on 127.0.0.1; kept by `restart()`. */
  readonly port: number;
  /** The CA (PEM) that signed the serving certificate; `kubeConfig()` trusts it. */
  readonly caCertificate: string;
  /** File that collects etcd's and the apiserver's output; removed by `close()`. */
  readonly logFile: string;
  /** Process ids of etcd and the apiserver. */
  readonly pids: EnvtestPids;
  /**
   * A client-node `KubeConfig` for the admin user (`kube-rx-admin`, group `system:masters`):
   * TLS verification on against {@link Envtest.caCertificate}, bearer token, context namespace
   * `namespace` (default `'default'`).
   */
  kubeConfig(options?: { namespace?: string }): KubeConfig;
  /**
   * A `KubeConfig` for a user of {@link EnvtestConfig.users} with exactly these groups (any
   * order; default `[]`). Throws `TypeError` for a user that was not configured.
   */
  kubeConfigFor(
    user: string,
    groups?: readonly string[],
    options?: { namespace?: string },
  ): KubeConfig;
  /**
   * Installs (or updates, by server-side apply) a CRD for `definition` and resolves once it is
   * Established and its resource answers LIST. Same definition shape as the in-memory server's.
   */
  registerCustomResource(definition: CustomResourceConfig): Promise<void>;
  /**
   * Stops the apiserver (SIGTERM, then SIGKILL after `stopTimeoutMs`) and starts it again on the
   * same port with the same etcd; resolves when it is ready. Open watches and connections end.
   */
  restart(): Promise<void>;
  /**
   * Compacts etcd to its current revision and resolves with that revision. Older continue
   * tokens then get 410, and so do watches from older resourceVersions when the watch cache
   * is off (with it on, the cache still serves what it holds).
   */
  compact(): Promise<string>;
  /** Stops both processes and removes the data directory and log; idempotent. */
  close(): Promise<void>;
}

const ADMIN: EnvtestUser = { name: 'kube-rx-admin', groups: ['system:masters'] };

function positive(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new TypeError(`startEnvtest: ${field} must be a positive integer, got ${value}`);
  }
  return value;
}

function resolveAssets(assetsDir: string | undefined): EnvtestAssets {
  const assets =
    assetsDir === undefined
      ? findEnvtestAssets()
      : findEnvtestAssets({ KUBE_RX_ENVTEST_ASSETS: assetsDir });
  if (assets !== undefined) return assets;
  const tried =
    assetsDir === undefined ? envtestAssetsSearchPath().map((entry) => entry.dir) : [assetsDir];
  throw new Error(
    `startEnvtest: no kube-apiserver and etcd in ${tried.join(', ')}; run \`npm run envtest:setup\` ` +
      'or set KUBEBUILDER_ASSETS to a directory holding both',
  );
}

function logTail(logFile: string, lines = 40): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 100 ms until it returns true; fails when a process exits or time runs out. */
async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  deadline: number,
  processes: readonly EnvtestProcess[],
): Promise<void> {
  for (;;) {
    const dead = processes.find((process) => process.exitStatus !== undefined);
    if (dead !== undefined) {
      const { code, signal } = dead.exitStatus!;
      throw new Error(`${what}: a process exited (code ${code}, signal ${signal})`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready in time`);
    await sleep(100);
  }
}

/**
 * Starts a real etcd and kube-apiserver (the binaries `npm run envtest:setup` builds, or
 * `KUBEBUILDER_ASSETS`') on 127.0.0.1 with free ports, for tests that must hold against real
 * Kubernetes. Each envtest gets a temporary data directory, a fresh CA and serving certificate,
 * a static token file (an admin in `system:masters`, plus {@link EnvtestConfig.users}),
 * `--authorization-mode=RBAC` and service-account signing keys. Resolves once `/readyz`
 * answers 200 (typically 3–8 s); on failure it rejects with the tail of the processes' log.
 *
 * No controller-manager runs: namespaces other than `default`, `kube-system`, `kube-public`
 * and `kube-node-lease` must be created by the test, no garbage collector deletes dependents,
 * and no service-account tokens are made (the ServiceAccount admission plugin is off).
 *
 * Start one per test file (`beforeAll`) and always `await envtest.close()`: it stops both
 * processes (SIGTERM, then SIGKILL) and removes the temporary files.
 *
 * @example
 * ```ts
 * const envtest = await startEnvtest({ users: [{ name: 'alice', groups: ['devs'] }] });
 * const core = envtest.kubeConfig().makeApiClient(CoreV1Api);
 * await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'a' } } });
 * const asAlice = envtest.kubeConfigFor('alice', ['devs']).makeApiClient(CoreV1Api);
 * await asAlice.listNamespacedConfigMap({ namespace: 'default' }).catch(() => 'forbidden');
 * await envtest.close();
 * ```
 */
export async function startEnvtest(config: EnvtestConfig = {}): Promise<Envtest> {
  const startTimeoutMs = positive(config.startTimeoutMs, 60_000, 'startTimeoutMs');
  const stopTimeoutMs = positive(config.stopTimeoutMs, 5000, 'stopTimeoutMs');
  const tokens = new StaticTokens([ADMIN, ...(config.users ?? [])]);
  const assets = resolveAssets(config.assetsDir);
  const admin = tokens.tokens[0]!;

  const dir = mkdtempSync(join(tmpdir(), 'kube-rx-envtest-'));
  const logFile = join(dir, 'envtest.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const certificates = generateEnvtestCertificates();
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const caFile = file('ca.crt', certificates.caCertificate);
  const servingCertFile = file('apiserver.crt', certificates.servingCertificate);
  const servingKeyFile = file('apiserver.key', certificates.servingKey);
  const saKeyFile = file('sa.key', certificates.serviceAccountSigningKey);
  const saPubFile = file('sa.pub', certificates.serviceAccountPublicKey);
  const tokenFile = file('tokens.csv', tokens.file());

  const [etcdPort, peerPort, port] = (await freePorts(3)) as [number, number, number];
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const url = `https://127.0.0.1:${port}`;
  const endpoint: EnvtestEndpoint = {
    url,
    caCertificate: certificates.caCertificate,
    token: admin.token,
  };
  const apiServerFlags = [
    `--etcd-servers=${etcdUrl}`,
    `--secure-port=${port}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    // The default reconciler refuses a loopback advertise address, and nothing needs the
    // `kubernetes` Service's endpoints here.
    '--endpoint-reconciler-type=none',
    `--tls-cert-file=${servingCertFile}`,
    `--tls-private-key-file=${servingKeyFile}`,
    `--client-ca-file=${caFile}`,
    `--token-auth-file=${tokenFile}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${saPubFile}`,
    `--service-account-signing-key-file=${saKeyFile}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    '--disable-admission-plugins=ServiceAccount',
    `--watch-cache=${config.watchCache ?? true}`,
    // Without it, open watches keep a stopping apiserver alive until the SIGKILL fallback;
    // with it, they are closed within a second and restart() takes about 3 s instead of 7.
    '--shutdown-watch-termination-grace-period=1s',
    ...(config.apiServerFlags ?? []),
  ];

  let etcd: EnvtestProcess | undefined;
  let apiServer: EnvtestProcess | undefined;
  let closed = false;
  const etcdClient = new EtcdClient(etcdUrl);

  const startApiServer = async (what: string) => {
    const started = new EnvtestProcess(assets.kubeApiserver, apiServerFlags, log);
    apiServer = started;
    await waitUntil(
      what,
      async () =>
        (await envtestRequest(endpoint, 'GET', '/readyz', undefined, 2000)).status === 200,
      Date.now() + startTimeoutMs,
      [etcd!, started],
    );
  };
  const stopAll = async () => {
    await apiServer?.stop(stopTimeoutMs);
    await etcd?.stop(stopTimeoutMs);
  };

  const registerCustomResource = async (definition: CustomResourceConfig) => {
    const manifest = customResourceDefinitionManifest(definition);
    const name = manifest.metadata!.name!;
    const applied = await envtestRequest(
      endpoint,
      'PATCH',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}?fieldManager=kube-rx-envtest&force=true`,
      { contentType: 'application/apply-patch+yaml', text: JSON.stringify(manifest) },
    );
    if (applied.status >= 300) {
      throw new Error(`registerCustomResource ${name}: ${applied.status} ${applied.body}`);
    }
    const served = `/apis/${definition.group}/${definition.version}/${definition.plural}?limit=1`;
    await waitUntil(
      `registerCustomResource ${name}`,
      async () => {
        const crd = await envtestRequest(
          endpoint,
          'GET',
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
        );
        const conditions =
          (JSON.parse(crd.body) as { status?: { conditions?: Array<Record<string, string>> } })
            .status?.conditions ?? [];
        const established = conditions.some(
          (condition) => condition['type'] === 'Established' && condition['status'] === 'True',
        );
        return established && (await envtestRequest(endpoint, 'GET', served)).status === 200;
      },
      Date.now() + 30_000,
      [etcd!, apiServer!],
    );
  };

  try {
    etcd = new EnvtestProcess(
      assets.etcd,
      [
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      ],
      log,
    );
    await waitUntil(
      'etcd',
      async () => (await fetch(`${etcdUrl}/health`)).ok,
      Date.now() + startTimeoutMs,
      [etcd],
    );
    await startApiServer('kube-apiserver');
    for (const definition of config.customResources ?? []) {
      await registerCustomResource(definition);
    }
  } catch (error) {
    await stopAll();
    const tail = logTail(logFile);
    log.end();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `startEnvtest: ${error instanceof Error ? error.message : String(error)}\n` +
        `--- last lines of the etcd/kube-apiserver log ---\n${tail}`,
      { cause: error },
    );
  }

  const kubeConfigOf = (token: string, user: string, namespace = 'default') =>
    envtestKubeConfig(url, certificates.caCertificate, token, user, namespace);

  return {
    url,
    port,
    caCertificate: certificates.caCertificate,
    logFile,
    get pids() {
      return {
        apiServer: apiServer?.exitStatus === undefined ? apiServer?.pid : undefined,
        etcd: etcd?.exitStatus === undefined ? etcd?.pid : undefined,
      };
    },
    kubeConfig: (options = {}) => kubeConfigOf(admin.token, admin.name, options.namespace),
    kubeConfigFor: (user, groups = [], options = {}) => {
      const entry = tokens.find(user, groups);
      if (entry === undefined || entry === admin) {
        throw new TypeError(
          `kubeConfigFor: no user ${user} with groups [${groups.join(', ')}]; add it to ` +
            'startEnvtest({ users }) (the apiserver reads its token file only at start)',
        );
      }
      return kubeConfigOf(entry.token, entry.name, options.namespace);
    },
    registerCustomResource: async (definition) => {
      if (closed) throw new Error('envtest is closed');
      await registerCustomResource(definition);
    },
    restart: async () => {
      if (closed) throw new Error('envtest is closed');
      await apiServer?.stop(stopTimeoutMs);
      try {
        await startApiServer('kube-apiserver restart');
      } catch (error) {
        throw new Error(
          `restart: ${error instanceof Error ? error.message : String(error)}\n` +
            `--- last lines of the etcd/kube-apiserver log ---\n${logTail(logFile)}`,
          { cause: error },
        );
      }
    },
    compact: async () => {
      if (closed) throw new Error('envtest is closed');
      const revision = await etcdClient.currentRevision();
      await etcdClient.compact(revision);
      return revision;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await stopAll();
      await new Promise<void>((resolve) => log.end(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
