import { runSoak } from './runSoak.js';
import { soakTable } from './soakTable.js';

// `npm run soak`: the 10-minute seeded chaos run. SOAK_SEED replays a run; SOAK_DURATION_S,
// SOAK_OBJECTS and SOAK_WRITES_PER_S change its size. Exits 1 when an invariant did not hold.
const number = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a number`);
  return value;
};

const seed = number('SOAK_SEED', Math.floor(Math.random() * 2 ** 31));
console.log(`soak seed ${seed} (replay with SOAK_SEED=${seed})`);
const report = await runSoak({
  seed,
  durationSeconds: number('SOAK_DURATION_S', 600),
  objects: number('SOAK_OBJECTS', 2_000),
  writesPerSecond: number('SOAK_WRITES_PER_S', 30),
  convergenceSeconds: 120,
  outageSeconds: 15,
  log: (line) => console.log(line),
});
console.log(soakTable(report));
for (const violation of report.violations.slice(0, 50)) console.log(`violated: ${violation}`);
// Heap stable: after the first tenth (warm-up), no sample more than 1.5× that one plus 32 MiB.
const [, warm = 0, ...later] = report.heapMiB;
const heapGrew = later.some((sample) => sample > warm * 1.5 + 32);
if (heapGrew) console.log(`violated: heap grew from ${warm} MiB to ${Math.max(...later)} MiB`);
const failed =
  heapGrew ||
  report.violations.length > 0 ||
  report.unhandledRejections > 0 ||
  report.outage.secondHalfRequests > report.outage.bound ||
  report.shutdown.runningAfter > 0;
process.exit(failed ? 1 : 0);
