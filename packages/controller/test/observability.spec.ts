import { Writable } from 'node:stream';
import { createLogger, exponentialBackoff, permanent } from '@kube-rx/core';
import {
  Action,
  Controller,
  ControllerMetrics,
  startHealthServer,
  type ReconcileInfo,
} from '@kube-rx/controller';
import { firstValueFrom, Subject, type Subscription } from 'rxjs';
import winston from 'winston';
import { captureLogger } from './captureLogger.js';
import { parsePrometheusText } from './prometheusText.js';
import { eventually, startHarness, widget, type Harness, type Widget } from './support.js';

let harness: Harness;
let subscription: Subscription | undefined;

beforeEach(async () => {
  harness = await startHarness();
});

afterEach(async () => {
  subscription?.unsubscribe();
  subscription = undefined;
  await harness.server.close();
});

const quick = { triggerBackoff: exponentialBackoff({ initialDelay: 10, maxDelay: 50 }) };

/** Every metric of docs/metrics.md, with its `# TYPE`. */
const EXPECTED_TYPES: Record<string, string> = {
  controller_runtime_reconcile_total: 'counter',
  controller_runtime_reconcile_errors_total: 'counter',
  controller_runtime_terminal_reconcile_errors_total: 'counter',
  controller_runtime_reconcile_time_seconds: 'histogram',
  controller_runtime_active_workers: 'gauge',
  controller_runtime_max_concurrent_reconciles: 'gauge',
  workqueue_depth: 'gauge',
  workqueue_adds_total: 'counter',
  workqueue_queue_duration_seconds: 'histogram',
  workqueue_work_duration_seconds: 'histogram',
  workqueue_retries_total: 'counter',
  workqueue_unfinished_work_seconds: 'gauge',
  workqueue_longest_running_processor_seconds: 'gauge',
  leader_election_master_status: 'gauge',
  kube_rx_shards_held: 'gauge',
  kube_rx_watcher_restarts_total: 'counter',
  kube_rx_cache_objects: 'gauge',
  kube_rx_reconcile_not_found_total: 'counter',
  kube_rx_requeue_rate_limited_total: 'counter',
  kube_rx_requeue_rate_limit_delay_seconds: 'histogram',
  process_cpu_user_seconds_total: 'counter',
  process_resident_memory_bytes: 'gauge',
  nodejs_eventloop_lag_seconds: 'gauge',
  nodejs_heap_size_used_bytes: 'gauge',
};

