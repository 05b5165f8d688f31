import { Action, normalizeErrorPolicy } from '@kube-rx/controller';
import { ApiError, HttpError } from '@kube-rx/core';
import { errorPolicy, toReconcileError, type ReconcileError } from './errorPolicy.js';

const widget = { metadata: { namespace: 'default', name: 'w1' } };
const { onError } = normalizeErrorPolicy(errorPolicy);
const decide = async (error: ReconcileError) =>
  (await onError(widget, error, undefined)).requeueAfter;

describe('typed reconciler errors', () => {
  it('requeues Kubernetes API errors after 5 s', async () => {
    const unavailable = new ApiError({ code: 503, reason: 'ServiceUnavailable' });
    expect(await decide(toReconcileError(unavailable))).toBe(5_000);
    expect(await decide(toReconcileError(new HttpError('reset', { code: 'ECONNRESET' })))).toBe(
      5_000,
    );
  });

  it('awaits a change for a missing field', async () => {
    expect(await onError(widget, { kind: 'MissingField', field: 'spec.size' }, undefined)).toBe(
      Action.awaitChange(),
    );
  });

  it('retries external failures slowly', async () => {
    expect(await decide(toReconcileError(new Error('billing API down')))).toBe(60_000);
  });

  it('wraps errors by origin', () => {
    expect(toReconcileError(new ApiError({ code: 404 })).kind).toBe('KubeApi');
    expect(toReconcileError('boom')).toEqual({ kind: 'External', message: 'boom' });
  });
});
