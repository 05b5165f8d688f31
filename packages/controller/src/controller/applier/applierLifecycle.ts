import type { Logger } from '@kube-rx/core';
import type { SchedulerLike } from 'rxjs';

/** The lifecycle lines of one subscription to an applier; see {@link applierLifecycle}. */
export interface ApplierLifecycle {
  /** A shutdown signal came with `running` runs in progress. */
  shuttingDown(running: number): void;
  /** The shutdown deadline passed with `running` runs still in progress (they are cancelled). */
  deadlinePassed(running: number, shutdownTimeoutMs: number): void;
  /** Every run has finished after a shutdown signal. */
  drained(): void;
  /** The subscription ends (completed, errored or unsubscribed): logs `controller stopped` once. */
  readonly stopped: () => void;
}

/**
 * Logs the end of a controller's life at `info` (`warn` for a passed deadline), each line with
 * the `controller` field: `controller shutting down` (`running`), `controller drained`
 * (`durationMs` since the signal), `controller stopped`. The start and `caches synced` are the
 * `Controller`'s, which knows its watches and caches.
 */
export function applierLifecycle(
  controller: string,
  logger: () => Logger,
  scheduler: SchedulerLike,
): ApplierLifecycle {
  let signalledAt: number | undefined;
  let stopped = false;
  return {
    shuttingDown: (running) => {
      signalledAt = scheduler.now();
      logger().info('controller shutting down', { controller, running });
    },
    deadlinePassed: (running, shutdownTimeoutMs) =>
      logger().warn('controller shutdown deadline passed; cancelling running reconciles', {
        controller,
        running,
        shutdownTimeoutMs,
      }),
    drained: () =>
      logger().info('controller drained', {
        controller,
        durationMs: signalledAt === undefined ? 0 : scheduler.now() - signalledAt,
      }),
    stopped: () => {
      if (stopped) return;
      stopped = true;
      logger().info('controller stopped', { controller });
    },
  };
}
