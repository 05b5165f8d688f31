import { createRequire } from 'node:module';
import type winston from 'winston';

import type { ErrorDescription } from './describeError.js';
import type { Logger } from './logger.js';
import { winstonLogger } from './winstonLogger.js';

/** How log lines are written: one JSON object per line, or human-readable text. */
export type LogFormat = 'json' | 'pretty' | 'auto';

/** Options of {@link createLogger}. */
export interface LoggerConfig {
  /**
   * Lowest level written (winston npm levels: `error`, `warn`, `info`, `http`, `verbose`,
   * `debug`, `silly`), or `'silent'` to write nothing. Default: the `KUBE_RX_LOG_LEVEL`
   * environment variable, else `'info'`.
   */
  level?: string;
  /**
   * `'json'`: one JSON object per line with a `timestamp` (for log collectors). `'pretty'`:
   * `time level [component] message key=value ...`. `'auto'`: pretty when standard output is a
   * terminal, JSON otherwise. Default `'auto'`.
   */
  format?: LogFormat;
  /** Added to every line as the `component` field (e.g. `'watcher'`, `'my-operator'`). Default: none. */
  component?: string;
  /** Further fields added to every line. Default: none. */
  defaultMeta?: Record<string, unknown>;
  /** Write nothing at all. Default `false` (`true` when `level` is `'silent'`). */
  silent?: boolean;
  /**
   * Where lines go. Default: one console transport (standard output). Tests pass a
   * `winston.transports.Stream` to capture lines.
   */
  transports?: winston.transport[];
  /**
   * Whether the output is a terminal; decides `'auto'` and whether pretty output is coloured.
   * Default `process.stdout.isTTY`.
   */
  isTTY?: boolean;
}

// winston (and its formats and transports, about 1 MB of heap and some milliseconds of start-up)
// is loaded when the first logger is created, not when kube-rx is imported: an application that
// never logs through kube-rx's default logger, or passes its own, does not pay for it.
const require = createRequire(import.meta.url);
type Winston = typeof winston;
let loaded: Winston | undefined;
function loadWinston(): Winston {
  loaded ??= require('winston') as Winston;
  return loaded;
}

/**
 * Creates kube-rx's default {@link Logger}, on winston, with its structured conventions: a
 * `timestamp` on every line, `Error` values in fields turned into `{ name, kind, code, message,
 * stack, cause }` with secrets removed (see {@link winstonLogger}), JSON for machines and
 * coloured text for people. In pretty output a line stays on one terminal line, except that an
 * `error` line is followed by the stack of its error and of each cause.
 *
 * Gotcha: the level is read from `KUBE_RX_LOG_LEVEL` when the logger is created, not on every
 * line. Set `KUBE_RX_LOG_LEVEL=silent` (or `silent: true`) to keep test output clean.
 *
 * @throws TypeError for an unknown `level` or `format`.
 *
 * @example
 * ```ts
 * const logger = createLogger({ component: 'my-operator', format: 'json' });
 * logger.info('reconciled', { object: 'default/web', durationMs: 12 });
 * const watcherLogger = logger.child({ component: 'watcher' });
 * ```
 */
export function createLogger(config: LoggerConfig = {}): Logger {
  const winston = loadWinston();
  const LEVELS = Object.keys(winston.config.npm.levels);
  const level = config.level ?? (process.env['KUBE_RX_LOG_LEVEL'] || 'info');
  if (level !== 'silent' && !LEVELS.includes(level)) {
    throw new TypeError(
      `createLogger: level must be one of ${LEVELS.join(', ')} or silent, got ${level}`,
    );
  }
  const format = config.format ?? 'auto';
  if (!['json', 'pretty', 'auto'].includes(format)) {
    throw new TypeError(`createLogger: format must be 'json', 'pretty' or 'auto', got ${format}`);
  }
  const isTTY = config.isTTY ?? process.stdout.isTTY === true;
  const pretty = format === 'pretty' || (format === 'auto' && isTTY);

  const defaultMeta: Record<string, unknown> = { ...config.defaultMeta };
  if (config.component !== undefined) defaultMeta['component'] = config.component;

  return winstonLogger(
    winston.createLogger({
      level: level === 'silent' ? 'info' : level,
      silent: config.silent ?? level === 'silent',
      defaultMeta,
      format: winston.format.combine(
        winston.format.timestamp(),
        pretty ? prettyLine(winston, isTTY) : winston.format.json(),
      ),
      transports: config.transports ?? [new winston.transports.Console()],
    }),
  );
}

const RESERVED = new Set(['level', 'message', 'timestamp', 'component']);

/** Pretty lines stay on one terminal line: longer ones end in `…` (JSON keeps everything). */
const MAX_PRETTY_LINE = 160;

function prettyLine(winston: Winston, colors: boolean): winston.Logform.Format {
  const colorizer = winston.format.colorize();
  return winston.format.printf((info) => {
    const level = colors ? colorizer.colorize(info.level, info.level) : info.level;
    const component = typeof info['component'] === 'string' ? ` [${info['component']}]` : '';
    const message = typeof info.message === 'string' ? info.message : JSON.stringify(info.message);
    // Scalars first, so that a long error description does not push them past the cut.
    const entries = Object.entries(info).filter(([key]) => !RESERVED.has(key));
    const fields = [
      ...entries.filter(([, value]) => typeof value !== 'object' || value === null),
      ...entries.filter(([, value]) => typeof value === 'object' && value !== null),
    ].map(([key, value]) => `${key}=${prettyValue(value)}`);
    const head = `${String(info['timestamp'])} ${info.level}${component} ${message}`;
    const line = [head, ...fields].join(' ');
    const shown = line.length > MAX_PRETTY_LINE ? `${line.slice(0, MAX_PRETTY_LINE - 1)}…` : line;
    const stacks = info.level === 'error' ? errorStacks(entries.map(([, value]) => value)) : '';
    return (colors ? shown.replace(info.level, level) : shown) + stacks;
  });
}

/** The stacks of the errors among `values` and of their causes, one frame a line. */
function errorStacks(values: unknown[]): string {
  let text = '';
  for (const value of values) {
    if (!isErrorDescription(value)) continue;
    let prefix = '';
    for (let current: ErrorDescription | undefined = value; current; current = current.cause) {
      if (current.stack !== undefined) text += `\n${prefix}${current.stack}`;
      prefix = 'Caused by: ';
    }
  }
  return text;
}

function prettyValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(roundForReading(value));
  if (isErrorDescription(value)) return errorChain(value);
  return JSON.stringify(value, (_key, nested: unknown) =>
    typeof nested === 'number' ? roundForReading(nested) : nested,
  );
}

/** `153.2114526034798` → `153`, `1.23456` → `1.23`: jittered delays read as whole ms. */
function roundForReading(value: number): number {
  if (Number.isInteger(value) || !Number.isFinite(value)) return value;
  return Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3));
}

function isErrorDescription(value: unknown): value is ErrorDescription {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** `WatchFailed: watch failed ← Api 503: 503 ServiceUnavailable: busy`, on one line. */
function errorChain(error: ErrorDescription): string {
  const parts: string[] = [];
  for (let current: ErrorDescription | undefined = error; current; current = current.cause) {
    const label = [current.kind ?? current.name, current.code].filter((p) => p !== undefined);
    parts.push(`${label.join(' ')}: ${current.message.replace(/\s*\n\s*/g, ' ')}`);
  }
  return parts.join(' ← ');
}
