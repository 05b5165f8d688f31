// One real-time run of a scheduler implementation: `requests` ScheduleRequests over `keyCount`
// keys in batches of 10 000 every 25 ms, each due 0–500 ms ahead on the real clock (Date.now),
// so a key is usually still pending when it is requested again (the proportions of the virtual
// run in scheduler.bench.ts: 20 batches per spread). The figure is CPU time (user + system) of
// the process from the first request until the output completes (the last key emitted): the
// data structure, the timers, emitting, and the driver's own loop, the same for every contender.
// Messages are key numbers, turned into the keys' strings by the `key` function the contender is
// given, so that the driver tracks pending keys without a lookup of its own.
import { Subject, type OperatorFunction } from 'rxjs';
import type { ScheduleRequest } from '@kube-rx/controller';

const BATCH = 10_000;
const STEP_MS = 25;
const SPREAD_MS = 500;

/** What one run measured. */
export interface RealTimeFigures {
  requestsPerCpuSecond: number;
  cpuMs: number;
  wallMs: number;
  emitted: number;
  /** Pending keys when memory was measured (half-way through). */
  pendingAtSample: number;
  /** Heap after GC half-way through, minus the heap after GC before the run, per pending key. */
  bytesPerPendingKey: number;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) for (let i = 0; i < 2; i++) gc();
}

const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

/** The string key of each message (key number) of a run over `keyCount` keys. */
export function runKeys(keyCount: number): string[] {
  return Array.from({ length: keyCount }, (_, i) => `namespace-${i % 97}/object-${i}`);
}

/** Runs `operator` over the workload; resolves when its output completed. */
export async function realTimeRun(
  operator: OperatorFunction<ScheduleRequest<number>, number>,
  requests: number,
  keyCount: number,
): Promise<RealTimeFigures> {
  const pendingFlags = new Uint8Array(keyCount);
  let pending = 0;
  let emitted = 0;
  const requests$ = new Subject<ScheduleRequest<number>>();
  let onDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (onDone = resolve));
  requests$.pipe(operator).subscribe({
    next: (index) => {
      emitted++;
      if (pendingFlags[index] === 1) {
        pendingFlags[index] = 0;
        pending--;
      }
    },
    complete: () => onDone(),
  });

  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  let state = 12345;
  let sampleCpuMs = 0;
  let pendingAtSample = 0;
  let bytesPerPendingKey = 0;
  const batches = Math.ceil(requests / BATCH);
  const startedWall = performance.now();
  const cpuStart = process.cpuUsage();
  for (let batch = 0; batch < batches; batch++) {
    const due = startedWall + (batch + 1) * STEP_MS;
    const now = Date.now();
    const size = Math.min(BATCH, requests - batch * BATCH);
    for (let j = 0; j < size; j++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const pick = state % keyCount;
      if (pendingFlags[pick] === 0) {
        pendingFlags[pick] = 1;
        pending++;
      }
      requests$.next({ message: pick, runAt: now + ((state >>> 7) % SPREAD_MS) });
    }
    if (batch === Math.floor(batches / 2)) {
      // Memory half-way, its GC not counted as the contender's CPU.
      const sampleStart = process.cpuUsage();
      collectGarbage();
      pendingAtSample = pending;
      bytesPerPendingKey = (process.memoryUsage().heapUsed - heapBefore) / Math.max(1, pending);
      sampleCpuMs += cpuMsSince(sampleStart);
    }
    const wait = due - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
  }
  requests$.complete();
  await done;
  const cpuMs = cpuMsSince(cpuStart) - sampleCpuMs;
  return {
    requestsPerCpuSecond: Math.round(requests / (cpuMs / 1000)),
    cpuMs,
    wallMs: performance.now() - startedWall,
    emitted,
    pendingAtSample,
    bytesPerPendingKey: Math.round(bytesPerPendingKey),
  };
}
