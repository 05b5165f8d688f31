import { createLogger } from './createLogger.js';
import type { Logger } from './logger.js';

let shared: Logger | undefined;

/**
 * The logger kube-rx components use when their config has no `logger`: created on first use
 * with `createLogger({ component: 'kube-rx' })` (so `KUBE_RX_LOG_LEVEL` and the terminal decide
 * level and format), then shared.
 *
 * Components look it up when they log, not when they are created, so {@link setDefaultLogger}
 * also reaches operators built earlier.
 *
 * @example
 * ```ts
 * defaultLogger().info('operator starting', { version: '1.4.0' });
 * ```
 */
export function defaultLogger(): Logger {
  shared ??= createLogger({ component: 'kube-rx' });
  return shared;
}

/**
 * Replaces the logger returned by {@link defaultLogger}, e.g. with the application's own logger
 * (`winstonLogger(appLogger)`, or any {@link Logger}) or a silent one in tests. `undefined` goes back to creating the default lazily.
 *
 * @example
 * ```ts
 * setDefaultLogger(createLogger({ format: 'json', component: 'my-operator' }));
 * // in tests:
 * setDefaultLogger(createLogger({ silent: true }));
 * ```
 */
export function setDefaultLogger(logger: Logger | undefined): void {
  shared = logger;
}
