import { formatMicroTime, parseMicroTime } from './microTime.js';

describe('formatMicroTime', () => {
  it('always has exactly six fractional digits', () => {
    const t = Date.UTC(2026, 10, 22, 2, 59, 45, 234);
    expect(formatMicroTime(t)).toBe('2026-11-22T02:59:45.234000Z');
    expect(formatMicroTime(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00.000000Z');
    expect(formatMicroTime(t + 0.245)).toBe('2026-11-22T02:59:45.234245Z');
    for (const value of [0, 1, 999, 1_700_000_000_123.5]) {
      expect(formatMicroTime(value)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
  });
});

describe('parseMicroTime', () => {
  it('parses what the server sends, offsets included', () => {
    const t = Date.UTC(2026, 10, 22, 2, 59, 45, 123);
    expect(parseMicroTime('2026-11-22T02:59:45.123456Z')).toBe(t);
    expect(parseMicroTime('2026-11-22T03:59:45.123456+01:00')).toBe(t);
    expect(parseMicroTime('2026-11-22T02:59:45Z')).toBe(t - 123);
    expect(parseMicroTime(formatMicroTime(t))).toBe(t);
    expect(parseMicroTime(new Date(t))).toBe(t);
  });

  it('returns undefined for garbage', () => {
    expect(parseMicroTime('yesterday')).toBeUndefined();
    expect(parseMicroTime(undefined)).toBeUndefined();
    expect(parseMicroTime(42)).toBeUndefined();
  });
});
