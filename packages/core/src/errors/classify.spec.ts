import { TimeoutError } from 'rxjs';

import { ApiError } from './apiError.js';
import { classify } from './classify.js';
import { HttpError } from './httpError.js';
import { KUBE_RX_ERROR } from './kubeErrorBrand.js';
import { isPermanent, permanent, PermanentError } from './permanentError.js';
import { SerdeError } from './serdeError.js';

/** A Node system error as `net`/`dns` raise it: an Error with a string `code`. */
const systemError = (code: string): Error =>
  Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code, syscall: 'connect' });
/** undici's `fetch` failure: a TypeError whose `cause` is the socket error. */
const fetchFailed = (cause: unknown): TypeError => new TypeError('fetch failed', { cause });

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

  it.each([408, 429])('ApiError %i (the server asks to try again) is transient', (code) => {
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

  it.each([402, 406, 411, 412, 413, 418, 451])('other 4xx (%i) are permanent', (code) => {
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

  const networkCodes = [
    'ECONNRESET',
    'ETIMEDOUT',
    'ECONNREFUSED',
    'EPIPE',
    'EAI_AGAIN',
    'ENOTFOUND',
    'ECONNABORTED',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENETDOWN',
    'EHOSTDOWN',
    'ESOCKETTIMEDOUT',
  ];
  const undiciCodes = [
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_DESTROYED',
    'UND_ERR_REQ_RETRY',
  ];

  describe('network failures are transient wherever they are in the chain', () => {
    it.each(networkCodes)('a Node system error %s', (code) => {
      expect(classify(systemError(code))).toBe('transient');
    });

    it.each(undiciCodes)('an undici error %s', (code) => {
      const error = Object.assign(new Error('undici'), { name: 'SocketError', code });
      expect(classify(error)).toBe('transient');
    });

    it.each(networkCodes)('fetch failed with a cause %s (also a plain object cause)', (code) => {
      expect(classify(fetchFailed(systemError(code)))).toBe('transient');
      expect(classify(fetchFailed({ code }))).toBe('transient');
    });

    it('fetch failed and terminated without a cause', () => {
      expect(classify(new TypeError('fetch failed'))).toBe('transient');
      expect(classify(new TypeError('terminated'))).toBe('transient');
    });

    it('a network failure deep inside your own errors', () => {
      const deep = new Error('sync failed', {
        cause: new Error('billing client', { cause: fetchFailed(systemError('ECONNRESET')) }),
      });
      expect(classify(deep)).toBe('transient');
    });

    it("inside an AggregateError's errors (happy-eyeballs connects)", () => {
      const connect = new AggregateError(
        [systemError('ECONNREFUSED'), systemError('ENETUNREACH')],
        'connect failed',
      );
      expect(classify(fetchFailed(connect))).toBe('transient');
    });

    it('wins over a permanent sibling in the same AggregateError', () => {
      const any = new AggregateError([apiError(404), systemError('ECONNRESET')], 'all failed');
      expect(classify(any)).toBe('transient');
    });

    it('but a nearer KubeError still decides', () => {
      const serde = new SerdeError('bad body', { cause: systemError('ECONNRESET') });
      expect(classify(new Error('read', { cause: serde }))).toBe('permanent');
    });
  });

  it("AbortSignal.timeout()'s DOMException, RxJS TimeoutError, in a cause chain", () => {
    expect(classify(fetchFailed(new DOMException('timed out', 'TimeoutError')))).toBe('transient');
    expect(classify(new Error('call', { cause: new TimeoutError() }))).toBe('transient');
  });

  it.each([
    ['a plain Error', new Error('bug')],
    [
      'a TypeError with another Node error code',
      Object.assign(new TypeError('bad'), { code: 'ERR_X' }),
    ],
    ['a string', 'failed'],
    ['undefined', undefined],
    ['null', null],
    ['a plain object', { reason: 'quota exceeded' }],
    ['a number', 42],
    ['an error wrapping a non-kube error', new Error('outer', { cause: new Error('inner') })],
    ['an empty AggregateError', new AggregateError([], 'nothing')],
  ])('unknown: %s is transient (retried with backoff)', (_label, error) => {
    expect(classify(error)).toBe('transient');
  });

  describe('permanent()', () => {
    it('marks anything permanent, even a network failure', () => {
      for (const error of [
        new Error('invalid spec'),
        'a string',
        undefined,
        { field: 'spec.size' },
        fetchFailed(systemError('ECONNRESET')),
        apiError(503),
        apiError(409),
      ]) {
        expect(classify(permanent(error))).toBe('permanent');
      }
    });

    it('keeps the error as cause and takes its message', () => {
      const original = new Error('spec.size is required');
      const marked = permanent(original);
      expect(marked).toBeInstanceOf(PermanentError);
      expect(marked).toBeInstanceOf(Error);
      expect(marked.name).toBe('PermanentError');
      expect(marked.kind).toBe('Permanent');
      expect(marked.cause).toBe(original);
      expect(marked.message).toBe('spec.size is required');
      expect(permanent('bad input').message).toBe('bad input');
      expect(permanent({ field: 'x' }).message).toBe('{"field":"x"}');
      expect(permanent(undefined).message).toBe('permanent error');
      expect(permanent(undefined).cause).toBeUndefined();
      expect('cause' in permanent(undefined)).toBe(true);
    });

    it('returns a PermanentError unchanged', () => {
      const marked = permanent(new Error('x'));
      expect(permanent(marked)).toBe(marked);
    });

    it('redacts credentials in the message', () => {
      const marked = permanent(new Error('call failed: Authorization: Bearer abc.def.ghi'));
      expect(marked.message).not.toContain('abc.def.ghi');
    });

    it('is found anywhere in the cause chain and wins over transient errors around it', () => {
      const inFinalizer = new Error('apply failed', { cause: permanent(new Error('bad spec')) });
      expect(isPermanent(inFinalizer)).toBe(true);
      expect(classify(inFinalizer)).toBe('permanent');
      const underHttp = new HttpError('wrapped', { cause: permanent('stop') });
      expect(classify(underHttp)).toBe('permanent');
      const inAggregate = new AggregateError([systemError('ECONNRESET'), permanent('no')]);
      expect(isPermanent(inAggregate)).toBe(true);
      expect(classify(inAggregate)).toBe('permanent');
    });

    it('isPermanent is false without one, and for primitives', () => {
      expect(isPermanent(new Error('x', { cause: apiError(404) }))).toBe(false);
      expect(isPermanent('x')).toBe(false);
      expect(isPermanent(undefined)).toBe(false);
    });

    it('isPermanent recognises a PermanentError of another package copy', () => {
      const foreign = Object.assign(new Error('x'), { name: 'PermanentError' });
      Object.defineProperty(foreign, KUBE_RX_ERROR, { value: 'PermanentError' });
      expect(isPermanent(foreign)).toBe(true);
      expect(classify(new Error('outer', { cause: foreign }))).toBe('permanent');
      // The name alone is not the brand.
      expect(isPermanent(Object.assign(new Error('y'), { name: 'PermanentError' }))).toBe(false);
    });

    it('gives up below the depth bound', () => {
      let deep: unknown = permanent('bottom');
      for (let i = 0; i < 40; i++) deep = new Error(`level ${i}`, { cause: deep });
      expect(isPermanent(deep)).toBe(false);
      expect(classify(deep)).toBe('transient');
    });
  });

  it('stops on a cyclic cause chain', () => {
    const first = new Error('a');
    const second = new Error('b', { cause: first });
    Object.defineProperty(first, 'cause', { value: second });
    expect(classify(first)).toBe('transient');
    expect(isPermanent(first)).toBe(false);
  });

  it('stops on a cycle through an AggregateError', () => {
    const aggregate = new AggregateError([], 'loop');
    aggregate.errors.push(new Error('member', { cause: aggregate }));
    expect(classify(aggregate)).toBe('transient');
    aggregate.errors.push(apiError(422));
    expect(classify(aggregate)).toBe('permanent');
  });
});