describe('metrics of a Controller against the test API server', () => {
  it('serves every metric on /metrics with its type and controller-runtime meaning', async () => {
    const { widgets, server } = harness;
    for (const name of ['steady', 'flaky', 'invalid']) {
      await firstValueFrom(widgets.create(widget(name)));
    }
    // The first WATCH of ConfigMaps fails: one watcher restart.
    server.faults.inject({ verb: 'watch', resource: 'configmaps', status: 500, times: 1 });
    const metrics = new ControllerMetrics({ name: 'widgets-operator' });
    metrics.setLeader(true);
    metrics.setShardsHeld(2);
    const runs = new Map<string, number>();
    subscription = new Controller(widgets)
      .owns(harness.configMaps)
      .withConfig({ ...quick, metrics, concurrency: 4, logger: captureLogger().logger })
      .run(
        (w: Widget) => {
          const name = w.metadata!.name!;
          const count = (runs.get(name) ?? 0) + 1;
          runs.set(name, count);
          if (name === 'invalid') throw permanent(new Error('spec.size must be even'));
          if (name === 'flaky' && count === 1) throw new Error('backend down');
          return name === 'steady' ? Action.requeue(60_000) : Action.awaitChange();
        },
        (_w, error) =>
          error instanceof Error && error.name === 'PermanentError'
            ? Action.awaitChange()
            : Action.requeue(20),
        undefined,
      )
      .subscribe();
    await eventually(() => runs.get('flaky') === 2 && runs.has('steady') && runs.has('invalid'));
    const health = await startHealthServer({ port: 0, host: '127.0.0.1', metrics });
    try {
      const response = await fetch(`${health.url}/metrics`);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const families = parsePrometheusText(await response.text());
      const types = Object.fromEntries(
        Object.keys(EXPECTED_TYPES).map((name) => [name, families.get(name)?.type]),
      );
      expect(types).toEqual(EXPECTED_TYPES);

      const value = (name: string, labels: Record<string, string>): number | undefined => {
        const family = families.get(name) ?? families.get(name.replace(/_(bucket|sum|count)$/, ''));
        return family?.samples.find(
          (sample) =>
            sample.name === name &&
            Object.keys(labels).length === Object.keys(sample.labels).length &&
            Object.entries(labels).every(([key, v]) => sample.labels[key] === v),
        )?.value;
      };
      const controller = { controller: 'widgets' };
      const queue = { name: 'widgets', controller: 'widgets' };
      const total = (result: string) =>
        value('controller_runtime_reconcile_total', { controller: 'widgets', result });
      expect([total('success'), total('requeue_after'), total('error'), total('requeue')]).toEqual([
        1, 1, 2, 0,
      ]);
      expect(value('controller_runtime_reconcile_errors_total', controller)).toBe(2);
      expect(value('controller_runtime_terminal_reconcile_errors_total', controller)).toBe(1);
      expect(value('controller_runtime_reconcile_time_seconds_count', controller)).toBe(4);
      expect(
        value('controller_runtime_reconcile_time_seconds_bucket', { ...controller, le: '+Inf' }),
      ).toBe(4);
      expect(
        value('controller_runtime_reconcile_time_seconds_bucket', { ...controller, le: '60' }),
      ).toBe(4);
      expect(value('controller_runtime_max_concurrent_reconciles', controller)).toBe(4);
      expect(value('controller_runtime_active_workers', controller)).toBe(0);
      // steady waits 60 s in the scheduler: delayed, not due, so not depth.
      expect(value('workqueue_depth', queue)).toBe(0);
      expect(value('workqueue_adds_total', queue)).toBe(4);
      // flaky's error-policy retry and steady's requeue.
      expect(value('workqueue_retries_total', queue)).toBe(2);
      expect(value('workqueue_work_duration_seconds_count', queue)).toBe(4);
      expect(value('workqueue_queue_duration_seconds_count', queue)).toBe(4);
      expect(
        value('workqueue_queue_duration_seconds_bucket', { ...queue, le: '1e-8' }),
      ).toBeDefined();
      expect(value('leader_election_master_status', { name: 'widgets-operator' })).toBe(1);
      expect(value('kube_rx_shards_held', { name: 'widgets-operator' })).toBe(2);
      expect(value('kube_rx_cache_objects', { kind: 'Widget' })).toBe(3);
      expect(value('kube_rx_watcher_restarts_total', { kind: 'ConfigMap' })).toBe(1);
    } finally {
      await health.close();
    }
  });
});

