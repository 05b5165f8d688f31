import { VirtualTimeScheduler } from 'rxjs';
import { tokenBucket } from './tokenBucket.js';

describe('tokenBucket', () => {
  it('lets a burst through at once, then spaces reservations 1000 / qps ms apart', () => {
    const clock = new VirtualTimeScheduler();
    const bucket = tokenBucket({ qps: 10, burst: 100, scheduler: clock });
    const delays = Array.from({ length: 103 }, () => bucket.reserve());
    expect(delays.slice(0, 100).every((delay) => delay === 0)).toBe(true);
    expect(delays.slice(100)).toEqual([100, 200, 300]);
    expect(bucket.tokens).toBe(-3);
  });

  it('refills at qps up to burst, never beyond', () => {
    const clock = new VirtualTimeScheduler();
    const bucket = tokenBucket({ qps: 2, burst: 3, scheduler: clock });
    for (let i = 0; i < 3; i++) bucket.reserve();
    expect(bucket.reserve()).toBe(500);
    clock.schedule(() => undefined, 500);
    clock.flush();
    // The reservation waiting at 500 ms has its token now; the bucket is empty.
    expect(bucket.tokens).toBe(0);
    expect(bucket.reserve()).toBe(500);
    clock.schedule(() => undefined, 60_000);
    clock.flush();
    expect(bucket.tokens).toBe(3);
  });

  it('adds no tokens when the clock goes backwards', () => {
    let now = 1_000;
    const bucket = tokenBucket({ qps: 1, burst: 1, scheduler: { now: () => now } as never });
    expect(bucket.reserve()).toBe(0);
    now = 0;
    expect(bucket.reserve()).toBe(1_000);
    now = 500;
    expect(bucket.reserve()).toBe(1_500);
  });

  it('validates its config when created', () => {
    for (const qps of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
      expect(() => tokenBucket({ qps: qps as number, burst: 1 })).toThrow(TypeError);
    }
    for (const burst of [0, 1.5, -2, Number.POSITIVE_INFINITY]) {
      expect(() => tokenBucket({ qps: 1, burst })).toThrow(TypeError);
    }
  });
});
