import { ApiError, HttpError } from '@kube-rx/core';
import { concatMap, defer, of, throwError, timer, type Observable, type SchedulerLike } from 'rxjs';
import {
  leaderElection,
  type LeaderElectionConfig,
  type LeaseApi,
  type LeaseObject,
} from './leaderElection.js';
import { runInVirtualTime } from '../../test/virtualTime.js';

const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** An in-memory Lease endpoint with resourceVersion checks, like the API server's. */
class FakeLeases implements LeaseApi {
  lease: LeaseObject | undefined;
  version = 0;
  writes: LeaseObject[] = [];
  failNext: unknown[] = [];

  constructor(initial?: LeaseObject['spec']) {
    if (initial) this.store({ metadata: { name: 'lead', namespace: 'ns' }, spec: initial });
  }

  store(object: LeaseObject): LeaseObject {
    this.version += 1;
    this.lease = structuredClone({
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(this.version) },
    });
    return structuredClone(this.lease);
  }

  private guard<T>(run: () => T): Observable<T> {
    return defer(() => {
      const failure = this.failNext.shift();
      return failure === undefined ? of(run()) : throwError(() => failure);
    });
  }

  getOpt(): Observable<LeaseObject | undefined> {
    return this.guard(() => (this.lease ? structuredClone(this.lease) : undefined));
  }

  create(object: LeaseObject): Observable<LeaseObject> {
    return this.guard(() => {
      if (this.lease) throw new ApiError({ code: 409, reason: 'AlreadyExists' });
      this.writes.push(object);
      return this.store(object);
    });
  }

  replace(_name: string, object: LeaseObject): Observable<LeaseObject> {
    return this.guard(() => {
      if (object.metadata?.resourceVersion !== this.lease?.metadata?.resourceVersion) {
        throw new ApiError({ code: 409, reason: 'Conflict' });
      }
      this.writes.push(object);
      return this.store(object);
    });
  }
}

const conflict = new ApiError({ code: 409, reason: 'Conflict', message: 'modified' });

/** `leaderElection` for the Lease `ns/lead` as identity `a`, with `config` on top. */
function electAsA(
  api: LeaseApi,
  scheduler: SchedulerLike,
  config: Partial<LeaderElectionConfig> = {},
): Observable<boolean> {
  const lease = { name: 'lead', namespace: 'ns' };
  return leaderElection({ api, lease, identity: 'a', scheduler, ...config });
}

