import { ApiError, isApiError } from './apiError.js';
import { HttpError, isHttpError } from './httpError.js';
import { KUBE_RX_ERROR } from './kubeErrorBrand.js';

describe('ApiError', () => {
  it('carries the Status and matches guards by code', () => {
    const error = new ApiError({
      code: 404,
      reason: 'NotFound',
      message: 'configmaps "x" not found',
    });
    expect(error.message).toBe('404 NotFound: configmaps "x" not found');
    expect(isApiError(error)).toBe(true);
    expect(isApiError(error, 404)).toBe(true);
    expect(isApiError(error, [409, 410])).toBe(false);
    expect(isHttpError(error)).toBe(false);
  });

  it('is recognised across package copies by its brand, not its class', () => {
    const foreign = Object.assign(new Error('x'), { status: { code: 409 } });
    Object.defineProperty(foreign, KUBE_RX_ERROR, { value: 'ApiError' });
    expect(isApiError(foreign, 409)).toBe(true);
    expect(foreign instanceof ApiError).toBe(false);
  });

  it('never keeps a bearer token in its message or JSON', () => {
    const error = new HttpError('connect failed with Authorization: Bearer abc.def-secret', {
      url: 'https://k8s/api?access_token=topsecret',
    });
    const serialised = JSON.stringify(error) + error.message;
    expect(serialised).not.toContain('abc.def-secret');
    expect(serialised).not.toContain('topsecret');
  });
});
