import { Action } from './action.js';

describe('Action', () => {
  it('requeue carries the delay', () => {
    expect(Action.requeue(5_000).requeueAfter).toBe(5_000);
    expect(Action.requeue(0).requeueAfter).toBe(0);
  });

  it('awaitChange has no delay', () => {
    expect(Action.awaitChange().requeueAfter).toBeUndefined();
    expect(Action.awaitChange()).toBe(Action.awaitChange());
  });

  it('is immutable', () => {
    const action = Action.requeue(10);
    expect(Object.isFrozen(action)).toBe(true);
    expect(() => {
      (action as { requeueAfter: number | undefined }).requeueAfter = 20;
    }).toThrow(TypeError);
    expect(action.requeueAfter).toBe(10);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number])(
    'rejects %p with a TypeError',
    (ms) => {
      expect(() => Action.requeue(ms)).toThrow(TypeError);
    },
  );

  it('is recognised by isAction', () => {
    expect(Action.isAction(Action.requeue(1))).toBe(true);
    expect(Action.isAction(Action.awaitChange())).toBe(true);
    expect(Action.isAction({ requeueAfter: 1 })).toBe(false);
    expect(Action.isAction(undefined)).toBe(false);
  });

  it('prints itself', () => {
    expect(String(Action.requeue(5))).toBe('requeue(5ms)');
    expect(String(Action.awaitChange())).toBe('awaitChange');
  });
});
