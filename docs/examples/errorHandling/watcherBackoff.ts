// Watchers with backoff (docs/error-handling.md): the default schedule, and a custom one.
import { KubeConfig } from '@kubernetes/client-node';
import { map } from 'rxjs';
import { Api, Pod, backoff, createLogger, defaultBackoff, exponentialBackoff } from '@kube-rx/core';
import { isWatcherError, watcher } from '@kube-rx/watcher';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const pods = Api.namespaced<Pod>(kubeConfig, Pod, 'default');
const logger = createLogger({ component: 'pod-watcher' });

// #region none
// ✗ Without a backoff operator, the first error ends the stream (it never retries by itself).
watcher(pods).subscribe({ error: (error) => logger.error('watch ended', { error }) });
// #endregion

// #region default
// ✓ Every soft error is logged (warn) and retried after 400–800 ms, 0.8–1.6 s, ... up to 15–30 s;
// the first event after a recovery resets the schedule. A dropped watch resumes from its last
// resourceVersion (no relist); a 410 Gone relists.
watcher(pods)
  .pipe(defaultBackoff())
  .subscribe((event) => logger.info(event.type));
// #endregion

// #region custom
const strategy = exponentialBackoff({
  initialDelay: 500, // first retry after 250–500 ms
  maxDelay: 60_000, // never wait more than a minute
  resetAfter: 300_000, // a failure after 5 quiet minutes starts again from 500 ms
});
watcher(pods, { timeoutSeconds: 120 })
  .pipe(
    backoff(strategy, {
      onError: (error, delayMs, attempt) => {
        const kind = isWatcherError(error) ? error.kind : 'unknown';
        logger.warn('watch failed, retrying', { kind, attempt, delayMs, error });
      },
    }),
  )
  .subscribe((event) => logger.info(event.type));
// #endregion

// #region through-operators
// ✓ Operators between the watcher and its backoff see the resumed stream too: after a dropped
// watch, one WATCH from the last resourceVersion, no LIST, and every event is still mapped.
watcher(pods)
  .pipe(
    map((event) =>
      event.type === 'Apply' ? `changed ${event.object.metadata?.name}` : event.type,
    ),
    defaultBackoff(),
  )
  .subscribe((line) => logger.info(line));
// #endregion
