import { ApiError } from '../errors/apiError.js';
import { HttpError } from '../errors/httpError.js';
import { describeError } from './describeError.js';

describe('describeError', () => {
  it('keeps name, kind, code and message of kube-rx errors', () => {
    expect(describeError(new HttpError('reset', { code: 'ECONNRESET' }))).toEqual({
      name: 'HttpError',
      kind: 'Http',
      code: 'ECONNRESET',
      message: 'reset',
      stack: expect.stringMatching(/^HttpError: reset\n/),
    });
  });

  it('follows the cause chain', () => {
    const error = new Error('watch failed', {
      cause: new ApiError({ code: 410, reason: 'Expired', message: 'too old' }),
    });
    expect(describeError(error)).toMatchObject({
      name: 'Error',
      message: 'watch failed',
      cause: { name: 'ApiError', kind: 'Api', code: 410, message: '410 Expired: too old' },
    });
  });

  it('stops after five causes', () => {
    let error = new Error('0');
    for (let index = 1; index <= 10; index++) error = new Error(String(index), { cause: error });
    let depth = 0;
    for (let level = describeError(error).cause; level; level = level.cause) depth += 1;
    expect(depth).toBe(5);
  });

  it('removes secrets from messages and stacks', () => {
    const description = describeError(new Error('Authorization: Bearer sekret.token'));
    expect(description.message).toBe('Authorization: Bearer [REDACTED]');
    expect(description.stack).toMatch(/^Error: Authorization: Bearer \[REDACTED\]\n\s+at /);
    expect(JSON.stringify(description)).not.toContain('sekret');
  });

  it('describes thrown non-errors by type and text', () => {
    expect(describeError('boom')).toEqual({ name: 'string', message: 'boom' });
    expect(describeError(undefined)).toEqual({ name: 'undefined', message: 'undefined' });
  });
});