describe('logs of a Controller against the test API server', () => {
  it('logs its lifecycle, and every line of a run carries controller, namespace, name and reconcileID', async () => {
    const { widgets } = harness;
    await firstValueFrom(widgets.create(widget('w1')));
    await firstValueFrom(widgets.create(widget('w2')));
    const { logger, lines } = captureLogger();
    const shutdown$ = new Subject<void>();
    const runs: ReconcileInfo[] = [];
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let stopped = false;
    subscription = new Controller(widgets)
      .withConfig({ ...quick, logger })
      .gracefulShutdownOn(shutdown$)
      .run(
        async (w: Widget, _ctx: undefined, run) => {
          runs.push(run);
          run.logger.info('reconciling', { size: w.spec?.size });
          if (w.metadata!.name === 'w1' && runs.filter((r) => r.ref.name === 'w1').length === 1) {
            throw new Error('not yet');
          }
          if (w.metadata!.name === 'w2') await released;
          return Action.awaitChange();
        },
        () => Action.requeue(10),
        undefined,
      )
      .subscribe({ complete: () => (stopped = true) });
    await eventually(() => runs.filter((run) => run.ref.name === 'w1').length === 2);
    await eventually(() => runs.some((run) => run.ref.name === 'w2'));
    shutdown$.next();
    release();
    await eventually(() => stopped);

    const messages = lines.map((line) => line.message);
    expect(messages).toContain('reconcile failed');
    const lifecycle = messages.filter((message) => message.startsWith('controller '));
    expect(lifecycle).toEqual([
      'controller starting',
      'controller caches synced',
      'controller shutting down',
      'controller drained',
      'controller stopped',
    ]);
    const line = (message: string) => lines.find((l) => l.message === message)!;
    expect(line('controller starting').fields).toMatchObject({
      controller: 'widgets',
      kind: 'Widget',
      watches: ['Widget'],
    });
    expect(line('controller caches synced').fields).toMatchObject({
      controller: 'widgets',
      objects: { Widget: 2 },
      durationMs: expect.any(Number) as unknown,
    });
    expect(line('controller shutting down').fields).toMatchObject({
      controller: 'widgets',
      running: 1,
    });
    expect(line('controller drained').fields['durationMs']).toEqual(expect.any(Number));

    const runLines = lines.filter((l) => !l.message.startsWith('controller '));
    // One line of the reconcile's own per run, and the failure of w1's first run.
    expect(runLines.map((l) => l.message).sort()).toEqual([
      'reconcile failed',
      ...runs.map(() => 'reconciling'),
    ]);
    const ids = new Set(runs.map((run) => run.reconcileID));
    expect(ids.size).toBe(runs.length);
    for (const runLine of runLines) {
      const run = runs.find((r) => r.reconcileID === runLine.fields['reconcileID']);
      expect(run).toBeDefined();
      expect(runLine.fields).toEqual(
        expect.objectContaining({
          controller: 'widgets',
          namespace: 'default',
          name: run!.ref.name,
          reconcileID: run!.reconcileID,
        }),
      );
    }
  });

  it('writes a failed reconcile as one JSON line with stack and causes, secrets redacted', async () => {
    const { widgets } = harness;
    await firstValueFrom(widgets.create(widget('w1')));
    const written: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({
      format: 'json',
      transports: [new winston.transports.Stream({ stream })],
    });
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl';
    subscription = new Controller(widgets)
      .withConfig({ ...quick, logger })
      .run(
        () => {
          const refused = new Error(`GET https://backend/api: Authorization: Bearer ${token}`, {
            cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), {
              code: 'ECONNREFUSED',
            }),
          });
          throw new Error('could not sync widget', { cause: refused });
        },
        () => Action.awaitChange(),
        undefined,
      )
      .subscribe();
    await eventually(() => written.some((text) => text.includes('reconcile failed')));
    const line = JSON.parse(written.find((text) => text.includes('reconcile failed'))!) as {
      level: string;
      error: {
        message: string;
        stack: string;
        cause: { message: string; stack: string; cause: { code: string; message: string } };
      };
    } & Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'error',
      controller: 'widgets',
      namespace: 'default',
      name: 'w1',
      errorClass: 'transient',
    });
    expect(line['reconcileID']).toMatch(/^[0-9a-f-]{36}$/);
    expect(line.error.message).toBe('could not sync widget');
    expect(line.error.stack).toMatch(/^Error: could not sync widget\n\s+at /);
    expect(line.error.cause.message).toBe(
      'GET https://backend/api: Authorization: Bearer [REDACTED]',
    );
    expect(line.error.cause.stack).toContain('Bearer [REDACTED]');
    expect(line.error.cause.cause).toMatchObject({
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 10.0.0.1:443',
    });
    expect(written.join('')).not.toContain(token.slice(0, 20));
  });
});
