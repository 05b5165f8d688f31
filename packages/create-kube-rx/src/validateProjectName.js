import { builtinModules } from 'node:module';

const MAX_LENGTH = 214;
const URL_SAFE = /^[a-z0-9][a-z0-9._~-]*$/;
const RESERVED = new Set(['node_modules', 'favicon.ico']);

/**
 * Checks `name` against the rules npm applies to new package names: at most 214 characters,
 * lowercase, URL-safe (`a-z 0-9 - . _ ~`), not starting with `.` or `_`, optionally scoped as
 * `@scope/name`, not a Node.js builtin module or a reserved name.
 *
 * @param {string} name
 * @returns {string | undefined} why the name is invalid, or `undefined` when it is valid
 */
export function validateProjectName(name) {
  if (name.length === 0) return 'the project name is empty';
  if (name.length > MAX_LENGTH) return `the project name is longer than ${MAX_LENGTH} characters`;
  if (name.trim() !== name) return 'the project name has leading or trailing spaces';
  if (name !== name.toLowerCase()) return 'the project name must be lowercase';
  const scoped = /^@([^/]+)\/([^/]+)$/.exec(name);
  if (name.startsWith('@') && !scoped) return 'a scoped project name must look like @scope/name';
  const parts = scoped ? [scoped[1] ?? '', scoped[2] ?? ''] : [name];
  for (const part of parts) {
    if (part.startsWith('.') || part.startsWith('_')) {
      return `"${part}" must not start with "." or "_"`;
    }
    if (!URL_SAFE.test(part)) {
      return `"${part}" may only contain lowercase letters, digits, "-", ".", "_" and "~"`;
    }
  }
  const bare = parts[parts.length - 1] ?? '';
  if (RESERVED.has(bare)) return `"${bare}" is a reserved name`;
  if (!scoped && builtinModules.includes(name)) return `"${name}" is a Node.js builtin module`;
  return undefined;
}

/**
 * The folder a project is created in: the name without its scope (`@acme/op` → `op`).
 *
 * @param {string} name a valid project name
 * @returns {string}
 */
export function projectFolder(name) {
  return name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
}

/**
 * A Kubernetes object name (DNS-1123 label) derived from the project name: the folder name with
 * `.`, `_` and `~` turned into `-`, at most 63 characters.
 *
 * @param {string} name a valid project name
 * @returns {string}
 */
export function kubernetesName(name) {
  const label = projectFolder(name)
    .replace(/[._~]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return label.length > 0 ? label : 'operator';
}
