import { runSoak } from './runSoak.js';
import { soakTable } from './soakTable.js';

// The short version of `npm run soak` (about 60 s): the same invariants, fewer objects.
const seed = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('seeded chaos soak', () => {
  it(`converges with every invariant holding (seed ${seed})`, async () => {
    const report = await runSoak({
      seed,
      durationSeconds: 55,
      objects: 300,
      writesPerSecond: 20,
      convergenceSeconds: 25,
      outageSeconds: 6,
    });
    const table = soakTable(report);
    process.stdout.write(`soak seed ${seed} (replay with SOAK_SEED=${seed})\n${table}\n`);
    expect(report.violations.slice(0, 20)).toEqual([]);
    expect(report.overlaps).toBe(0);
    expect(report.unhandledRejections).toBe(0);
    expect(report.shutdown.runningAfter).toBe(0);
    expect(report.outage.secondHalfRequests).toBeLessThanOrEqual(report.outage.bound);
    expect(report.reconciles).toBeGreaterThan(report.objects);
    expect(report.writer.creates + report.writer.updates + report.writer.deletes).toBeGreaterThan(
      100,
    );
  }, 150_000);
});
