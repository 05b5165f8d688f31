// Controller-level retry behaviour in virtual time: what the default error policy and the
// overall retry rate limit do with a reconciler whose external service keeps failing.
import { permanent, type KubeObject } from '@kube-rx/core';
import { createStore, type WatcherEvent } from '@kube-rx/watcher';
import { concat, NEVER, of } from 'rxjs';
import { runInVirtualTime } from '../../test/virtualTime.js';
import { Action } from '../action.js';
import { perKeyBackoff } from '../errorPolicy/perKeyBackoff.js';
import type { Result } from '../result.js';
import { Controller } from './controller.js';
import type { ControllerError } from './controllerError.js';
import type { ReconcileOk } from './reconcileOk.js';

const Widget = {
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
};
const widget = (name: string): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { namespace: 'ns', name, uid: name },
});

/** undici's error when the peer resets the connection: `TypeError: fetch failed`. */
const fetchFailed = (): TypeError =>
  new TypeError('fetch failed', { cause: { code: 'ECONNRESET', syscall: 'read' } });

function readyStore(...objects: KubeObject[]) {
  const { store, writer } = createStore<KubeObject>();
  const events: Array<WatcherEvent<KubeObject>> = [
    { type: 'Init' },
    ...objects.map((object) => ({ type: 'InitApply' as const, object })),
    { type: 'InitDone' },
  ];
  for (const event of events) writer.apply(event);
  return store;
}

type Out = Result<ReconcileOk, ControllerError>;

describe('Controller retries (virtual time)', () => {
  it('retries a reconciler whose fetch fails with ECONNRESET, with growing per-key delays, until it succeeds', () => {
    const runs: number[] = [];
    const results: string[] = [];
    // random = 1 pins the jitter to the top of its band: 1 s, 2 s, 4 s, ...
    const policy = perKeyBackoff<KubeObject>(undefined, { random: () => 1 });
    runInVirtualTime((_helpers, scheduler) => {
      Controller.forStream(concat(of(widget('w1')), NEVER), readyStore(widget('w1')), Widget)
        .withConfig({ scheduler })
        .run(
          () => {
            runs.push(scheduler.now());
            if (runs.length <= 3) throw fetchFailed();
            return Action.awaitChange();
          },
          policy,
          undefined,
        )
        .subscribe((result: Out) => results.push(result.ok ? 'ok' : result.val.kind));
    });
    expect(runs).toEqual([0, 1_000, 3_000, 7_000]);
    const delays = runs.slice(1).map((at, i) => at - runs[i]!);
    expect(delays).toEqual([1_000, 2_000, 4_000]);
    expect(results).toEqual(['ReconcilerFailed', 'ReconcilerFailed', 'ReconcilerFailed', 'ok']);
    // The success reset the key's backoff.
    expect(policy.size).toBe(0);
  });

  it('does not retry an error marked permanent()', () => {
    const runs: number[] = [];
    runInVirtualTime((_helpers, scheduler) => {
      Controller.forStream(concat(of(widget('w1')), NEVER), readyStore(widget('w1')), Widget)
        .withConfig({ scheduler })
        .run(
          () => {
            runs.push(scheduler.now());
            throw permanent(new Error('spec.size is required'));
          },
          perKeyBackoff<KubeObject>(undefined, { random: () => 1 }),
          undefined,
        )
        .subscribe();
    });
    expect(runs).toEqual([0]);
  });

  it('spreads the retries of 300 keys failing at once over the retry rate limit', () => {
    const names = Array.from({ length: 300 }, (_, i) => `w${i}`);
    const objects = names.map((name) => widget(name));
    const retries: number[] = [];
    const failed = new Set<string>();
    runInVirtualTime((_helpers, scheduler) => {
      Controller.forStream(concat(of(...objects), NEVER), readyStore(...objects), Widget)
        .withConfig({ scheduler, concurrency: 300 })
        .run(
          (object) => {
            const name = object.metadata!.name!;
            if (!failed.has(name)) {
              failed.add(name);
              throw fetchFailed();
            }
            retries.push(scheduler.now());
            return Action.awaitChange();
          },
          perKeyBackoff<KubeObject>(undefined, { random: () => 1 }),
          undefined,
        )
        .subscribe();
    });
    retries.sort((a, b) => a - b);
    // 100 at the per-key delay (1 s); the slots of the next 9 (100–900 ms) are earlier than
    // that too; from the 110th on, one every 100 ms.
    expect(retries).toHaveLength(300);
    expect(retries.slice(0, 110).every((at) => at === 1_000)).toBe(true);
    expect(retries.slice(110)).toEqual(Array.from({ length: 190 }, (_, i) => 1_100 + i * 100));
  });
});
