import { lastValueFrom, Subject } from 'rxjs';
import { Api, ConfigMap, createLogger, exponentialBackoff, type Logger } from '@kube-rx/core';
import { Controller, perKeyBackoff } from '@kube-rx/controller';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { convergenceViolations } from './convergence.js';
import { FAULTS, injectFault, type FaultName } from './faultSchedule.js';
import { seededRandom } from './seededRandom.js';
import {
  NAMESPACE,
  Widget,
  widget,
  type ConfigMapObject,
  type WidgetObject,
} from './soakResources.js';
import { newLedger, widgetReconciler, type ReconcileLedger } from './widgetOperator.js';
import { startWriter, type WriterStats } from './writer.js';

/** Options of {@link runSoak}. */
export interface SoakConfig {
  /** Replays a run. */
  seed: number;
  /** Seconds of writes and faults (the convergence wait comes after). */
  durationSeconds: number;
  /** Widgets at start (each gets a ConfigMap). */
  objects: number;
  /** Writer pace. */
  writesPerSecond: number;
  /** Longest wait for convergence after the faults stop, in seconds. */
  convergenceSeconds: number;
  /** Seconds of the full outage (every request answered 503). */
  outageSeconds: number;
  /** Progress lines; default: none. */
  log?: (line: string) => void;
}

/** What a soak run measured. */
export interface SoakReport {
  seed: number;
  durationSeconds: number;
  objects: number;
  faults: Record<FaultName, number>;
  writer: WriterStats;
  reconciles: number;
  cleanups: number;
  overlaps: number;
  /**
   * The full outage: all requests the server received (the first wave is one failing run per
   * key, asked for at once), and those of its second half (retries only), with their bound.
   */
  outage: { seconds: number; requests: number; secondHalfRequests: number; bound: number };
  /** Seconds from the end of the faults until everything converged (or the limit). */
  convergedAfterSeconds: number;
  /** Retries still due after convergence, and how long until none ran for 3 s. */
  afterConvergence: { runs: number; quietAfterSeconds: number };
  /** What still did not hold at the end; `[]` = every invariant held. */
  violations: string[];
  /** Graceful shutdown of the first controller, mid-run: seconds it took, and runs left behind. */
  shutdown: { seconds: number; runningAfter: number };
  unhandledRejections: number;
  /** Malformed watch lines the Api skipped and reported. */
  invalidItems: number;
  /** Heap used (MiB, after GC when `--expose-gc`) at each tenth of the run, then at the end. */
  heapMiB: number[];
  totalRequests: number;
}

const CONCURRENCY = 16;
const QUIET_MS = 3_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Once the first wave (one failing run per key) is through, error-policy requeues are bounded
// by the controller's retry rate limit (10/s by default, its burst spent in the first wave); the
// watchers back off on their own. The bound of the outage's second half allows for both and for
// the runs in flight (at most `concurrency`).
const secondHalfBound = (seconds: number, watchers: number, concurrency: number): number =>
  10 * seconds + watchers * (seconds + 2) + concurrency + 10;

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round((process.memoryUsage().heapUsed / 1_048_576) * 10) / 10;
}

function startController(
  server: TestApiServer,
  ledger: ReconcileLedger,
  logger: Logger,
): {
  controller: Controller<WidgetObject>;
  stop: () => Promise<number>;
  reconcileAll: Subject<void>;
} {
  const kubeConfig = server.kubeConfig();
  // Malformed watch lines (a fault) are counted instead of logged one by one.
  const apiConfig = { onInvalidItem: () => void ledger.invalidItems++ };
  const widgets = Api.namespaced<WidgetObject>(kubeConfig, Widget, NAMESPACE, apiConfig);
  const configMaps = Api.namespaced<ConfigMapObject>(kubeConfig, ConfigMap, NAMESPACE, apiConfig);
  const shutdown$ = new Subject<void>();
  const reconcileAll = new Subject<void>();
  const controller = new Controller(widgets, { pageSize: 100 })
    .owns(configMaps, { controllerOnly: true })
    .reconcileAllOn(reconcileAll)
    .withConfig({
      concurrency: CONCURRENCY,
      shutdownTimeout: 10_000,
      triggerBackoff: exponentialBackoff({ initialDelay: 200, maxDelay: 3_000 }),
      logger,
    })
    .gracefulShutdownOn(shutdown$);
  const done = lastValueFrom(
    controller.run(
      widgetReconciler(widgets, configMaps, ledger),
      perKeyBackoff(exponentialBackoff({ initialDelay: 100, maxDelay: 3_000 })),
      undefined,
    ),
    { defaultValue: undefined },
  );
  return {
    controller,
    reconcileAll,
    stop: async () => {
      const started = performance.now();
      shutdown$.next();
      await done;
      return (performance.now() - started) / 1000;
    },
  };
}

/**
 * A seeded chaos run: a Controller of Widgets that own ConfigMaps, a writer creating, updating
 * and deleting Widgets, every fault of the test API server for `durationSeconds`, one full outage,
 * a graceful shutdown of the controller mid-run (a second one takes over), then a wait for
 * convergence and a check of every invariant (see docs/reliability.md).
 */
