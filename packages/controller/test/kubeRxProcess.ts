import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../..', import.meta.url));
/** The module the CLI tests point `kube-rx` at. */
export const gadgetFixture = join(
  'packages',
  'controller',
  'test',
  'fixtures',
  'gadgetOperator.ts',
);

/** Runs the real `kube-rx` entry point in a child process, as the bin would. */
export async function kubeRx(
  ...args: string[]
): Promise<{ stdout: string; stderr: string; code: number }> {
  const node = join(root, 'node_modules', '.bin', 'node');
  const cli = join(root, 'packages', 'controller', 'src', 'cli.ts');
  try {
    const { stdout, stderr } = await promisify(execFile)(
      node,
      ['--conditions=@kube-rx/source', '--import', 'tsx', cli, ...args],
      { cwd: root, timeout: 60_000 },
    );
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}
