import type { LogFields, Logger } from '@kube-rx/core';

/** One line a {@link captureLogger} received, with its bound and own fields merged. */
export interface CapturedLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  fields: LogFields;
}

/** A {@link Logger} that keeps every line (children included) in `lines`, for assertions. */
export function captureLogger(): { logger: Logger; lines: CapturedLine[] } {
  const lines: CapturedLine[] = [];
  const make = (bound: LogFields): Logger => {
    const write =
      (level: CapturedLine['level']) =>
      (message: string, fields?: LogFields): void =>
        void lines.push({ level, message, fields: { ...bound, ...fields } });
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return { logger: make({}), lines };
}
