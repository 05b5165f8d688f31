import type winston from 'winston';

import { describeError } from './describeError.js';
import type { LogFields, Logger } from './logger.js';

/**
 * Adapts a winston logger to kube-rx's {@link Logger}: each line goes to `logger` at the same
 * level, with its fields as winston metadata, and every top-level `Error` field replaced by
 * {@link describeError}'s summary (name, kind, code, message and stack with secrets removed, the
 * chain of causes) — winston itself would write `{}`. `child(fields)` adapts `logger.child`.
 * Lines below the logger's level (or all, when `silent`) are dropped before any of that work.
 *
 * {@link createLogger} returns such an adapter; use this one to log through the application's
 * own winston logger (its levels, format and transports).
 *
 * @example
 * ```ts
 * import winston from 'winston';
 * const app = winston.createLogger({ transports: [new winston.transports.Console()] });
 * setDefaultLogger(winstonLogger(app.child({ component: 'my-operator' })));
 * ```
 */
export function winstonLogger(logger: winston.Logger): Logger {
  if (typeof logger !== 'object' || logger === null || typeof logger.log !== 'function') {
    throw new TypeError('winstonLogger: expected a winston Logger');
  }
  const write =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      // A line below the level costs nothing: no error description, no trip through winston's
      // stream.
      if (logger.silent || !logger.isLevelEnabled(level)) return;
      if (fields === undefined) logger.log(level, message);
      else logger.log(level, message, withErrorsDescribed(fields));
    };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: (fields) => winstonLogger(logger.child(withErrorsDescribed(fields))),
  };
}

/** `fields` itself when it holds no `Error`, else a copy with each described. */
function withErrorsDescribed(fields: LogFields): LogFields {
  let copy: LogFields | undefined;
  for (const key in fields) {
    const value = fields[key];
    if (value instanceof Error) {
      copy ??= { ...fields };
      copy[key] = describeError(value);
    }
  }
  return copy ?? fields;
}
