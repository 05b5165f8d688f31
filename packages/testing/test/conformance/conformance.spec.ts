import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeEnvtest } from '../envtest/describeEnvtest.js';
import { inMemoryServer, realServer, type ConformanceServer } from './conformanceServer.js';
import { withConformanceTable } from './conformanceTable.js';
import { expectedDifferences } from './expectedDifferences.js';
import { scenarios } from './scenarios.js';

// The same scenarios against both servers: the real kube-apiserver must answer what each
// scenario expects; the in-memory server too, except for the known differences it records.
const servers = [
  { kind: 'in-memory', start: inMemoryServer, describe: describe },
  { kind: 'kube-apiserver', start: realServer, describe: describeEnvtest },
] as const;

for (const entry of servers) {
  entry.describe(`conformance: ${entry.kind}`, () => {
    let server: ConformanceServer;
    beforeAll(async () => {
      server = await entry.start();
    }, 60_000);
    afterAll(() => server?.close(), 30_000);

    it.each(scenarios)('$id: $title', async (scenario) => {
      const observed = await scenario.run(server);
      const difference = entry.kind === 'in-memory' ? expectedDifferences[scenario.id] : undefined;
      expect(observed).toEqual(difference === undefined ? scenario.expected : difference.inMemory);
    });
  });
}

describe('conformance table', () => {
  it('packages/testing/README.md lists every scenario and known difference (npm run conformance:table)', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    expect(readme).toBe(withConformanceTable(readme));
  });

  it('every known difference names a scenario', () => {
    const ids = new Set(scenarios.map((scenario) => scenario.id));
    expect(Object.keys(expectedDifferences).filter((id) => !ids.has(id))).toEqual([]);
  });
});
