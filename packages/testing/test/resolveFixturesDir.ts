import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Environment variable naming the directory of the recorded apiserver exchanges. */
export const FIXTURES_DIR_ENV = 'KUBE_RX_FIXTURES_DIR';

/** Where the recordings live relative to a directory at or above the repository root. */
export const FIXTURES_SUBPATH = join('shared', 'fixtures', 'kube-apiserver-v1.20');

/** Options of {@link resolveFixturesDir}. */
export interface ResolveFixturesDirOptions {
  /** Environment to read {@link FIXTURES_DIR_ENV} from. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory inside the repository to start looking for its root. Default: this file's directory. */
  from?: string;
}

/**
 * The directory of the recorded kube-apiserver v1.20 exchanges (`01-create-configmap.json`...).
 *
 * - `KUBE_RX_FIXTURES_DIR` set (non-empty): that directory, which must exist and hold `.json`
 *   recordings — it is not second-guessed, so a wrong value fails instead of silently using
 *   another copy.
 * - Otherwise `shared/fixtures/kube-apiserver-v1.20` under the repository root (the directory of
 *   the `package.json` declaring `workspaces`) or under any of its parent directories, nearest
 *   first; CI clones the repository with `shared/` beside it.
 *
 * Throws an `Error` naming every path tried when nothing is found: tests that need the
 * recordings fail rather than being skipped.
 *
 * @example
 * ```ts
 * const dir = resolveFixturesDir();
 * const file = JSON.parse(readFileSync(join(dir, '11-watch-too-old-rv.json'), 'utf8'));
 * ```
 */
export function resolveFixturesDir(options: ResolveFixturesDirOptions = {}): string {
  const env = options.env ?? process.env;
  const configured = env[FIXTURES_DIR_ENV];
  if (configured !== undefined && configured !== '') {
    const dir = resolve(configured);
    if (!isDirectory(dir)) {
      throw new Error(`${FIXTURES_DIR_ENV}=${configured}: ${dir} is not a directory`);
    }
    if (!readdirSync(dir).some((entry) => entry.endsWith('.json'))) {
      throw new Error(
        `${FIXTURES_DIR_ENV}=${configured}: ${dir} holds no .json recordings ` +
          `(it should name the kube-apiserver-v1.20 directory itself)`,
      );
    }
    return dir;
  }
  const root = findRepositoryRoot(options.from ?? dirname(fileURLToPath(import.meta.url)));
  const tried: string[] = [];
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = join(dir, FIXTURES_SUBPATH);
    tried.push(candidate);
    if (isDirectory(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `kube-apiserver fixtures not found: set ${FIXTURES_DIR_ENV} to the kube-apiserver-v1.20 ` +
      `directory, or check out shared/ beside the repository. Tried:\n  ${tried.join('\n  ')}`,
  );
}

// The nearest directory at or above `from` whose package.json declares workspaces.
function findRepositoryRoot(from: string): string {
  const tried: string[] = [];
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    tried.push(manifest);
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
      if (parsed.workspaces !== undefined) return dir;
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `repository root not found (no package.json with "workspaces"); set ${FIXTURES_DIR_ENV}. ` +
      `Tried:\n  ${tried.join('\n  ')}`,
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
