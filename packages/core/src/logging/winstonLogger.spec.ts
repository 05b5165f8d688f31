import { Writable } from 'node:stream';

import winston from 'winston';

import { winstonLogger } from './winstonLogger.js';

function appLogger(): { logger: winston.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream })],
  });
  return { logger, lines };
}

describe('winstonLogger', () => {
  it("writes through the application's winston logger, at each level, with Error fields described", () => {
    const { logger, lines } = appLogger();
    const log = winstonLogger(logger.child({ app: 'shop' }));
    log.error('e', { error: new Error('Bearer abc.def') });
    log.warn('w');
    log.info('i', { n: 1 });
    log.child({ controller: 'widgets' }).debug('d');
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'e',
        app: 'shop',
        error: {
          name: 'Error',
          message: 'Bearer [REDACTED]',
          stack: expect.stringContaining('winstonLogger.spec') as unknown,
        },
      },
      { level: 'warn', message: 'w', app: 'shop' },
      { level: 'info', message: 'i', app: 'shop', n: 1 },
      { level: 'debug', message: 'd', app: 'shop', controller: 'widgets' },
    ]);
  });

  it('does not copy fields without errors, and leaves the caller’s object alone', () => {
    const { logger, lines } = appLogger();
    const fields = { error: new Error('x') };
    winstonLogger(logger).warn('w', fields);
    expect(fields.error).toBeInstanceOf(Error);
    expect(lines[0]!['error']).toMatchObject({ name: 'Error', message: 'x' });
  });

  it('rejects what is not a winston logger', () => {
    expect(() => winstonLogger({} as winston.Logger)).toThrow(TypeError);
  });
});

describe('winstonLogger below its level', () => {
  it('drops the line before describing its errors', () => {
    const { logger, lines } = appLogger();
    logger.level = 'warn';
    let described = 0;
    const error = new Error('x');
    Object.defineProperty(error, 'stack', {
      get: () => {
        described += 1;
        return 'Error: x';
      },
    });
    const log = winstonLogger(logger);
    log.info('dropped', { error });
    log.debug('dropped');
    expect([lines.length, described]).toEqual([0, 0]);
    log.warn('kept', { error });
    const afterKept = described;
    expect([lines.length, afterKept > 0]).toEqual([1, true]);
    logger.silent = true;
    log.error('dropped', { error });
    expect([lines.length, described]).toEqual([1, afterKept]);
  });
});
