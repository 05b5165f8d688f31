import { jest } from '@jest/globals';
import {
  ApiError,
  exponentialBackoff,
  HttpError,
  permanent as markPermanent,
  type KubeObject,
} from '@kube-rx/core';
import { Action } from '../action.js';
import { normalizeErrorPolicy } from './errorPolicy.js';
import { perKeyBackoff } from './perKeyBackoff.js';

const obj = (name: string): KubeObject => ({ metadata: { namespace: 'ns', name } });
const transient = new HttpError('connect ECONNREFUSED', { code: 'ECONNREFUSED' });
const permanent = new ApiError({ code: 422, reason: 'Invalid', message: 'bad spec' });
const conflict = new ApiError({ code: 409, reason: 'Conflict', message: 'modified' });
const noJitter = exponentialBackoff({
  initialDelay: 1_000,
  maxDelay: 8_000,
  jitter: false,
  resetAfter: Infinity,
});

async function delays(
  policy: ReturnType<typeof perKeyBackoff>,
  object: KubeObject,
  error: unknown,
  times: number,
): Promise<Array<number | undefined>> {
  const result: Array<number | undefined> = [];
  for (let i = 0; i < times; i += 1) {
    result.push((await policy.onError(object, error, undefined)).requeueAfter);
  }
  return result;
}

