import { Api, EventsV1Event, Lease, objectRef } from '@kube-rx/core';
import { leaderElection, Recorder, type LeaseObject } from '@kube-rx/controller';
import { firstValueFrom, type Subscription } from 'rxjs';
import { eventually, NAMESPACE, startHarness, widget, type Harness } from './support.js';

const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

let harness: Harness;
const subscriptions: Subscription[] = [];

beforeEach(async () => {
  harness = await startHarness();
});

afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
  await harness.server.close();
});

describe('leaderElection against the test API server', () => {
  it('elects one leader, and hands over when it releases the lease', async () => {
    const kubeConfig = harness.server.kubeConfig();
    const lease = { name: 'widget-operator', namespace: NAMESPACE };
    const timing = { leaseDuration: 3_000, renewDeadline: 2_000, retryPeriod: 100 };
    const states: Record<string, boolean[]> = { a: [], b: [] };
    const a = leaderElection({ kubeConfig, lease, identity: 'a', ...timing }).subscribe((v) =>
      states['a']!.push(v),
    );
    subscriptions.push(a);
    await eventually(() => states['a']!.at(-1) === true);
    subscriptions.push(
      leaderElection({ kubeConfig, lease, identity: 'b', ...timing }).subscribe((v) =>
        states['b']!.push(v),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(states['b']).toEqual([false]);
    const held = harness.server.get(Lease, NAMESPACE, 'widget-operator') as LeaseObject;
    expect(held.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 3 });
    expect(held.spec!.renewTime).toMatch(MICRO);
    expect(held.spec!.acquireTime).toMatch(MICRO);

    a.unsubscribe();
    // Released: b takes over well before the lease would have expired.
    const releasedAt = Date.now();
    await eventually(() => states['b']!.at(-1) === true, 2_000);
    expect(Date.now() - releasedAt).toBeLessThan(3_000);
    const taken = harness.server.get(Lease, NAMESPACE, 'widget-operator') as LeaseObject;
    expect(taken.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });
});

describe('Recorder against the test API server', () => {
  it('creates a valid events.k8s.io/v1 Event and counts repeats in its series', async () => {
    const { widgets, server } = harness;
    const created = await firstValueFrom(widgets.create(widget('w1')));
    const recorder = new Recorder(server.kubeConfig(), {
      reportingController: 'example.com/widget-operator',
      reportingInstance: 'pod-1',
    });
    const event = {
      type: 'Warning' as const,
      reason: 'InvalidSpec',
      action: 'Reconcile',
      note: 'size missing',
    };
    await recorder.publish(event, objectRef(created));
    await recorder.publish(event, objectRef(created));
    await recorder.publish(event, objectRef(created));
    await recorder.publish({ ...event, reason: 'Other' }, objectRef(created));
    const events = await firstValueFrom(
      Api.namespaced(server.kubeConfig(), EventsV1Event, NAMESPACE).list(),
    );
    expect(events.items).toHaveLength(2);
    const series = events.items.find((e) => e.reason === 'InvalidSpec')!;
    expect(series).toMatchObject({
      reportingController: 'example.com/widget-operator',
      reportingInstance: 'pod-1',
      action: 'Reconcile',
      type: 'Warning',
      note: 'size missing',
      regarding: { kind: 'Widget', name: 'w1', namespace: NAMESPACE, uid: created.metadata!.uid },
      series: { count: 3 },
    });
    expect(series.eventTime).toMatch(MICRO);
    expect(series.series!.lastObservedTime).toMatch(MICRO);
  });
});
