import { ReplaySubject, Subscription, timer, type Observable, type SchedulerLike } from 'rxjs';

/** What {@link gracefulShutdown} works with. */
export interface GracefulShutdownConfig {
  /** How long running work may go on after the signal, in ms. */
  readonly timeout: number;
  readonly scheduler: SchedulerLike;
  /** Called once, when the signal comes (or errors): stop taking work. */
  readonly onStart: () => void;
  /** Called `timeout` ms after the signal: end everything now. */
  readonly onDeadline: () => void;
}

/** The shutdown of one subscription to an applier; see {@link gracefulShutdown}. */
export interface GracefulShutdown {
  /** Whether the signal came: runs that have not started yet are skipped. */
  readonly started: boolean;
  /** Emits once when the signal comes, and replays that to later subscribers. */
  readonly started$: Observable<void>;
  /** The signal's and the deadline's subscriptions: unsubscribe to drop both. */
  readonly subscription: Subscription;
}

/**
 * Watches `signal$` (already limited to its first value) for one subscription to an applier:
 * when it emits or errors, calls `onStart`, emits `started$` (which opens the runner's readiness
 * gate, so that waiting work is skipped and the runner ends), and calls `onDeadline` after
 * `timeout` ms unless the subscription has been dropped first.
 */
export function gracefulShutdown(
  signal$: Observable<unknown>,
  config: GracefulShutdownConfig,
): GracefulShutdown {
  const { timeout, scheduler, onStart, onDeadline } = config;
  const started$ = new ReplaySubject<void>(1);
  const subscription = new Subscription();
  let started = false;

  const start = (): void => {
    if (started) return;
    started = true;
    onStart();
    started$.next();
    started$.complete();
    subscription.add(timer(timeout, scheduler).subscribe(onDeadline));
  };

  subscription.add(signal$.subscribe({ next: start, error: start }));
  return {
    get started() {
      return started;
    },
    started$,
    subscription,
  };
}
