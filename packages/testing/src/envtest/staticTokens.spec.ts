import { StaticTokens } from './staticTokens.js';

describe('StaticTokens', () => {
  it('writes one token-file line per user, groups quoted, and finds users by name and groups', () => {
    const tokens = new StaticTokens([{ name: 'alice', groups: ['devs', 'ops'] }, { name: 'bob' }]);
    const [alice, bob] = tokens.tokens;
    expect(tokens.file()).toBe(
      `${alice!.token},alice,alice,"devs,ops"\n${bob!.token},bob,bob,""\n`,
    );
    expect(alice!.token).toMatch(/^[0-9a-f]{48}$/);
    expect(alice!.token).not.toBe(bob!.token);
    expect(tokens.find('alice', ['ops', 'devs'])).toBe(alice);
    expect(tokens.find('alice', ['devs'])).toBeUndefined();
    expect(tokens.find('bob', [])).toBe(bob);
  });

  it('rejects names that would break the CSV file', () => {
    expect(() => new StaticTokens([{ name: 'a,b' }])).toThrow(TypeError);
    expect(() => new StaticTokens([{ name: 'ok', groups: ['"quoted"'] }])).toThrow(
      /users\[0\]\.groups\[0\]/,
    );
  });
});
