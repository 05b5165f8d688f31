import { TimeoutError } from 'rxjs';

import { ApiError } from './apiError.js';
import { classify } from './classify.js';
import { HttpError } from './httpError.js';
import { KUBE_RX_ERROR } from './kubeErrorBrand.js';
import { SerdeError } from './serdeError.js';

const apiError = (code: number): ApiError => new ApiError({ code, message: `status ${code}` });

describe('classify', () => {
  it.each([
    ['connection refused', new HttpError('refused', { code: 'ECONNREFUSED' })],
    ['connection reset mid-body', new HttpError('reset', { code: 'ECONNRESET', stage: 'body' })],
    ['a timed-out request', new HttpError('slow', { code: 'ETIMEDOUT', timedOut: true })],
    ['a TLS failure', new HttpError('tls', { code: 'CERT_HAS_EXPIRED' })],
  ])('HttpError (%s) is transient', (_label, error) => {
    expect(classify(error)).toBe('transient');
  });

  it.each([429, 500, 502, 503, 504])('ApiError %i is transient', (code) => {
    expect(classify(apiError(code))).toBe('transient');
  });

  it.each([501, 505, 507, 599])('other 5xx (%i) are transient', (code) => {
    expect(classify(apiError(code))).toBe('transient');
  });

  it('ApiError 409 is a conflict', () => {
    expect(classify(apiError(409))).toBe('conflict');
    const alreadyExists = new ApiError({ code: 409, reason: 'AlreadyExists' });
    expect(classify(alreadyExists)).toBe('conflict');
  });

  it.each([400, 401, 403, 404, 405, 410, 415, 422])('ApiError %i is permanent', (code) => {
    expect(classify(apiError(code))).toBe('permanent');
  });

  it.each([402, 406, 408, 411, 412, 413, 418, 451])('other 4xx (%i) are permanent', (code) => {
    expect(classify(apiError(code))).toBe('permanent');
  });

  it('SerdeError is permanent', () => {
    expect(classify(new SerdeError('not JSON', { body: '<html>' }))).toBe('permanent');
  });

  it("RxJS TimeoutError and AbortSignal.timeout()'s TimeoutError are transient", () => {
    expect(classify(new TimeoutError())).toBe('transient');
    expect(classify(new DOMException('signal timed out', 'TimeoutError'))).toBe('transient');
  });

  it('classifies the nearest KubeError in the cause chain', () => {
    const watcherError = new Error('watch failed', { cause: apiError(503) });
    expect(classify(watcherError)).toBe('transient');
    const controllerError = new Error('reconcile failed', {
      cause: new Error('update status', { cause: apiError(409) }),
    });
    expect(classify(controllerError)).toBe('conflict');
    const userError = new Error('could not apply', { cause: apiError(422) });
    expect(classify(userError)).toBe('permanent');
  });

  it('takes the nearest KubeError, not a deeper one', () => {
    const nested = new HttpError('retry failed', { cause: apiError(404) });
    expect(classify(new Error('outer', { cause: nested }))).toBe('transient');
  });

  it('recognises errors of another package copy by their brand', () => {
    const foreign = Object.assign(new Error('x'), { status: { code: 409 } });
    Object.defineProperty(foreign, KUBE_RX_ERROR, { value: 'ApiError' });
    expect(classify(foreign)).toBe('conflict');
  });

  it.each([
    ['a plain Error', new Error('bug')],
    ['a TypeError with a Node error code', Object.assign(new TypeError('bad'), { code: 'ERR_X' })],
    ['a string', 'failed'],
    ['undefined', undefined],
    ['null', null],
    ['an error wrapping a non-kube error', new Error('outer', { cause: new Error('inner') })],
  ])('%s is permanent', (_label, error) => {
    expect(classify(error)).toBe('permanent');
  });

  it('stops on a cyclic cause chain', () => {
    const first = new Error('a');
    const second = new Error('b', { cause: first });
    Object.defineProperty(first, 'cause', { value: second });
    expect(classify(first)).toBe('permanent');
  });
});
