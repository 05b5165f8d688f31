import { TestScheduler } from 'rxjs/testing';

/** The helpers `TestScheduler.run` hands to its callback (cold, hot, expectObservable, ...). */
export type RunHelpers = Parameters<Parameters<TestScheduler['run']>[0]>[0];

/**
 * Runs `callback` in virtual time on a fresh `TestScheduler` that compares with Jest's `toEqual`,
 * handing it both the marble helpers and the scheduler (to inject as `scheduler`).
 */
export function runInVirtualTime(
  callback: (helpers: RunHelpers, scheduler: TestScheduler) => void,
): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run((helpers) => callback(helpers, scheduler));
}
