import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES_DIR_ENV, FIXTURES_SUBPATH, resolveFixturesDir } from './resolveFixturesDir.js';

// A layout like CI's: <base>/repo (the workspace root) with the test directory inside it.
function layout(base: string): { repo: string; from: string } {
  const repo = join(base, 'repo');
  const from = join(repo, 'packages', 'testing', 'test');
  mkdirSync(from, { recursive: true });
  writeFileSync(
    join(repo, 'package.json'),
    JSON.stringify({ name: 'r', workspaces: ['packages/*'] }),
  );
  // A package's own package.json is not the repository root.
  writeFileSync(join(repo, 'packages', 'testing', 'package.json'), JSON.stringify({ name: 't' }));
  return { repo, from };
}

function recordings(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '01-create-configmap.json'), '{}');
  return dir;
}

describe('resolveFixturesDir', () => {
  let base: string;
  beforeEach(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'kube-rx-fixtures-')));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('finds shared/ beside the repository root (the CI checkout)', () => {
    const { from } = layout(base);
    const expected = recordings(join(base, FIXTURES_SUBPATH));
    expect(resolveFixturesDir({ env: {}, from })).toBe(expected);
  });

  it('prefers shared/ inside the repository root over one further up', () => {
    const { repo, from } = layout(base);
    recordings(join(base, FIXTURES_SUBPATH));
    const inside = recordings(join(repo, FIXTURES_SUBPATH));
    expect(resolveFixturesDir({ env: {}, from })).toBe(inside);
  });

  it('walks up past the repository root to any ancestor', () => {
    const nested = join(base, 'ci', 'workspace');
    mkdirSync(nested, { recursive: true });
    const { from } = layout(nested);
    const expected = recordings(join(base, FIXTURES_SUBPATH));
    expect(resolveFixturesDir({ env: {}, from })).toBe(expected);
  });

  it(`uses ${FIXTURES_DIR_ENV} when set, without looking elsewhere`, () => {
    const { from } = layout(base);
    recordings(join(base, FIXTURES_SUBPATH));
    const elsewhere = recordings(join(base, 'elsewhere', 'v1.20'));
    expect(resolveFixturesDir({ env: { [FIXTURES_DIR_ENV]: elsewhere }, from })).toBe(elsewhere);
  });

  it(`fails clearly when ${FIXTURES_DIR_ENV} names a missing or empty directory`, () => {
    const { from } = layout(base);
    recordings(join(base, FIXTURES_SUBPATH));
    const missing = join(base, 'missing');
    expect(() => resolveFixturesDir({ env: { [FIXTURES_DIR_ENV]: missing }, from })).toThrow(
      `${FIXTURES_DIR_ENV}=${missing}: ${missing} is not a directory`,
    );
    // Naming shared/fixtures instead of the kube-apiserver-v1.20 directory itself.
    const parent = dirname(join(base, FIXTURES_SUBPATH));
    expect(() => resolveFixturesDir({ env: { [FIXTURES_DIR_ENV]: parent }, from })).toThrow(
      'holds no .json recordings',
    );
  });

  it('fails naming every path tried when the recordings are nowhere', () => {
    const { repo, from } = layout(base);
    let message = '';
    try {
      resolveFixturesDir({ env: { [FIXTURES_DIR_ENV]: '' }, from });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`set ${FIXTURES_DIR_ENV}`);
    expect(message).toContain(join(repo, FIXTURES_SUBPATH));
    expect(message).toContain(join(base, FIXTURES_SUBPATH));
    expect(message).toContain(join('/', FIXTURES_SUBPATH));
    // Nothing under the test directory itself: the search starts at the repository root.
    expect(message).not.toContain(join(from, FIXTURES_SUBPATH));
  });

  it('finds the real recordings from this checkout', () => {
    const dir = resolveFixturesDir({ env: {}, from: dirname(fileURLToPath(import.meta.url)) });
    expect(dir.endsWith(FIXTURES_SUBPATH)).toBe(true);
  });
});
