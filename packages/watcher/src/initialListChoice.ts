import type { InitialListStrategy } from './watcherConfig.js';

/**
 * Which initial list a watcher's (re)lists use:
 * - `AutoStreaming`: streaming lists, with the fallback armed (`initialListStrategy: 'Auto'`);
 * - `StreamingList`: streaming lists, no fallback;
 * - `ListWatch`: paged LIST then WATCH.
 */
export type InitialListState = 'AutoStreaming' | 'StreamingList' | 'ListWatch';

/**
 * What a streaming list can find out about the server: it `Refused` the WATCH's parameters
 * (400/403/422), or it sent `NoInitialEventsEnd` bookmark (the stream ended or stayed silent,
 * or took too long, before it).
 */
export type InitialListOutcome = 'Refused' | 'NoInitialEventsEnd';

// The transitions; an outcome a state does not list leaves it as it is.
const TRANSITIONS: Readonly<
  Record<InitialListState, Partial<Record<InitialListOutcome, InitialListState>>>
> = {
  AutoStreaming: { Refused: 'ListWatch', NoInitialEventsEnd: 'ListWatch' },
  StreamingList: {},
  ListWatch: {},
};

const INITIAL_STATES: Readonly<Record<InitialListStrategy, InitialListState>> = {
  Auto: 'AutoStreaming',
  StreamingList: 'StreamingList',
  ListWatch: 'ListWatch',
};

/**
 * The initial-list state of one `watcher()`: shared by all its subscriptions and resumes, so a
 * fallback found once holds for every later relist of that watcher.
 */
export class InitialListChoice {
  private current: InitialListState;

  constructor(strategy: InitialListStrategy) {
    this.current = INITIAL_STATES[strategy];
  }

  get state(): InitialListState {
    return this.current;
  }

  /** Whether (re)lists are streaming lists. */
  get streaming(): boolean {
    return this.current !== 'ListWatch';
  }

  /** Whether `outcome` would change the strategy (so the caller falls back rather than fails). */
  fallsBackOn(outcome: InitialListOutcome): boolean {
    return TRANSITIONS[this.current][outcome] !== undefined;
  }

  /** Applies `outcome`; returns whether the state changed. */
  record(outcome: InitialListOutcome): boolean {
    const next = TRANSITIONS[this.current][outcome];
    if (next === undefined) return false;
    this.current = next;
    return true;
  }
}
