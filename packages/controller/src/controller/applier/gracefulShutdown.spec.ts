import { runInVirtualTime } from '../../../test/virtualTime.js';
import { gracefulShutdown } from './gracefulShutdown.js';

describe('gracefulShutdown', () => {
  it('starts on the signal and calls the deadline timeout ms later, in virtual time', () => {
    const calls: Array<[string, number]> = [];
    runInVirtualTime(({ cold, expectObservable }, scheduler) => {
      const shutdown = gracefulShutdown(cold('10ms a'), {
        timeout: 100,
        scheduler,
        onStart: () => void calls.push(['start', scheduler.now()]),
        onDeadline: () => void calls.push(['deadline', scheduler.now()]),
      });
      expect(shutdown.started).toBe(false);
      expectObservable(shutdown.started$).toBe('10ms (a|)', { a: undefined });
      scheduler.schedule(() => expect(shutdown.started).toBe(true), 10);
    });
    expect(calls).toEqual([
      ['start', 10],
      ['deadline', 110],
    ]);
  });

  it('starts on an error of the signal too; dropping it cancels the deadline', () => {
    const calls: string[] = [];
    runInVirtualTime(({ cold }, scheduler) => {
      const shutdown = gracefulShutdown(cold('5ms #'), {
        timeout: 100,
        scheduler,
        onStart: () => void calls.push('start'),
        onDeadline: () => void calls.push('deadline'),
      });
      scheduler.schedule(() => shutdown.subscription.unsubscribe(), 50);
    });
    expect(calls).toEqual(['start']);
  });
});
