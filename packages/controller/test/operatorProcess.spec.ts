import { jest } from '@jest/globals';
import { Lease } from '@kube-rx/core';
import type { LeaseObject } from '@kube-rx/controller';
import {
  eventually,
  isInitialList,
  NAMESPACE,
  startHarness,
  widget,
  type Harness,
} from './support.js';
import { eventOf, killAll, kubeConfigFile, startReplica, type Replica } from './replicaProcess.js';

// Real processes and real time: generous waits, and every bound asserted is a protocol bound.
jest.setTimeout(90_000);

const LEASE_DURATION = 3_000;
const RETRY_PERIOD = 500;
const SHUTDOWN_TIMEOUT = 5_000;
const timing = {
  LEASE_DURATION: String(LEASE_DURATION),
  RENEW_DEADLINE: '2000',
  RETRY_PERIOD: String(RETRY_PERIOD),
  SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT),
};

let harness: Harness;
let kubeconfig: string;
const replicas: Replica[] = [];
let leaseLog: Array<{ version: string; holder: string; at: number }> = [];
let leasePoll: NodeJS.Timeout | undefined;

/** Records every version of the Lease the test server holds, with when it was first seen. */
function recordLease(name: string): void {
  leasePoll = setInterval(() => {
    const lease = harness.server.get(Lease, NAMESPACE, name) as LeaseObject | undefined;
    const version = lease?.metadata?.resourceVersion;
    if (!lease || !version || leaseLog.at(-1)?.version === version) return;
    leaseLog.push({ version, holder: lease.spec?.holderIdentity ?? '', at: Date.now() });
  }, 10);
}

beforeEach(async () => {
  harness = await startHarness();
  kubeconfig = kubeConfigFile(harness.server);
  leaseLog = [];
});

afterEach(async () => {
  clearInterval(leasePoll);
  await killAll(replicas.splice(0));
  await harness.server.close();
});

const start = (identity: string, env: Record<string, string> = {}): Replica => {
  const replica = startReplica(identity, kubeconfig, { ...timing, ...env });
  replicas.push(replica);
  return replica;
};

/** Full lists of widgets (LIST pages or streaming-list WATCHes) so far. */
const widgetLists = (): number =>
  harness.server.requests.filter((r) => isInitialList(r) && r.resource === 'widgets').length;

