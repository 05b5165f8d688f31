import { inspect } from 'node:util';
import { ApiException } from '@kubernetes/client-node';
import { TimeoutError } from 'rxjs';
import type { ApiError } from './apiError.js';
import { isApiError } from './apiError.js';
import { HttpError, isHttpError } from './httpError.js';
import { isSerdeError } from './serdeError.js';
import { toKubeError } from './toKubeError.js';

const notFound = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'configmaps "missing" not found',
  reason: 'NotFound',
  details: { name: 'missing', kind: 'configmaps' },
  code: 404,
};

/** What undici's fetch rejects with: `TypeError: fetch failed` whose cause is the socket error. */
function fetchFailed(message: string, code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

describe('toKubeError', () => {
  it('passes KubeErrors through unchanged', () => {
    const error = new HttpError('boom', { code: 'ECONNRESET' });
    expect(toKubeError(error)).toBe(error);
  });

  describe('client-node ApiException', () => {
    it('becomes an ApiError carrying the Status body (object or JSON text)', () => {
      const asObject = new ApiException(404, 'Unknown API Status Code!', notFound, {});
      const asText = new ApiException(404, 'Unknown', JSON.stringify(notFound), {});
      for (const exception of [asObject, asText]) {
        const error = toKubeError(exception, { method: 'GET', url: 'https://k8s/api/v1/x' });
        expect(isApiError(error, 404)).toBe(true);
        expect((error as ApiError).status).toEqual(notFound);
        expect((error as ApiError).reason).toBe('NotFound');
        expect(error.cause).toBe(exception);
        expect((error as ApiError).method).toBe('GET');
      }
    });

    it('reads Retry-After from the exception headers', () => {
      const exception = new ApiException(
        429,
        'Too Many Requests',
        { kind: 'Status', code: 429, reason: 'TooManyRequests' },
        { 'retry-after': '7' },
      );
      const error = toKubeError(exception) as ApiError;
      expect(error.code).toBe(429);
      expect(error.retryAfterSeconds).toBe(7);
    });

    it('reads an HTTP-date Retry-After against the given clock', () => {
      const exception = new ApiException(503, 'x', '', {
        'Retry-After': 'Wed, 21 Oct 2015 07:28:05 GMT',
      });
      const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
      expect((toKubeError(exception, { now }) as ApiError).retryAfterSeconds).toBe(5);
    });

    it('synthesises a Status when the body is not one', () => {
      const exception = new ApiException(503, 'Unavailable', '<html>bad gateway</html>', {});
      const error = toKubeError(exception) as ApiError;
      expect(error.status).toMatchObject({
        kind: 'Status',
        code: 503,
        reason: 'ServiceUnavailable',
        message: '<html>bad gateway</html>',
      });
    });

    it('maps errors with a numeric statusCode (client-node Watch) to ApiError', () => {
      const error = toKubeError(Object.assign(new Error('Gone'), { statusCode: 410 }));
      expect(isApiError(error, 410)).toBe(true);
      expect((error as ApiError).reason).toBe('Gone');
    });
  });

  describe('undici fetch and Node sockets', () => {
    it.each([
      ['connect ECONNREFUSED 127.0.0.1:6443', 'ECONNREFUSED', false],
      ['read ECONNRESET', 'ECONNRESET', false],
      ['connect ETIMEDOUT 10.0.0.1:443', 'ETIMEDOUT', true],
      ['write EPIPE', 'EPIPE', false],
      ['getaddrinfo ENOTFOUND k8s.invalid', 'ENOTFOUND', false],
      ['getaddrinfo EAI_AGAIN k8s.example', 'EAI_AGAIN', false],
      ['certificate has expired', 'CERT_HAS_EXPIRED', false],
      ['self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT', false],
      ["Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID', false],
      ['Connect Timeout Error', 'UND_ERR_CONNECT_TIMEOUT', true],
      ['Headers Timeout Error', 'UND_ERR_HEADERS_TIMEOUT', true],
      ['other side closed', 'UND_ERR_SOCKET', false],
    ])('fetch failed with cause %j → HttpError %s', (message, code, timedOut) => {
      const original = fetchFailed(message, code);
      const error = toKubeError(original, { method: 'GET', url: 'https://k8s/api' });
      expect(isHttpError(error)).toBe(true);
      expect(error).toMatchObject({ code, timedOut, stage: 'request', method: 'GET' });
      expect(error.message).toContain(message);
      expect(error.cause).toBe(original);
    });

    it('maps a bare Node system error', () => {
      const error = toKubeError(
        Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      );
      expect(error).toMatchObject({ kind: 'Http', code: 'ECONNRESET' });
    });

    it('finds the code inside an AggregateError (happy-eyeballs connect)', () => {
      const aggregate = new AggregateError([
        Object.assign(new Error('connect ECONNREFUSED ::1:6443'), { code: 'ECONNREFUSED' }),
      ]);
      const error = toKubeError(new TypeError('fetch failed', { cause: aggregate }));
      expect(error).toMatchObject({ kind: 'Http', code: 'ECONNREFUSED' });
      expect(error.message).toContain('ECONNREFUSED ::1:6443');
    });

    it('keeps the stage it is told (a body that broke off mid-stream)', () => {
      const terminated = new TypeError('terminated', {
        cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      });
      expect(toKubeError(terminated, { stage: 'body' })).toMatchObject({
        code: 'UND_ERR_SOCKET',
        stage: 'body',
      });
    });

    it('maps an AbortError DOMException; a timeout reason marks it timedOut', () => {
      const aborted = toKubeError(new DOMException('This operation was aborted', 'AbortError'));
      expect(aborted).toMatchObject({ kind: 'Http', code: 'ABORT_ERR', timedOut: false });
      const withTimeoutReason = new DOMException('aborted', 'AbortError');
      Object.defineProperty(withTimeoutReason, 'cause', {
        value: new DOMException('timeout', 'TimeoutError'),
      });
      expect(toKubeError(withTimeoutReason)).toMatchObject({ code: 'ETIMEDOUT', timedOut: true });
    });

    it('maps a TimeoutError DOMException (AbortSignal.timeout) to timedOut', () => {
      const error = toKubeError(new DOMException('The operation timed out', 'TimeoutError'));
      expect(error).toMatchObject({ kind: 'Http', code: 'ETIMEDOUT', timedOut: true });
    });
  });

  it('maps the RxJS TimeoutError to a timed-out HttpError', () => {
    const original = new TimeoutError();
    const error = toKubeError(original, { method: 'GET' });
    expect(error).toMatchObject({ kind: 'Http', code: 'ETIMEDOUT', timedOut: true });
    expect(error.cause).toBe(original);
  });

  it('maps JSON SyntaxError to SerdeError', () => {
    let original: unknown;
    try {
      JSON.parse('{"kind": ');
    } catch (error) {
      original = error;
    }
    const error = toKubeError(original);
    expect(isSerdeError(error)).toBe(true);
    expect(error.cause).toBe(original);
  });

  it('maps unknown values to an HttpError without a code', () => {
    expect(toKubeError('exploded')).toMatchObject({ kind: 'Http', code: undefined });
    expect(toKubeError(new Error('exec plugin failed'))).toMatchObject({
      kind: 'Http',
      message: 'request failed: exec plugin failed',
    });
  });

  describe('credentials', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.sig-nature_x';
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----';

    it.each([
      ['a fetch cause message', fetchFailed(`proxy said Authorization: Bearer ${token}`, 'EPROTO')],
      ['a nested cause', new TypeError('fetch failed', { cause: fetchFailed(key, 'ERR_OSSL') })],
      ['a plain error', new Error(`exec: token=${token}`)],
      ['an ApiException body', new ApiException(401, 'x', `Bearer ${token}`, {})],
      ['a string', `Bearer ${token}`],
    ])('keeps tokens and keys out of messages, JSON and inspect output (%s)', (_label, input) => {
      const error = toKubeError(input, { url: `https://k8s/api?access_token=${token}` });
      const surfaces = [error.message, JSON.stringify(error), inspect(error, { depth: 10 })];
      for (const text of surfaces) {
        expect(text).not.toContain(token);
        expect(text).not.toContain('MIIEabc');
      }
    });

    it('keeps the original cause when it holds no secret', () => {
      const original = fetchFailed('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED');
      expect(toKubeError(original).cause).toBe(original);
    });

    it('a redacted cause keeps its class and code', () => {
      const original = fetchFailed(`Bearer ${token}`, 'EPROTO');
      const cause = toKubeError(original).cause as TypeError & { cause: { code: string } };
      expect(cause).toBeInstanceOf(TypeError);
      expect(cause.cause.code).toBe('EPROTO');
      expect(cause.cause).toBeInstanceOf(Error);
    });
  });
});
