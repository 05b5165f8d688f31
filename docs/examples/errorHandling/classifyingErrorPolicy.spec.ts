import { jest } from '@jest/globals';
import { ApiError, HttpError, permanent, type KubeObject } from '@kube-rx/core';
import { Action } from '@kube-rx/controller';
import { classifyingErrorPolicy } from './classifyingErrorPolicy.js';

const widget: KubeObject = { metadata: { namespace: 'default', name: 'w1' } };

describe('classifyingErrorPolicy', () => {
  it('backs off transient errors per object and resets on success', async () => {
    const policy = classifyingErrorPolicy();
    const ctx = { markFailed: jest.fn(async () => undefined) };
    const unavailable = new ApiError({ code: 503, reason: 'ServiceUnavailable' });
    const first = (await policy.onError(widget, unavailable, ctx)).requeueAfter ?? 0;
    const second = (await policy.onError(widget, new HttpError('reset'), ctx)).requeueAfter ?? 0;
    expect(first).toBeGreaterThanOrEqual(500);
    expect(first).toBeLessThanOrEqual(1_000);
    expect(second).toBeGreaterThanOrEqual(1_000);
    expect(second).toBeLessThanOrEqual(2_000);
    await policy.onSuccess?.(widget, ctx);
    const afterReset = (await policy.onError(widget, unavailable, ctx)).requeueAfter ?? 0;
    expect(afterReset).toBeLessThanOrEqual(1_000);
    expect(ctx.markFailed).not.toHaveBeenCalled();
  });

  it('records permanent errors and waits for a change', async () => {
    const policy = classifyingErrorPolicy();
    const ctx = { markFailed: jest.fn(async () => undefined) };
    const invalid = permanent(new Error('spec.size must be positive'));
    expect(await policy.onError(widget, invalid, ctx)).toBe(Action.awaitChange());
    expect(ctx.markFailed).toHaveBeenCalledWith(widget, invalid);
  });

  it('retries errors it does not know, like a failing external service', async () => {
    const policy = classifyingErrorPolicy();
    const ctx = { markFailed: jest.fn(async () => undefined) };
    const outage = new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    expect((await policy.onError(widget, outage, ctx)).requeueAfter).toBeGreaterThan(0);
    expect((await policy.onError(widget, new Error('bug'), ctx)).requeueAfter).toBeGreaterThan(0);
    expect(ctx.markFailed).not.toHaveBeenCalled();
  });

  it('requeues conflicts quickly', async () => {
    const policy = classifyingErrorPolicy();
    const ctx = { markFailed: jest.fn(async () => undefined) };
    const conflict = new ApiError({ code: 409, reason: 'Conflict' });
    expect((await policy.onError(widget, conflict, ctx)).requeueAfter).toBe(500);
  });
});