describe('leaderElection', () => {
  it('creates a missing lease and leads, renewing every retryPeriod with MicroTime', () => {
    const api = new FakeLeases();
    runInVirtualTime(({ expectObservable }, scheduler) => {
      const election = electAsA(api, scheduler);
      expectObservable(election, '^ 5s !').toBe('(ft)', { f: false, t: true });
    });
    expect(api.writes).toHaveLength(4); // create, renew at 2 s and 4 s, release at the end
    const [created, renewed] = api.writes;
    expect(created!.spec).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
    expect(created!.spec!.renewTime).toMatch(MICRO);
    expect(created!.spec!.acquireTime).toBe('1970-01-01T00:00:00.000000Z');
    expect(renewed!.spec!.renewTime).toBe('1970-01-01T00:00:02.000000Z');
    expect(renewed!.spec!.acquireTime).toBe(created!.spec!.acquireTime);
  });

  it('stays standby while another holder renews, and takes over after leaseDuration of silence', () => {
    const api = new FakeLeases({
      holderIdentity: 'b',
      leaseDurationSeconds: 15,
      leaseTransitions: 4,
    });
    runInVirtualTime(({ expectObservable, cold }, scheduler) => {
      // b renews at 4 s (our clock), then dies: expiry is 15 s after we saw that version.
      cold('4s x').subscribe(() =>
        api.store({ ...api.lease!, spec: { ...api.lease!.spec, renewTime: 'x' } }),
      );
      const election = electAsA(api, scheduler);
      // Attempts at 0, 2, ...: the new version is first seen at 4 s, expires at 19 s, taken at 20 s.
      expectObservable(election, '^ 30s !').toBe('f 19999ms t', { f: false, t: true });
    });
    const takeover = api.writes[0]!;
    expect(takeover.spec).toMatchObject({ holderIdentity: 'a', leaseTransitions: 5 });
  });

  it('loses leadership at once when another candidate holds the lease', () => {
    const api = new FakeLeases();
    runInVirtualTime(({ expectObservable, cold }, scheduler) => {
      cold('3s x').subscribe(() => {
        api.store({ ...api.lease!, spec: { ...api.lease!.spec, holderIdentity: 'b' } });
      });
      const election = electAsA(api, scheduler);
      expectObservable(election, '^ 5s !').toBe('(ft) 3996ms f', { f: false, t: true });
    });
  });

  it('treats a conflicting replace as lost', () => {
    const api = new FakeLeases();
    const original = api.replace.bind(api);
    let calls = 0;
    api.replace = (name, object) => {
      calls += 1;
      return calls === 2 ? throwError(() => conflict) : original(name, object);
    };
    runInVirtualTime(({ expectObservable }, scheduler) => {
      const election = electAsA(api, scheduler);
      // 0: create (lead); 2 s: renew ok; 4 s: 409 -> lost; 6 s: renew ok (still holder) -> lead.
      expectObservable(election, '^ 7s !').toBe('(ft) 3996ms f 1999ms t', { f: false, t: true });
    });
  });

  it('gives up after renewDeadline without a successful renewal', () => {
    const api = new FakeLeases();
    const errors: unknown[] = [];
    runInVirtualTime(({ expectObservable, cold }, scheduler) => {
      cold('1s x').subscribe(() => {
        for (let i = 0; i < 100; i += 1)
          api.failNext.push(new HttpError('reset', { code: 'ECONNRESET' }));
      });
      const election = electAsA(api, scheduler, {
        onError: (error) => errors.push(error),
      });
      // Last renewal at 0; deadline check at 10 s.
      expectObservable(election, '^ 12s !').toBe('(ft) 9996ms f', { f: false, t: true });
    });
    expect(errors.length).toBeGreaterThan(3);
  });

  it('releases the lease when unsubscribed while leading', () => {
    const api = new FakeLeases();
    runInVirtualTime(({ expectObservable }, scheduler) => {
      const election = electAsA(api, scheduler);
      expectObservable(election, '^ 3s !').toBe('(ft)', { f: false, t: true });
    });
    expect(api.lease!.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  });

  it('releases the lease when unsubscribed even if a renewal it never heard back from landed', () => {
    const api = new FakeLeases();
    runInVirtualTime(({ expectObservable }, scheduler) => {
      const election = electAsA(api, scheduler);
      // Just before the unsubscribe, the server takes a write by 'a' whose answer 'a' never saw
      // (a renewal cancelled in flight): the version 'a' last saw is stale.
      scheduler.schedule(() => api.store(api.lease!), 2900);
      expectObservable(election, '^ 3s !').toBe('(ft)', { f: false, t: true });
    });
    expect(api.lease!.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  });

  it('leaves a lease that someone else took alone when unsubscribed', () => {
    const api = new FakeLeases();
    runInVirtualTime(({ expectObservable }, scheduler) => {
      const election = electAsA(api, scheduler);
      scheduler.schedule(
        () => api.store({ ...api.lease!, spec: { ...api.lease!.spec, holderIdentity: 'b' } }),
        2900,
      );
      expectObservable(election, '^ 3s !').toBe('(ft)', { f: false, t: true });
    });
    expect(api.lease!.spec?.holderIdentity).toBe('b');
    expect(api.lease!.spec?.leaseDurationSeconds).not.toBe(1);
  });

  it('on stop releases the lease, waits for the write, then emits false and completes', () => {
    const api = new FakeLeases();
    const original = api.replace.bind(api);
    runInVirtualTime(({ expectObservable, cold }, scheduler) => {
      // Every write takes 100 ms, so completing before the release is done would show.
      api.replace = (name, object) =>
        timer(100, scheduler).pipe(concatMap(() => original(name, object)));
      const election = electAsA(api, scheduler, {
        stop: cold('3s x'),
      });
      expectObservable(election).toBe('(ft) 2996ms 100ms (f|)', { f: false, t: true });
    });
    expect(api.lease!.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  });

  it('on stop as a standby completes at once without writing', () => {
    const api = new FakeLeases({ holderIdentity: 'b', leaseDurationSeconds: 15 });
    runInVirtualTime(({ expectObservable, cold }, scheduler) => {
      const election = electAsA(api, scheduler, {
        stop: cold('3s x'),
      });
      expectObservable(election).toBe('f 2999ms |', { f: false });
    });
    expect(api.writes).toHaveLength(0);
    expect(api.lease!.spec!.holderIdentity).toBe('b');
  });

  it('on stop reports a failed release and still completes within renewDeadline', () => {
    const api = new FakeLeases();
    const errors: unknown[] = [];
    runInVirtualTime(({ expectObservable, cold }, scheduler) => {
      cold('3s x').subscribe(() =>
        api.failNext.push(new HttpError('reset', { code: 'ECONNRESET' })),
      );
      const election = electAsA(api, scheduler, {
        onError: (error) => errors.push(error),
        stop: cold('3s x'),
      });
      expectObservable(election).toBe('(ft) 2996ms (f|)', { f: false, t: true });
    });
    expect(errors).toHaveLength(1);
    expect(api.lease!.spec!.holderIdentity).toBe('a');
  });

  it('validates its config at creation', () => {
    const api = new FakeLeases();
    const lease = { name: 'lead', namespace: 'ns' };
    expect(() => leaderElection({ api, lease, identity: '' })).toThrow(TypeError);
    expect(() => leaderElection({ lease, identity: 'a' })).toThrow(TypeError);
    expect(() => leaderElection({ api, lease, identity: 'a', renewDeadline: 20_000 })).toThrow(
      TypeError,
    );
    expect(() => leaderElection({ api, lease, identity: 'a', retryPeriod: 0 })).toThrow(TypeError);
  });
});
