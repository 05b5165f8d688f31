import { claimResume, isResumable, resumeWithin, type Resumable } from './resumable.js';

const failure = (resumeToken: object): Resumable & Error =>
  Object.assign(new Error('broke'), { resumeToken, progressed: false });

describe('resumeWithin / claimResume', () => {
  it('offers the resume point only while the re-subscription runs, and only once', () => {
    const token = {};
    const error = failure(token);
    const claims = resumeWithin(error, () => [claimResume(token), claimResume(token)]);
    expect(claims[0]).toBe(error);
    expect(claims[1]).toBeUndefined();
    expect(claimResume(token)).toBeUndefined();
  });

  it('withdraws an unclaimed offer, and one whose subscription threw', () => {
    const token = {};
    expect(resumeWithin(failure(token), () => 'not claimed')).toBe('not claimed');
    expect(claimResume(token)).toBeUndefined();
    expect(() =>
      resumeWithin(failure(token), () => {
        throw new Error('subscribe failed');
      }),
    ).toThrow('subscribe failed');
    expect(claimResume(token)).toBeUndefined();
  });

  it('keeps offers of other sources apart, and restores an outer offer after a nested one', () => {
    const first = {};
    const second = {};
    const outer = failure(first);
    const inner = failure(first);
    const claimed = resumeWithin(outer, () => [
      claimResume(second),
      resumeWithin(inner, () => claimResume(first)),
      claimResume(first),
    ]);
    expect(claimed[0]).toBeUndefined();
    expect(claimed[1]).toBe(inner);
    expect(claimed[2]).toBe(outer);
  });

  it('recognises errors with a token and a progress report', () => {
    expect(isResumable(failure({}))).toBe(true);
    expect(isResumable(Object.assign(new Error('x'), { resumeToken: {} }))).toBe(false);
    expect(isResumable(Object.assign(new Error('x'), { resume: () => undefined }))).toBe(false);
    expect(isResumable('broke')).toBe(false);
  });
});
