import { Subscription } from 'rxjs';

/**
 * Installs handlers for `signals` (the returned Subscription removes them): the first signal
 * calls `onFirst`; a signal that arrives while `shuttingDown()` is true writes one line to stderr
 * and exits the process at once (code 130 for SIGINT, 143 otherwise), as an operator author
 * pressing Ctrl-C twice expects.
 */
export function shutdownSignals(
  name: string,
  signals: readonly NodeJS.Signals[],
  onFirst: (signal: NodeJS.Signals) => void,
  shuttingDown: () => boolean,
): Subscription {
  const handlers = signals.map((signal) => {
    const handler = (): void => {
      if (shuttingDown()) {
        process.stderr.write(
          `${name}: ${signal} received again while shutting down; exiting now\n`,
        );
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      onFirst(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return new Subscription(() => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  });
}
