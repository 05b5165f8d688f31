import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// npm never packs files named .gitignore (and treats .npmignore specially): the templates carry
// them under these names.
const RENAMED = new Map([
  ['_gitignore', '.gitignore'],
  ['_dockerignore', '.dockerignore'],
]);

/**
 * Whether `folder` can receive a new project: it does not exist, or it is an empty folder.
 *
 * @param {string} folder
 * @returns {Promise<string | undefined>} why not, or `undefined`
 */
export async function checkTargetFolder(folder) {
  let info;
  try {
    info = await stat(folder);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!info.isDirectory()) return `${folder} exists and is not a folder`;
  const entries = await readdir(folder);
  return entries.length === 0 ? undefined : `${folder} exists and is not empty`;
}

/**
 * Copies the template tree `templateDir` into `targetDir`, replacing every `__KEY__` placeholder
 * of `values` in every file.
 *
 * @param {string} templateDir
 * @param {string} targetDir
 * @param {Record<string, string>} values e.g. `{ NAME: 'my-operator' }` replaces `__NAME__`
 * @returns {Promise<string[]>} the files written, relative to `targetDir`
 */
export async function copyTemplate(templateDir, targetDir, values) {
  const written = [];
  const entries = await readdir(templateDir, { withFileTypes: true, recursive: true });
  for (const entry of entries.filter((e) => e.isFile())) {
    const from = join(entry.parentPath, entry.name);
    const relativeDir = entry.parentPath.slice(templateDir.length).replace(/^[/\\]/, '');
    const relative = join(relativeDir, RENAMED.get(entry.name) ?? entry.name);
    const text = await readFile(from, 'utf8');
    const filled = text.replace(/__([A-Z_]+)__/g, (match, key) => values[key] ?? match);
    await mkdir(join(targetDir, relativeDir), { recursive: true });
    await writeFile(join(targetDir, relative), filled);
    written.push(relative);
  }
  return written.sort();
}