describe('perKeyBackoff', () => {
  it('grows each key its own backoff on transient errors', async () => {
    const policy = perKeyBackoff(noJitter);
    expect(await delays(policy, obj('a'), transient, 3)).toEqual([1_000, 2_000, 4_000]);
    expect(await delays(policy, obj('b'), transient, 1)).toEqual([1_000]);
    expect(await delays(policy, obj('a'), transient, 2)).toEqual([8_000, 8_000]);
    expect(policy.size).toBe(2);
  });

  it("resets only the succeeding key's backoff on success", async () => {
    const policy = perKeyBackoff(noJitter);
    await delays(policy, obj('a'), transient, 3);
    await delays(policy, obj('b'), transient, 2);
    await policy.onSuccess!(obj('a'), undefined);
    expect(policy.size).toBe(1);
    expect(await delays(policy, obj('a'), transient, 1)).toEqual([1_000]);
    expect(await delays(policy, obj('b'), transient, 1)).toEqual([4_000]);
  });

  it('uses 1 s × 2 up to 5 min with jitter by default', async () => {
    const policy = perKeyBackoff(undefined, { random: () => 0.999_999 });
    const result = await delays(policy, obj('a'), transient, 11);
    expect(result.slice(0, 3).map((d) => Math.round(d!))).toEqual([1_000, 2_000, 4_000]);
    expect(Math.round(result[10]!)).toBe(300_000);
    const low = perKeyBackoff(undefined, { random: () => 0 });
    expect(await delays(low, obj('a'), transient, 2)).toEqual([500, 1_000]);
  });

  it('records a condition for permanent errors and awaits a change', async () => {
    const recorded: unknown[] = [];
    const policy = perKeyBackoff<KubeObject, unknown, string>(noJitter, {
      recordCondition: async (object, error, ctx) => {
        await Promise.resolve();
        recorded.push([object.metadata?.name, error, ctx]);
      },
    });
    const action = await policy.onError(obj('a'), permanent, 'ctx');
    expect(action).toBe(Action.awaitChange());
    expect(recorded).toEqual([['a', permanent, 'ctx']]);
  });

  it('retries network failures and unknown errors; only permanent() waits for a change', () => {
    const recorded: unknown[] = [];
    const policy = perKeyBackoff(noJitter, {
      recordCondition: (_o, error) => void recorded.push(error),
    });
    const fetchFailed = new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    // Synchronous answers (no Promise) for everything but a recorded condition.
    const first = policy.onError(obj('a'), fetchFailed, undefined) as Action;
    const second = policy.onError(obj('a'), new Error('bug'), undefined) as Action;
    const third = policy.onError(obj('a'), 'a thrown string', undefined) as Action;
    expect([first, second, third].map((action) => action.requeueAfter)).toEqual([
      1_000, 2_000, 4_000,
    ]);
    expect(recorded).toEqual([]);
    const invalid = markPermanent(new Error('spec.size is required'));
    return Promise.resolve(policy.onError(obj('b'), invalid, undefined)).then((action) => {
      expect(action).toBe(Action.awaitChange());
      expect(recorded).toEqual([invalid]);
    });
  });

  it('requeues with the backoff when recording the condition fails', async () => {
    const policy = perKeyBackoff(noJitter, {
      recordCondition: () => Promise.reject(new Error('status patch failed')),
    });
    expect((await policy.onError(obj('a'), permanent, undefined)).requeueAfter).toBe(1_000);
  });

  it('requeues conflicts quickly, then falls back to the backoff', async () => {
    const policy = perKeyBackoff(noJitter, { conflictDelay: 200, maxQuickConflictRetries: 2 });
    expect(await delays(policy, obj('a'), conflict, 4)).toEqual([200, 200, 1_000, 2_000]);
    await policy.onSuccess!(obj('a'), undefined);
    expect(await delays(policy, obj('a'), conflict, 1)).toEqual([200]);
    expect(await delays(perKeyBackoff(noJitter), obj('b'), conflict, 1)).toEqual([500]);
  });

  it('awaits a change and starts afresh when the strategy gives up', async () => {
    const policy = perKeyBackoff(exponentialBackoff({ jitter: false, maxRetries: 2 }));
    expect(await delays(policy, obj('a'), transient, 3)).toEqual([800, 1_600, undefined]);
    expect(policy.size).toBe(0);
    expect(await delays(policy, obj('a'), transient, 1)).toEqual([800]);
  });

  it('classifies through the cause chain and honours a custom classify', async () => {
    const wrapped = new Error('reconcile failed', { cause: conflict });
    expect(await delays(perKeyBackoff(noJitter), obj('a'), wrapped, 1)).toEqual([500]);
    const classify = jest.fn(() => 'transient' as const);
    const custom = perKeyBackoff(noJitter, { classify });
    expect(await delays(custom, obj('a'), permanent, 1)).toEqual([1_000]);
    expect(classify).toHaveBeenCalledWith(permanent);
  });

  it('bounds memory, forgetting the least recently failed key', async () => {
    const policy = perKeyBackoff(noJitter, { maxKeys: 2 });
    await delays(policy, obj('a'), transient, 2);
    await delays(policy, obj('b'), transient, 2);
    await delays(policy, obj('a'), transient, 1);
    await delays(policy, obj('c'), transient, 1);
    expect(policy.size).toBe(2);
    expect(await delays(policy, obj('a'), transient, 1)).toEqual([8_000]);
    expect(await delays(policy, obj('b'), transient, 1)).toEqual([1_000]);
  });

  it.each([
    [undefined, { conflictDelay: -1 }],
    [undefined, { maxKeys: 0 }],
    [undefined, { maxQuickConflictRetries: 1.5 }],
    ['nope', {}],
  ])('rejects bad config %p %p', (strategy, config) => {
    expect(() => perKeyBackoff(strategy as never, config)).toThrow(TypeError);
  });
});

describe('normalizeErrorPolicy', () => {
  it('accepts a function or an object with onError/onSuccess', async () => {
    const fn = normalizeErrorPolicy(() => Action.requeue(1));
    expect((await fn.onError({}, new Error(), undefined)).requeueAfter).toBe(1);
    expect(fn.onSuccess).toBeUndefined();
    const calls: string[] = [];
    const obj2 = normalizeErrorPolicy({
      prefix: 'p',
      onError() {
        return Action.awaitChange();
      },
      onSuccess(this: { prefix: string }) {
        calls.push(this.prefix);
      },
    } as never);
    await obj2.onSuccess!({}, undefined);
    expect(calls).toEqual(['p']);
    expect(() => normalizeErrorPolicy({} as never)).toThrow(TypeError);
    expect(() => normalizeErrorPolicy(null as never)).toThrow(TypeError);
  });
});
