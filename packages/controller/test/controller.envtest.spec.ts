import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { firstValueFrom, type Subscription } from 'rxjs';
import {
  Api,
  exponentialBackoff,
  isApiError,
  Lease,
  Namespace,
  type KubeObject,
} from '@kube-rx/core';
import {
  Action,
  Controller,
  finalizer,
  leaderElection,
  type LeaseObject,
} from '@kube-rx/controller';
import { startEnvtest, type Envtest } from '@kube-rx/testing';
import { describeEnvtest } from '../../testing/test/envtest/describeEnvtest.js';
import { eventually, widget, WidgetResource, type Widget } from './support.js';

// The controller's finalizer flow and leader election against a real kube-apiserver.
let envtest: Envtest;
const subscriptions: Subscription[] = [];

describeEnvtest('controller against kube-apiserver', () => {
  beforeAll(async () => {
    envtest = await startEnvtest({
      customResources: [{ ...WidgetResource, statusSubresource: true }],
    });
    await firstValueFrom(
      Api.cluster<KubeObject>(envtest.kubeConfig(), Namespace).create({
        metadata: { name: 'leader-election' },
      }),
    );
  }, 60_000);
  afterEach(() => {
    for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
  });
  afterAll(() => envtest?.close(), 30_000);

  it('adds a finalizer, applies, and cleans up before the object goes', async () => {
    const widgets = Api.namespaced<Widget>(envtest.kubeConfig(), WidgetResource, 'default');
    const name = 'widgets.example.com/cleanup';
    const events: string[] = [];
    subscriptions.push(
      new Controller(widgets)
        .withConfig({ triggerBackoff: exponentialBackoff({ initialDelay: 10, maxDelay: 50 }) })
        .run(
          (object: Widget) =>
            finalizer(widgets, name, object, async (event) => {
              events.push(`${event.type} ${event.object.metadata!.name}`);
              return Action.awaitChange();
            }),
          () => Action.awaitChange(),
          undefined,
        )
        .subscribe(),
    );
    await firstValueFrom(widgets.create(widget('w1')));
    await eventually(() => events.includes('Apply w1'));
    expect((await firstValueFrom(widgets.get('w1'))).metadata?.finalizers).toEqual([name]);

    const deleting = (await firstValueFrom(widgets.delete('w1'))) as Widget;
    expect(deleting.metadata?.deletionTimestamp).toBeDefined();
    await eventually(() => events.includes('Cleanup w1'));
    // Once the finalizer is removed, the real apiserver deletes the object.
    let gone = false;
    await eventually(() => {
      void firstValueFrom(widgets.get('w1')).catch((error: unknown) => {
        gone ||= isApiError(error, 404);
      });
      return gone;
    });
    expect(events).toEqual(['Apply w1', 'Cleanup w1']);
  }, 30_000);

  it('elects one leader among three candidates and hands over when it stops', async () => {
    const kubeConfig = envtest.kubeConfig();
    const lease = { name: 'widget-operator', namespace: 'leader-election' };
    const leading = new Map<string, boolean>();
    const candidates = ['a', 'b', 'c'].map((identity) => ({
      identity,
      subscription: leaderElection({
        kubeConfig,
        lease,
        identity,
        leaseDuration: 3000,
        renewDeadline: 2000,
        retryPeriod: 200,
      }).subscribe((isLeader) => leading.set(identity, isLeader)),
    }));
    subscriptions.push(...candidates.map((candidate) => candidate.subscription));
    const leaders = () => [...leading].filter(([, isLeader]) => isLeader).map(([id]) => id);
    const holder = async () =>
      (
        await firstValueFrom(
          Api.namespaced<LeaseObject>(kubeConfig, Lease, lease.namespace).get(lease.name),
        )
      ).spec?.holderIdentity;

    await eventually(() => leaders().length === 1, 10_000);
    const first = leaders()[0]!;
    expect(await holder()).toBe(first);
    // Renewals keep the same leader and never a second one.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(leaders()).toEqual([first]);

    // The leader stops: it releases the Lease and a standby takes over well before leaseDuration.
    const stoppedAt = Date.now();
    candidates.find((candidate) => candidate.identity === first)!.subscription.unsubscribe();
    leading.delete(first);
    await eventually(() => leaders().length === 1, 10_000);
    const second = leaders()[0]!;
    expect(second).not.toBe(first);
    expect(Date.now() - stoppedAt).toBeLessThan(3000);
    expect(await holder()).toBe(second);
  }, 30_000);
});
