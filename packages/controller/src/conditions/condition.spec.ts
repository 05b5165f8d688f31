import { VirtualTimeScheduler } from 'rxjs';
import {
  getCondition,
  isConditionTrue,
  removeCondition,
  setCondition,
  type Condition,
} from './condition.js';

const T0 = Date.UTC(2026, 10, 22, 2, 58, 41, 500);

describe('setCondition', () => {
  it('appends a new condition with the transition time in RFC 3339 seconds', () => {
    const result = setCondition(
      undefined,
      {
        type: 'Ready',
        status: 'False',
        reason: 'Pending',
        observedGeneration: 3,
      },
      { now: T0 },
    );
    expect(result).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'Pending',
        message: '',
        observedGeneration: 3,
        lastTransitionTime: '2026-11-22T02:58:41Z',
      },
    ]);
  });

  it('keeps lastTransitionTime when the status does not change, updating the rest', () => {
    const first = setCondition([], { type: 'Ready', status: 'True', reason: 'A' }, { now: T0 });
    const second = setCondition(
      first,
      { type: 'Ready', status: 'True', reason: 'B', message: 'm', observedGeneration: 2 },
      { now: T0 + 60_000 },
    );
    expect(second).toEqual([
      {
        type: 'Ready',
        status: 'True',
        reason: 'B',
        message: 'm',
        observedGeneration: 2,
        lastTransitionTime: '2026-11-22T02:58:41Z',
      },
    ]);
  });

  it('moves lastTransitionTime when the status changes, in place, without mutating the input', () => {
    const other: Condition = {
      type: 'Degraded',
      status: 'False',
      reason: 'Fine',
      message: '',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    };
    const first = setCondition(
      [other],
      { type: 'Ready', status: 'True', reason: 'A' },
      { now: T0 },
    );
    const snapshot = structuredClone(first);
    const second = setCondition(
      [first[1]!, other],
      { type: 'Ready', status: 'False', reason: 'Broken' },
      { now: T0 + 61_000 },
    );
    expect(first).toEqual(snapshot);
    expect(second.map((c) => c.type)).toEqual(['Ready', 'Degraded']);
    expect(second[0]!.lastTransitionTime).toBe('2026-11-22T02:59:42Z');
    expect(second[1]).toBe(other);
  });

  it('reads the time from the scheduler', () => {
    const scheduler = new VirtualTimeScheduler();
    const result = setCondition(
      undefined,
      { type: 'Ready', status: 'Unknown', reason: 'Init' },
      {
        scheduler,
      },
    );
    expect(result[0]!.lastTransitionTime).toBe('1970-01-01T00:00:00Z');
  });

  it.each([
    [{ type: '', status: 'True', reason: 'R' }],
    [{ type: 'Ready', status: 'true', reason: 'R' }],
    [{ type: 'Ready', status: 'True', reason: '' }],
  ])('rejects invalid input %p', (input) => {
    expect(() => setCondition([], input as never)).toThrow(TypeError);
  });
});

describe('getCondition / isConditionTrue / removeCondition', () => {
  const conditions = setCondition(
    setCondition(
      [],
      { type: 'Ready', status: 'True', reason: 'Ok', observedGeneration: 4 },
      {
        now: T0,
      },
    ),
    { type: 'Degraded', status: 'False', reason: 'Fine' },
    { now: T0 },
  );

  it('finds by type', () => {
    expect(getCondition(conditions, 'Ready')?.reason).toBe('Ok');
    expect(getCondition(conditions, 'Missing')).toBeUndefined();
    expect(getCondition(undefined, 'Ready')).toBeUndefined();
  });

  it('is true only for status True (and the right generation when asked)', () => {
    expect(isConditionTrue(conditions, 'Ready')).toBe(true);
    expect(isConditionTrue(conditions, 'Ready', 4)).toBe(true);
    expect(isConditionTrue(conditions, 'Ready', 5)).toBe(false);
    expect(isConditionTrue(conditions, 'Degraded')).toBe(false);
    expect(isConditionTrue(conditions, 'Missing')).toBe(false);
  });

  it('removes by type', () => {
    expect(removeCondition(conditions, 'Ready').map((c) => c.type)).toEqual(['Degraded']);
    expect(removeCondition(undefined, 'Ready')).toEqual([]);
  });
});