export async function runSoak(config: SoakConfig): Promise<SoakReport> {
  const log = config.log ?? (() => undefined);
  const random = seededRandom(config.seed);
  let unhandledRejections = 0;
  const onUnhandled = (reason: unknown): void => {
    unhandledRejections++;
    log(`unhandled rejection: ${String(reason)}`);
  };
  process.on('unhandledRejection', onUnhandled);
  const server = await startTestApiServer({ bookmarkIntervalMs: 1_000, watchHistorySize: 2_000 });
  // Soft errors are expected by the hundred: keep only real failures on the console.
  const logger = createLogger({ level: 'error' });
  try {
    server.registerCustomResource({ ...Widget, statusSubresource: true });
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    server.seed(
      Array.from({ length: config.objects }, (_, i) => widget(`w-${i}`, random.integer(1, 100))),
    );
    const widgets = Api.namespaced<WidgetObject>(server.kubeConfig(), Widget, NAMESPACE);
    const ledger = newLedger();
    const faults = Object.fromEntries(FAULTS.map((name) => [name, 0])) as Record<FaultName, number>;
    const heap: number[] = [];

    let current = startController(server, ledger, logger);
    await current.controller.store.ready();
    const writer = startWriter(widgets, random, {
      objects: config.objects,
      writesPerSecond: config.writesPerSecond,
    });
    const started = performance.now();
    const elapsed = (): number => (performance.now() - started) / 1000;
    const outageAt = config.durationSeconds * 0.3;
    const shutdownAt = config.durationSeconds * 0.6;
    let outage = { seconds: config.outageSeconds, requests: 0, secondHalfRequests: 0, bound: 0 };
    let shutdown = { seconds: 0, runningAfter: 0 };
    let outageDone = false;
    let shutdownDone = false;
    let nextHeapAt = 0;
    let servedRequests = 0;

    while (elapsed() < config.durationSeconds) {
      if (elapsed() >= nextHeapAt) {
        // The server's request log is the test's, not the controller's: emptied before sampling.
        servedRequests += server.requests.length;
        server.clearRequests();
        heap.push(heapMiB());
        nextHeapAt += config.durationSeconds / 10;
      }
      if (!outageDone && elapsed() >= outageAt) {
        outageDone = true;
        writer.paused = true;
        server.faults.clear();
        await sleep(500);
        const before = server.requests.length;
        server.faults.inject({ status: 503 });
        // Every key fails at once: the retry rate limit must keep the retries bounded.
        current.reconcileAll.next();
        await sleep((config.outageSeconds * 1000) / 2);
        const half = server.requests.length;
        await sleep((config.outageSeconds * 1000) / 2);
        const end = server.requests.length;
        server.faults.clear();
        writer.paused = false;
        outage = {
          seconds: config.outageSeconds,
          requests: end - before,
          secondHalfRequests: end - half,
          bound: secondHalfBound(config.outageSeconds / 2, 2, CONCURRENCY),
        };
        log(
          `outage: ${outage.requests} requests in ${config.outageSeconds} s, ${outage.secondHalfRequests} in its second half (bound ${outage.bound})`,
        );
        continue;
      }
      if (!shutdownDone && elapsed() >= shutdownAt) {
        shutdownDone = true;
        const seconds = await current.stop();
        shutdown = { seconds, runningAfter: ledger.running.size };
        log(`graceful shutdown in ${seconds.toFixed(2)} s, ${ledger.running.size} runs left`);
        current = startController(server, ledger, logger);
        continue;
      }
      const fault = random.pick(FAULTS);
      faults[fault]++;
      await injectFault(server, fault, random);
      await sleep(random.integer(1_000, 3_000));
    }

    await writer.stop();
    server.faults.clear();
    await server.faults.refuseConnections(false);
    const faultsEnded = performance.now();
    log(`faults over after ${elapsed().toFixed(0)} s; waiting for convergence`);
    let violations = convergenceViolations(server, current.controller.store, ledger);
    const deadline = faultsEnded + config.convergenceSeconds * 1000;
    while (violations.length > 0 && performance.now() < deadline) {
      await sleep(250);
      violations = convergenceViolations(server, current.controller.store, ledger);
    }
    const convergedAfterSeconds = (performance.now() - faultsEnded) / 1000;
    // Retries asked for during the faults may still be due (per-key backoff, rate limit); they
    // must die out: no tight loop once converged. Quiet = no run for QUIET_MS.
    const runsAtConvergence = ledger.runs;
    const quietDeadline = performance.now() + config.convergenceSeconds * 1000;
    let lastRuns = ledger.runs;
    let quietSince = performance.now();
    while (performance.now() - quietSince < QUIET_MS && performance.now() < quietDeadline) {
      await sleep(250);
      if (ledger.runs !== lastRuns) {
        lastRuns = ledger.runs;
        quietSince = performance.now();
      }
    }
    const afterConvergence = {
      runs: ledger.runs - runsAtConvergence,
      quietAfterSeconds: Math.max(0, (quietSince - faultsEnded) / 1000 - convergedAfterSeconds),
    };
    if (performance.now() - quietSince < QUIET_MS) {
      violations.push(`still reconciling ${config.convergenceSeconds} s after convergence`);
    }
    // Still converged once quiet.
    if (violations.length === 0) {
      violations = convergenceViolations(server, current.controller.store, ledger);
    }
    await current.stop();
    if (ledger.running.size > 0) violations.push(`${ledger.running.size} runs left after shutdown`);
    heap.push(heapMiB());
    return {
      seed: config.seed,
      durationSeconds: config.durationSeconds,
      objects: config.objects,
      faults,
      writer: writer.stats,
      reconciles: ledger.runs,
      cleanups: ledger.cleanups,
      overlaps: ledger.overlaps,
      outage,
      convergedAfterSeconds,
      violations,
      shutdown,
      unhandledRejections,
      invalidItems: ledger.invalidItems,
      heapMiB: heap,
      totalRequests: servedRequests + server.requests.length,
      afterConvergence,
    };
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await server.close();
  }
}
