import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The Kubernetes release `npm run envtest:setup` builds (tools/envtest/go.mod pins it). */
export const ENVTEST_KUBERNETES_VERSION = 'v1.37.2';

/** Where the `kube-apiserver` and `etcd` binaries of {@link startEnvtest} were found. */
export interface EnvtestAssets {
  /** The directory holding both binaries. */
  readonly dir: string;
  /** Path of the `kube-apiserver` binary. */
  readonly kubeApiserver: string;
  /** Path of the `etcd` binary. */
  readonly etcd: string;
  /** Which setting named the directory. */
  readonly source: 'KUBE_RX_ENVTEST_ASSETS' | 'KUBEBUILDER_ASSETS' | 'default';
}

/** `~/.cache/kube-rx/envtest/v1.37.2`: where `npm run envtest:setup` builds by default. */
export function defaultEnvtestAssetsDir(): string {
  return join(homedir(), '.cache', 'kube-rx', 'envtest', ENVTEST_KUBERNETES_VERSION);
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function assetsIn(dir: string, source: EnvtestAssets['source']): EnvtestAssets | undefined {
  const kubeApiserver = join(dir, 'kube-apiserver');
  const etcd = join(dir, 'etcd');
  return executable(kubeApiserver) && executable(etcd)
    ? { dir, kubeApiserver, etcd, source }
    : undefined;
}

/** One directory {@link findEnvtestAssets} looks in, and which setting named it. */
export interface EnvtestAssetsLocation {
  /** The directory that should hold `kube-apiserver` and `etcd`. */
  readonly dir: string;
  /** The environment variable that named it, or `'default'`. */
  readonly source: EnvtestAssets['source'];
}

/**
 * The directories {@link findEnvtestAssets} looks in, in order: `$KUBE_RX_ENVTEST_ASSETS` when
 * set (and then only it), else `$KUBEBUILDER_ASSETS` when set, then the default
 * `~/.cache/kube-rx/envtest/v1.37.2`.
 *
 * @example
 * ```ts
 * console.log(envtestAssetsSearchPath().map((entry) => `${entry.source}: ${entry.dir}`));
 * ```
 */
export function envtestAssetsSearchPath(
  env: NodeJS.ProcessEnv = process.env,
): EnvtestAssetsLocation[] {
  const own = env['KUBE_RX_ENVTEST_ASSETS'];
  if (own !== undefined && own !== '') return [{ dir: own, source: 'KUBE_RX_ENVTEST_ASSETS' }];
  const kubebuilder = env['KUBEBUILDER_ASSETS'];
  return [
    ...(kubebuilder !== undefined && kubebuilder !== ''
      ? [{ dir: kubebuilder, source: 'KUBEBUILDER_ASSETS' as const }]
      : []),
    { dir: defaultEnvtestAssetsDir(), source: 'default' },
  ];
}

/**
 * Finds the `kube-apiserver` and `etcd` binaries {@link startEnvtest} runs: the first directory
 * of {@link envtestAssetsSearchPath} that holds both as executables, or `undefined`.
 * `KUBEBUILDER_ASSETS` uses controller-runtime's setup-envtest layout (both binaries in one
 * directory), so binaries installed for controller-runtime work without Go.
 *
 * @example
 * ```ts
 * const assets = findEnvtestAssets();
 * console.log(assets === undefined ? 'run npm run envtest:setup' : `binaries in ${assets.dir}`);
 * ```
 */
export function findEnvtestAssets(env: NodeJS.ProcessEnv = process.env): EnvtestAssets | undefined {
  for (const { dir, source } of envtestAssetsSearchPath(env)) {
    const assets = assetsIn(dir, source);
    if (assets !== undefined) return assets;
  }
  return undefined;
}

/**
 * Whether {@link startEnvtest} can run here: {@link findEnvtestAssets} finds both binaries.
 *
 * @example
 * ```ts
 * if (!envtestAvailable()) console.log('real-server tests skipped: run npm run envtest:setup');
 * ```
 */
export function envtestAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return findEnvtestAssets(env) !== undefined;
}
