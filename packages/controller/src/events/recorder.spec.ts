import { ApiError, type PatchBody } from '@kube-rx/core';
import { defer, of, throwError, VirtualTimeScheduler } from 'rxjs';
import { Recorder, type EventsApi, type EventsV1EventObject } from './recorder.js';

const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

class FakeEvents implements EventsApi {
  created: Array<{ namespace: string; body: EventsV1EventObject }> = [];
  patched: Array<{ namespace: string; name: string; patch: PatchBody }> = [];
  deleted = new Set<string>();

  inNamespace(namespace: string) {
    return {
      create: (body: EventsV1EventObject) =>
        defer(() => {
          this.created.push({ namespace, body });
          return of(body);
        }),
      patch: (name: string, patch: PatchBody) =>
        defer(() => {
          if (this.deleted.has(name)) {
            return throwError(() => new ApiError({ code: 404, reason: 'NotFound' }));
          }
          this.patched.push({ namespace, name, patch });
          return of({} as EventsV1EventObject);
        }),
    };
  }
}

const regarding = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  namespace: 'fx',
  name: 'w1',
  uid: 'u1',
};

function setup(config: { seriesWindow?: number; maxCacheSize?: number } = {}) {
  const api = new FakeEvents();
  const scheduler = new VirtualTimeScheduler();
  const recorder = new Recorder(api, {
    reportingController: 'example.com/widgets',
    reportingInstance: 'pod-1',
    scheduler,
    random: () => 0.5,
    ...config,
  });
  const advance = (ms: number) => {
    scheduler.schedule(() => undefined, ms);
    scheduler.flush();
  };
  return { api, recorder, advance };
}

describe('Recorder', () => {
  it('creates an events.k8s.io/v1 Event with every required field', async () => {
    const { api, recorder, advance } = setup();
    advance(1_234);
    await recorder.publish(
      { reason: 'Created', action: 'Reconcile', note: 'made a cm' },
      regarding,
    );
    expect(api.created).toHaveLength(1);
    const { namespace, body } = api.created[0]!;
    expect(namespace).toBe('fx');
    expect(body).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { namespace: 'fx' },
      eventTime: '1970-01-01T00:00:01.234000Z',
      reportingController: 'example.com/widgets',
      reportingInstance: 'pod-1',
      action: 'Reconcile',
      reason: 'Created',
      type: 'Normal',
      note: 'made a cm',
      regarding,
    });
    expect(body.metadata!.name).toMatch(/^w1\.[0-9a-f]+$/);
    expect(body.series).toBeUndefined();
  });

  it('counts repeats within the window in one series', async () => {
    const { api, recorder, advance } = setup();
    const event = { type: 'Warning' as const, reason: 'Failed', action: 'Reconcile', note: 'boom' };
    await recorder.publish(event, regarding);
    advance(60_000);
    await recorder.publish(event, regarding);
    advance(60_000);
    await recorder.publish({ ...event, note: 'boom again' }, regarding);
    expect(api.created).toHaveLength(1);
    const name = api.created[0]!.body.metadata!.name;
    expect(api.patched.map((p) => [p.name, p.patch])).toEqual([
      [
        name,
        {
          type: 'merge',
          body: { series: { count: 2, lastObservedTime: '1970-01-01T00:01:00.000000Z' } },
        },
      ],
      [
        name,
        {
          type: 'merge',
          body: { series: { count: 3, lastObservedTime: '1970-01-01T00:02:00.000000Z' } },
        },
      ],
    ]);
    for (const { patch } of api.patched) {
      expect((patch.body as EventsV1EventObject).series!.lastObservedTime).toMatch(MICRO);
    }
  });

  it('starts a new Event after the window, for a different reason, or when the old one is gone', async () => {
    const { api, recorder, advance } = setup({ seriesWindow: 10_000 });
    const event = { reason: 'Synced', action: 'Reconcile' };
    await recorder.publish(event, regarding);
    advance(10_001);
    await recorder.publish(event, regarding);
    await recorder.publish({ ...event, reason: 'Other' }, regarding);
    await recorder.publish(event, { ...regarding, name: 'w2', uid: 'u2' });
    expect(api.created).toHaveLength(4);
    api.deleted.add(api.created[1]!.body.metadata!.name!);
    await recorder.publish(event, regarding);
    expect(api.created).toHaveLength(5);
  });

  it('serialises concurrent publishes of one event into create then patch', async () => {
    const { api, recorder } = setup();
    const event = { reason: 'Burst', action: 'Reconcile' };
    await Promise.all([1, 2, 3].map(() => recorder.publish(event, regarding)));
    expect(api.created).toHaveLength(1);
    expect(api.patched).toHaveLength(2);
  });

  it('bounds its cache', async () => {
    const { recorder } = setup({ maxCacheSize: 3 });
    for (let i = 0; i < 10; i += 1) {
      await recorder.publish({ reason: 'R', action: 'A' }, { ...regarding, name: `w${i}` });
    }
    expect(recorder.cacheSize).toBe(3);
  });

  it('puts events about cluster-scoped objects in the default namespace', async () => {
    const { api, recorder } = setup();
    await recorder.publish(
      { reason: 'R', action: 'A' },
      { apiVersion: 'v1', kind: 'Node', name: 'n1' },
    );
    expect(api.created[0]!.namespace).toBe('default');
  });

  it('rejects bad config and bad events', async () => {
    const api = new FakeEvents();
    expect(() => new Recorder(api, { reportingController: '', reportingInstance: 'x' })).toThrow(
      TypeError,
    );
    expect(
      () =>
        new Recorder(api, { reportingController: 'c', reportingInstance: 'x', maxCacheSize: 0 }),
    ).toThrow(TypeError);
    const { recorder } = setup();
    await expect(recorder.publish({ reason: '', action: 'A' }, regarding)).rejects.toThrow(
      TypeError,
    );
  });
});
