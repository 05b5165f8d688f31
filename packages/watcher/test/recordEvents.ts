import type { Observable, SchedulerLike } from 'rxjs';
import type { KubeObject } from '@kube-rx/core';
import type { WatcherEvent } from '../src/watcherEvent.js';
import type { WatcherError } from '../src/watcherError.js';

/** `Init`, `InitApply a@3`, `Apply a@5`, ... : an event with its object's name and resourceVersion. */
export function describeEvent(event: WatcherEvent<KubeObject>): string {
  if (event.type === 'Init' || event.type === 'InitDone') return event.type;
  return `${event.type} ${event.object.metadata?.name}@${event.object.metadata?.resourceVersion}`;
}

/**
 * Subscribes and records `"<time> <event>"` lines, the error (if any) and completion. With
 * `until`, unsubscribes at that virtual time (a watcher that stays quiet would otherwise end in its
 * idle timeout when the test scheduler flushes).
 */
export function recordEvents(
  source: Observable<WatcherEvent<KubeObject>>,
  scheduler: SchedulerLike,
  until?: number,
): { log: string[]; errors: WatcherError[] } {
  const log: string[] = [];
  const errors: WatcherError[] = [];
  const subscription = source.subscribe({
    next: (event) => log.push(`${scheduler.now()} ${describeEvent(event)}`),
    error: (error: WatcherError) => {
      errors.push(error);
      log.push(`${scheduler.now()} error ${error.kind}`);
    },
    complete: () => log.push(`${scheduler.now()} complete`),
  });
  if (until !== undefined) scheduler.schedule(() => subscription.unsubscribe(), until);
  return { log, errors };
}