describe('Operator in a child process', () => {
  it('exits 0 by itself on SIGTERM with reconciles in flight, releases the Lease, and a warm standby takes over without a LIST', async () => {
    const names = ['w1', 'w2', 'w3', 'w4'];
    harness.server.seed(names.map((name) => widget(name)));
    recordLease('widget-operator');
    const a = start('replica-a', { RECONCILE_MS: '1500' });
    await a.waitFor(eventOf('LeaderAcquired'));
    const b = start('replica-b', { RECONCILE_MS: '0' });
    await b.waitFor(eventOf('CachesSynced'));
    await a.waitFor((line) => line.type === 'reconcile' && line.phase === 'start');
    expect(b.lines.filter((line) => line.type === 'reconcile')).toEqual([]);
    expect((await fetch(`${a.healthUrl()}/readyz`)).status).toBe(200);
    expect((await fetch(`${b.healthUrl()}/readyz`)).status).toBe(200); // standbys are ready

    const listsBefore = widgetLists();
    const signalledAt = Date.now();
    a.child.kill('SIGTERM');
    // /readyz turns 503 as the shutdown starts, while the running reconciles finish.
    await a.waitFor(eventOf('ShuttingDown'));
    expect((await fetch(`${a.healthUrl()}/readyz`)).status).toBe(503);

    const exit = await a.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT + 1_000);
    // The in-flight reconciles finished before the process left.
    const aStarts = a.lines.filter((l) => l.type === 'reconcile' && l.phase === 'start').length;
    const aEnds = a.lines.filter((l) => l.type === 'reconcile' && l.phase === 'end').length;
    expect(aEnds).toBe(aStarts);
    const types = a.events().map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(['Starting', 'ServersListening']);
    expect(types.slice(2, 4).sort()).toEqual(['CachesSynced', 'LeaderAcquired']); // either order
    expect(types.slice(4)).toEqual(['ShuttingDown', 'Drained', 'LeaseReleased', 'Stopped']);

    // The release was written (holder empty) before the process exited…
    const released = leaseLog.find((entry) => entry.holder === '');
    expect(released).toBeDefined();
    expect(released!.at).toBeLessThanOrEqual(exit.at);
    // …and b took the Lease within one retryPeriod (+1 s of slack) of the release.
    await b.waitFor(eventOf('LeaderAcquired'));
    await eventually(() => leaseLog.some((entry) => entry.holder === 'replica-b'));
    const taken = leaseLog.find((entry) => entry.holder === 'replica-b');
    expect(taken!.at - released!.at).toBeLessThan(RETRY_PERIOD + 1_000);
    // b reconciles every widget from its warm cache: not one LIST since the signal.
    await eventually(
      () =>
        new Set(
          b.lines.flatMap((l) => (l.type === 'reconcile' && l.phase === 'end' ? [l.key] : [])),
        ).size === names.length,
      10_000,
    );
    expect(widgetLists()).toBe(listsBefore);
  });

  it('exits at once with a clear line on a second signal during the shutdown', async () => {
    harness.server.seed(widget('slow'));
    const a = start('replica-a', { RECONCILE_MS: '20000', SHUTDOWN_TIMEOUT: '20000' });
    await a.waitFor((line) => line.type === 'reconcile' && line.phase === 'start');
    a.child.kill('SIGTERM');
    await a.waitFor(eventOf('ShuttingDown'));
    const secondAt = Date.now();
    a.child.kill('SIGTERM');
    const exit = await a.exited;
    expect(exit).toMatchObject({ code: 143, signal: null });
    expect(exit.at - secondAt).toBeLessThan(5_000); // not the 20 s the reconcile would take
    expect(a.stderr.join('')).toContain(
      'widget-operator: SIGTERM received again while shutting down; exiting now',
    );
  });

  it('keeps exactly one leader among three candidates, and a new one follows a SIGKILL within leaseDuration + retryPeriod', async () => {
    harness.server.seed(widget('w1'));
    recordLease('widget-operator');
    const candidates = ['c1', 'c2', 'c3'].map((identity) => start(identity));
    await Promise.all(candidates.map((c) => c.waitFor(eventOf('CachesSynced'))));
    const leaders = (): Replica[] =>
      candidates.filter((candidate) => {
        const last = candidate
          .events()
          .filter((e) => e.type === 'LeaderAcquired' || e.type === 'LeaderLost')
          .at(-1);
        return (
          last?.type === 'LeaderAcquired' &&
          candidate.child.exitCode === null &&
          candidate.child.signalCode === null
        );
      });
    await eventually(() => leaders().length === 1, 10_000);
    // Sample for a few retry periods: always exactly one, and it is the Lease's holder.
    for (let sample = 0; sample < 20; sample += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = leaders();
      expect(now).toHaveLength(1);
      expect(leaseLog.at(-1)!.holder).toBe(now[0]!.identity);
    }
    const leader = leaders()[0]!;
    const killedAt = Date.now();
    leader.child.kill('SIGKILL');
    await leader.exited;
    const survivors = candidates.filter((c) => c !== leader);
    const line = await Promise.race(survivors.map((s) => s.waitFor(eventOf('LeaderAcquired'))));
    expect(line.at - killedAt).toBeLessThan(LEASE_DURATION + RETRY_PERIOD + 1_000);
    // Still exactly one among the survivors.
    for (let sample = 0; sample < 10; sample += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(leaders()).toHaveLength(1);
    }
    expect(leaseLog.at(-1)!.holder).toBe(line.identity);
  });
});
