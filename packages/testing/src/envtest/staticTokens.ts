import { randomBytes } from 'node:crypto';

/** A user of {@link startEnvtest} that authenticates with a static bearer token. */
export interface EnvtestUser {
  /** User name, as RBAC subjects name it (`kind: User`). */
  name: string;
  /** Groups the user belongs to (`kind: Group` subjects). Default `[]`. */
  groups?: string[];
}

/** One line of the apiserver's `--token-auth-file`. */
export interface StaticToken {
  readonly token: string;
  readonly name: string;
  readonly groups: readonly string[];
}

function sameGroups(a: readonly string[], b: readonly string[]): boolean {
  const sorted = (groups: readonly string[]) => [...new Set(groups)].sort().join('\n');
  return sorted(a) === sorted(b);
}

function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '' || /[",\r\n]/.test(value)) {
    throw new TypeError(
      `startEnvtest: ${field} must be a non-empty string without quotes, commas or newlines`,
    );
  }
  return value;
}

/** Static bearer tokens for a fixed set of users, and the token file the apiserver reads. */
export class StaticTokens {
  readonly tokens: readonly StaticToken[];

  constructor(users: readonly EnvtestUser[]) {
    this.tokens = users.map((user, index) => ({
      token: randomBytes(24).toString('hex'),
      name: checkName(user.name, `users[${index}].name`),
      groups: (user.groups ?? []).map((group, at) =>
        checkName(group, `users[${index}].groups[${at}]`),
      ),
    }));
  }

  /** The token of `name` with exactly `groups` (in any order), or undefined. */
  find(name: string, groups: readonly string[]): StaticToken | undefined {
    return this.tokens.find((entry) => entry.name === name && sameGroups(entry.groups, groups));
  }

  /** The `--token-auth-file` content: `token,user,uid,"group1,group2"` per line. */
  file(): string {
    return this.tokens
      .map((entry) => `${entry.token},${entry.name},${entry.name},"${entry.groups.join(',')}"\n`)
      .join('');
  }
}
