import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkTargetFolder, copyTemplate } from './scaffold.js';
import { kubernetesName, projectFolder, validateProjectName } from './validateProjectName.js';

/** Usage text of `create-kube-rx --help`. */
export const USAGE = `Usage: npm create kube-rx@latest <project-name>
       npx create-kube-rx <project-name>

Creates a kube-rx operator project in a new folder named after the project (without its
@scope): a Widget custom resource, its controller (finalizer, Ready condition, Events), tests
against the in-memory API server, a Dockerfile and Kubernetes manifests.

<project-name> must be a valid npm package name (lowercase, e.g. my-operator or
@acme/widget-operator); the folder must not exist or be empty.

Options:
  -h, --help   this text

Then: cd <folder> && npm install && npm test && npm start
`;

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs the command line `args` (`process.argv.slice(2)`); returns the exit code. Errors are one
 * line on stderr.
 *
 * @param {string[]} args
 * @param {{ cwd?: string, stdout?: NodeJS.WritableStream, stderr?: NodeJS.WritableStream }} [io]
 * @returns {Promise<number>}
 */
export async function main(args, io = {}) {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const fail = (message) => {
    stderr.write(`create-kube-rx: ${message}\n`);
    return 1;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { help: { type: 'boolean', short: 'h', default: false } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  if (parsed.values.help) {
    stdout.write(USAGE);
    return 0;
  }
  const [name, ...extra] = parsed.positionals;
  if (name === undefined) return fail('missing the project name (see --help)');
  if (extra.length > 0) return fail(`one project name expected, got ${parsed.positionals.length}`);
  const invalid = validateProjectName(name);
  if (invalid !== undefined) return fail(`invalid project name "${name}": ${invalid}`);

  const cwd = io.cwd ?? process.cwd();
  const target = resolve(cwd, projectFolder(name));
  const unusable = await checkTargetFolder(target);
  if (unusable !== undefined) return fail(unusable);

  const { version } = JSON.parse(await readFile(resolve(packageRoot, 'package.json'), 'utf8'));
  const files = await copyTemplate(resolve(packageRoot, 'templates'), target, {
    NAME: name,
    APP: kubernetesName(name),
    KUBE_RX_VERSION: `^${version}`,
  });
  const folder = relative(cwd, target) || '.';
  stdout.write(
    `Created ${name} in ${folder} (${files.length} files).\n\n` +
      `  cd ${folder}\n  npm install\n  npm test\n  npm start\n`,
  );
  return 0;
}
