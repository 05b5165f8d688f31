// The baseline the scheduler is measured against: what one writes without a queue, a Map of
// pending keys with one Node timer each. Same contract for the measured workload: dedup by key,
// the earliest runAt wins (an earlier request cancels the pending timer and sets a new one), a
// later request is absorbed; the output completes once the source has and nothing is pending.
import { Observable, type OperatorFunction } from 'rxjs';
import type { ScheduleRequest } from '@kube-rx/controller';

interface Pending {
  runAt: number;
  timer: NodeJS.Timeout;
}

/** A timer per key over a Map; `runAt` in `Date.now()` milliseconds. */
export function naiveScheduler<T>(
  keyOf: (message: T) => string,
): OperatorFunction<ScheduleRequest<T>, T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const pending = new Map<string, Pending>();
      let sourceDone = false;
      const subscription = source.subscribe({
        next({ message, runAt }) {
          const key = keyOf(message);
          const existing = pending.get(key);
          if (existing !== undefined) {
            if (runAt >= existing.runAt) return;
            clearTimeout(existing.timer);
          }
          const timer = setTimeout(
            () => {
              pending.delete(key);
              subscriber.next(message);
              if (sourceDone && pending.size === 0) subscriber.complete();
            },
            Math.max(0, runAt - Date.now()),
          );
          pending.set(key, { runAt, timer });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          if (pending.size === 0) subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        for (const entry of pending.values()) clearTimeout(entry.timer);
        pending.clear();
      };
    });
}
