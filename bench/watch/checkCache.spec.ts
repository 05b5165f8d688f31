import { checkCache } from './checkCache.js';

const expected = { a: '11', b: '12', marker: '13' };

describe('checkCache', () => {
  it('accepts a cache with every object at the server resourceVersion', () => {
    expect(() =>
      checkCache(
        'c',
        [
          ['marker', '13'],
          ['a', '11'],
          ['b', '12'],
        ],
        expected,
      ),
    ).not.toThrow();
  });

  it('rejects a missing object', () => {
    expect(() =>
      checkCache(
        'c',
        [
          ['a', '11'],
          ['marker', '13'],
        ],
        expected,
      ),
    ).toThrow(/2 objects cached, server has 3/);
  });

  it('rejects a stale resourceVersion', () => {
    expect(() =>
      checkCache(
        'c',
        [
          ['a', '1'],
          ['b', '12'],
          ['marker', '13'],
        ],
        expected,
      ),
    ).toThrow(/a at resourceVersion 1, server has 11/);
  });

  it('rejects an object the server does not have, even when the count matches', () => {
    expect(() =>
      checkCache(
        'c',
        [
          ['a', '11'],
          ['b', '12'],
          ['extra', '13'],
        ],
        expected,
      ),
    ).toThrow(/extra is not on the server/);
  });

  it('rejects a duplicate', () => {
    expect(() =>
      checkCache(
        'c',
        [
          ['a', '11'],
          ['a', '11'],
          ['marker', '13'],
        ],
        expected,
      ),
    ).toThrow(/a twice/);
  });
});
