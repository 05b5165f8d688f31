/** The structured fields of a log line: plain values, and `Error`s (serialised by the logger). */
export type LogFields = Record<string, unknown>;

/**
 * The logger every kube-rx component accepts (config field `logger`) and logs through: four
 * levels, each taking a message and an object of structured fields, and `child(fields)` for a
 * logger that adds `fields` to every line. Components log fields (`{ controller, error,
 * delayMs }`), never pre-formatted text, so that JSON output stays queryable.
 *
 * {@link createLogger} makes the default implementation (winston); {@link winstonLogger} adapts
 * an application's own winston logger. Any object with these five methods works (pino, bunyan,
 * a capturing logger in tests). An `Error` in `fields` stays an `Error`: the implementation
 * decides how to write it (the winston ones write name, kind, code, redacted message and stack,
 * and the chain of causes, through {@link describeError}).
 *
 * @example
 * ```ts
 * const lines: Array<{ level: string; message: string; fields: LogFields }> = [];
 * const capturing = (bound: LogFields): Logger => ({
 *   error: (message, fields) => lines.push({ level: 'error', message, fields: { ...bound, ...fields } }),
 *   warn: (message, fields) => lines.push({ level: 'warn', message, fields: { ...bound, ...fields } }),
 *   info: (message, fields) => lines.push({ level: 'info', message, fields: { ...bound, ...fields } }),
 *   debug: (message, fields) => lines.push({ level: 'debug', message, fields: { ...bound, ...fields } }),
 *   child: (fields) => capturing({ ...bound, ...fields }),
 * });
 * setDefaultLogger(capturing({}));
 * ```
 */
export interface Logger {
  /** Something failed and needs attention (a reconcile error, a backoff that gave up). */
  error(message: string, fields?: LogFields): void;
  /** Something failed and is being retried, or looks wrong. */
  warn(message: string, fields?: LogFields): void;
  /** Lifecycle: starting, caches synced, leader acquired, shutting down, stopped. */
  info(message: string, fields?: LogFields): void;
  /** Per-reconcile detail, off by default. */
  debug(message: string, fields?: LogFields): void;
  /** A logger adding `fields` to every line (after this logger's own bound fields). */
  child(fields: LogFields): Logger;
}
