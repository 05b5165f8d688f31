// Correctness smoke of the watch benchmark (CI): every contender once against a small server,
// each final cache checked against the server's state. No timing is asserted. Exits 1 on any
// failure. BENCH_SMOKE_SIZE changes the object count (default 1 000).
import { runWatchBench } from './watchBench.js';

const count = Number(process.env.BENCH_SMOKE_SIZE ?? '') || 1000;
try {
  const data = await runWatchBench({ sizes: [count], rounds: 1, log: console.log });
  const contenders = data.results[0]?.contenders.length ?? 0;
  console.log(
    `bench smoke: ${contenders} contenders, every cache matches the server (N = ${count})`,
  );
} catch (error) {
  console.error(`bench smoke failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
