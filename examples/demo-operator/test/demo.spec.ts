import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger } from '@kube-rx/core';
import { runEmbeddedDemo } from '../src/embeddedDemo.js';

// The whole `npm start` scenario, in-process, against the embedded API server: it must converge
// after the faults, and what the summary reports must be what the faults should have caused.
describe('demo operator (embedded API server, scripted faults)', () => {
  it('converges after 503s, dropped watches, a 410 and a 429, with the invalid spec recorded first', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({
      format: 'json',
      level: 'info',
      transports: [new winston.transports.Stream({ stream: sink })],
    });

    const summary = await runEmbeddedDemo({ logger, durationMs: 40_000 });

    expect(summary.script?.completedSteps).toEqual([
      'initial sync',
      '503 storm',
      'dropped watches',
      '410 Gone',
      '429 Retry-After',
      'spec fixed',
      'deletion',
    ]);
    expect(summary.converged).toBe(true);
    expect(summary.finalState?.orphanedConfigMaps).toEqual([]);
    expect(summary.finalState?.generators.map((g) => [g.name, g.ready])).toEqual([
      ['kube-rx-demo/app-config', 'True (Generated)'],
      ['kube-rx-demo/broken-config', 'True (Generated)'],
      ['kube-rx-demo/feature-flags', 'True (Generated)'],
    ]);

    // The permanent error was a condition before the fix, written once, not retried.
    expect(summary.script?.invalidSpecRecordedBeforeFix).toBe(true);
    expect(summary.conditions).toEqual([
      expect.objectContaining({
        key: 'kube-rx-demo/broken-config',
        reason: 'InvalidSpec',
        generation: 1,
      }),
    ]);
    expect(summary.errors.permanent).toBeGreaterThanOrEqual(1);

    // The 503 storm outlasted the client retries: transient failures, requeues, backoff reset.
    expect(summary.script?.served503).toBe(18);
    expect(summary.errors.transient).toBeGreaterThanOrEqual(2);
    expect(summary.policyRequeues).toBeGreaterThanOrEqual(summary.errors.transient);
    expect(summary.backoffResets).toBeGreaterThanOrEqual(1);
    expect(summary.clientRetries).toBeGreaterThanOrEqual(1);
    expect(summary.script?.served429).toBe(1);

    // A dropped watch resumes with one WATCH and no LIST; a 410 forces exactly one relist.
    expect(summary.script?.afterDroppedWatches).toEqual([
      { resource: 'configmapgenerators', watches: 1, lists: 0 },
      { resource: 'configmaps', watches: 1, lists: 0 },
    ]);
    for (const recovery of summary.script?.afterCompaction ?? []) expect(recovery.lists).toBe(1);
    expect(summary.watchRestarts).toBeGreaterThanOrEqual(4);

    // Two replicas under one Lease: the leader stopped, the warm standby took over within a
    // retry period or so and reconciled every generator without a LIST.
    expect(summary.handover).toMatchObject({
      from: 'replica-a',
      to: 'replica-b',
      listsDuringHandover: 0,
    });
    expect(summary.handover!.reconciledByStandby).toBeGreaterThanOrEqual(3);
    expect(summary.handover!.takeoverMs).toBeLessThan(5_000);
    // Readiness: the standby was 503 before its caches synced, then 200; the leader turned 503
    // when its shutdown started, then its server closed.
    const readiness = summary.handover!.readiness;
    expect(readiness.filter((r) => r.startsWith('replica-b'))).toEqual([
      'replica-b: 503',
      'replica-b: 200',
      'replica-b: 503',
      'replica-b: closed',
    ]);
    expect(readiness.filter((r) => r.startsWith('replica-a')).at(-1)).toBe('replica-a: closed');
    expect(
      summary.handover!.metricsExcerpt.some((line) => line.includes('configmapgenerators')),
    ).toBe(true);

    // The log tells the story.
    const messages = lines.map((line) => (JSON.parse(line) as { message: string }).message);
    expect(messages).toContain('watch resumed: 1 WATCH, 0 LIST');
    expect(messages).toContain('reconcile succeeded: backoff reset');
    expect(messages).toContain('permanent error recorded as condition');
  }, 60_000);
});
