import { NEVER, Observable, Subject, take } from 'rxjs';
import type { ScheduleRequest } from '../../scheduler.js';
import { ReconcileReason, type ReconcileRequest } from '../reconcileReason.js';
import { applierInput, type ApplierInputConfig } from './applierInput.js';
import { keyedRequest, type KeyedRequest } from './keyedRequest.js';

const reason = ReconcileReason.objectUpdated();
const request = (name: string): ReconcileRequest => ({ ref: { namespace: 'ns', name }, reason });

function setUp(requests$: Observable<ReconcileRequest>, config: Partial<ApplierInputConfig> = {}) {
  const errors: unknown[] = [];
  const seen: Array<ScheduleRequest<KeyedRequest>> = [];
  let completed = false;
  const input = applierInput(requests$, {
    shard: undefined,
    scheduler: { now: () => 7 } as never,
    onRequestsError: (error) => void errors.push(error),
    ...config,
  });
  input.input$.subscribe({ next: (r) => seen.push(r), complete: () => (completed = true) });
  return { input, errors, seen, done: () => completed };
}

describe('applierInput', () => {
  it('keys trigger requests, due now, and lets only its shard in', () => {
    const requests$ = new Subject<ReconcileRequest>();
    const { seen } = setUp(requests$, { shard: (ref) => ref.name !== 'b' });
    requests$.next(request('a'));
    requests$.next(request('b'));
    expect(seen).toEqual([
      { message: keyedRequest({ namespace: 'ns', name: 'a' }, reason), runAt: 7 },
    ]);
  });

  it('merges requeues in until it closes, then completes and drops them', () => {
    const requests$ = new Subject<ReconcileRequest>();
    const { input, seen, done } = setUp(requests$);
    const requeue = { message: keyedRequest({ namespace: 'ns', name: 'r' }, reason), runAt: 99 };
    input.requeue(requeue);
    expect(seen).toEqual([requeue]);
    input.close();
    expect([input.closed, done(), requests$.observed]).toEqual([true, true, false]);
    input.requeue(requeue);
    expect(seen).toHaveLength(1);
  });

  it('closes when the trigger stream completes or errors (reporting the error)', () => {
    const completing = setUp(new Subject<ReconcileRequest>().pipe(take(0)));
    expect([completing.input.closed, completing.done()]).toEqual([true, true]);
    const failure = new Error('watch failed');
    const failing = setUp(new Observable<ReconcileRequest>((s) => s.error(failure)));
    expect([failing.input.closed, failing.done(), failing.errors]).toEqual([true, true, [failure]]);
  });

  it('sees a close that came before it was subscribed', () => {
    const input = applierInput(NEVER, {
      shard: undefined,
      scheduler: { now: () => 0 } as never,
      onRequestsError: () => undefined,
    });
    input.close();
    let completed = false;
    input.input$.subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
  });

  it('stops a synchronous trigger stream when unsubscribed', () => {
    let emitted = 0;
    const naturals$ = new Observable<ReconcileRequest>((subscriber) => {
      for (let i = 0; !subscriber.closed && i < 1_000; i++, emitted++)
        subscriber.next(request(`w${i}`));
    });
    const input = applierInput(naturals$, {
      shard: undefined,
      scheduler: { now: () => 0 } as never,
      onRequestsError: () => undefined,
    });
    const seen: string[] = [];
    input.input$.pipe(take(3)).subscribe((r) => seen.push(r.message.key));
    expect(seen).toEqual(['ns/w0', 'ns/w1', 'ns/w2']);
    expect(emitted).toBe(3);
  });
});
