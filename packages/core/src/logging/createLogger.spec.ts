import { Writable } from 'node:stream';

import winston from 'winston';

import { ApiError } from '../errors/apiError.js';
import { createLogger, type LoggerConfig } from './createLogger.js';
import { defaultLogger, setDefaultLogger } from './defaultLogger.js';
import type { Logger } from './logger.js';

function capture(config: LoggerConfig = {}): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString().trimEnd());
      done();
    },
  });
  const logger = createLogger({
    ...config,
    transports: [new winston.transports.Stream({ stream })],
  });
  return { logger, lines };
}

describe('createLogger', () => {
  const savedLevel = process.env['KUBE_RX_LOG_LEVEL'];
  afterEach(() => {
    if (savedLevel === undefined) delete process.env['KUBE_RX_LOG_LEVEL'];
    else process.env['KUBE_RX_LOG_LEVEL'] = savedLevel;
  });

  it('writes one JSON object per line with timestamp, component and fields', () => {
    const { logger, lines } = capture({ format: 'json', component: 'watcher', level: 'info' });
    logger.info('list done', { objects: 3 });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'info',
      message: 'list done',
      component: 'watcher',
      objects: 3,
    });
    expect(typeof line['timestamp']).toBe('string');
  });

  it('serialises Error fields with name, kind, code and a redacted message', () => {
    const { logger, lines } = capture({ format: 'json', level: 'info' });
    const error = new ApiError({ code: 503, reason: 'ServiceUnavailable', message: 'busy' });
    const plain = new Error('failed with Authorization: Bearer abc.def', { cause: error });
    logger.warn('failed', { error: plain });
    const line = JSON.parse(lines[0]!) as { error: Record<string, unknown> };
    expect(line.error).toEqual({
      name: 'Error',
      message: 'failed with Authorization: Bearer [REDACTED]',
      stack: expect.stringMatching(
        /^Error: failed with Authorization: Bearer \[REDACTED\]\n\s+at /,
      ),
      cause: {
        name: 'ApiError',
        kind: 'Api',
        code: 503,
        message: '503 ServiceUnavailable: busy',
        stack: expect.stringContaining('createLogger.spec'),
      },
    });
    expect(lines[0]).not.toContain('abc.def');
  });

  it('adds the fields of child loggers to each line, and describes their Error fields', () => {
    const { logger, lines } = capture({ format: 'json', level: 'debug', component: 'ctl' });
    const child = logger.child({ controller: 'widgets' }).child({ reconcileID: 'r1' });
    child.debug('reconcile done', { durationMs: 3 });
    logger.child({ error: new Error('token=sekret') }).info('bound error');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'debug',
      message: 'reconcile done',
      component: 'ctl',
      controller: 'widgets',
      reconcileID: 'r1',
      durationMs: 3,
    });
    expect(JSON.parse(lines[1]!)).toMatchObject({
      error: { name: 'Error', message: 'token=[REDACTED]' },
    });
  });

  it('follows a pretty error line with the stacks of the error and its causes', () => {
    const { logger, lines } = capture({ format: 'pretty', isTTY: false });
    const cause = new Error('connect ECONNREFUSED password=hunter2');
    logger.error('reconcile failed', { error: new Error('sync failed', { cause }) });
    const [first, ...rest] = lines[0]!.split('\n');
    expect(first).toMatch(/ error reconcile failed error=Error: sync failed ← Error: connect/);
    expect(rest[0]).toBe('Error: sync failed');
    expect(rest[1]).toMatch(/^\s+at .*createLogger\.spec/);
    expect(rest).toContain('Caused by: Error: connect ECONNREFUSED password=[REDACTED]');
    expect(lines[0]).not.toContain('hunter2');
    logger.warn('retrying', { error: cause });
    expect(lines[1]).not.toContain('\n');
  });

  it('writes pretty lines without colours when not on a terminal', () => {
    const { logger, lines } = capture({ format: 'pretty', component: 'ctl', isTTY: false });
    logger.info('hello', { key: 'ns/name', n: 2 });
    expect(lines[0]).toMatch(/^\S+ info \[ctl\] hello key=ns\/name n=2$/);
  });

  it('writes pretty lines with rounded numbers and errors as one capped line of causes', () => {
    const { logger, lines } = capture({ format: 'pretty', component: 'watcher', isTTY: false });
    const busy = new ApiError({ code: 503, reason: 'ServiceUnavailable', message: 'busy' });
    const error = new Error('watch of configmaps failed', { cause: busy });
    logger.warn('watch failed', { error, delayMs: 153.2114526034798, ratio: 0.123456 });
    expect(lines[0]).toMatch(
      /^\S+ warn \[watcher\] watch failed delayMs=153 ratio=0\.123 error=Error: watch of configmaps failed ← Api 503: 503 ServiceUnavailable: busy$/,
    );
    logger.warn('watch failed', { error: new Error('x'.repeat(500)), attempt: 3 });
    expect(lines[1]).toHaveLength(160);
    expect(lines[1]).toContain(' attempt=3 ');
    expect(lines[1]!.endsWith('…')).toBe(true);
  });

  it("chooses pretty coloured output on a terminal and JSON elsewhere for 'auto'", () => {
    const tty = capture({ isTTY: true });
    tty.logger.info('x');
    expect(tty.lines[0]).toContain('\u001b[');
    expect(tty.lines[0]).toContain(' x');
    const pipe = capture({ isTTY: false });
    pipe.logger.info('x');
    expect(JSON.parse(pipe.lines[0]!)).toMatchObject({ message: 'x', level: 'info' });
  });

  it('filters by level, defaulting to KUBE_RX_LOG_LEVEL', () => {
    process.env['KUBE_RX_LOG_LEVEL'] = 'warn';
    const { logger, lines } = capture({ format: 'json' });
    logger.info('dropped');
    logger.warn('kept');
    expect(lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual([
      'kept',
    ]);
  });

  it('defaults to info without KUBE_RX_LOG_LEVEL', () => {
    delete process.env['KUBE_RX_LOG_LEVEL'];
    const { logger, lines } = capture({ format: 'json' });
    logger.debug('dropped');
    logger.info('kept');
    expect(lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual([
      'kept',
    ]);
  });

  it("writes nothing when silent or at level 'silent'", () => {
    const silent = capture({ silent: true, level: 'info' });
    silent.logger.error('x');
    const silentLevel = capture({ level: 'silent' });
    silentLevel.logger.error('x');
    expect([...silent.lines, ...silentLevel.lines]).toEqual([]);
  });

  it('rejects an unknown level or format with a TypeError', () => {
    expect(() => createLogger({ level: 'loud' })).toThrow(TypeError);
    expect(() => createLogger({ format: 'xml' as 'json' })).toThrow(TypeError);
  });
});

describe('defaultLogger', () => {
  afterEach(() => setDefaultLogger(undefined));

  it('is created once and shared', () => {
    expect(defaultLogger()).toBe(defaultLogger());
  });

  it('can be replaced and restored', () => {
    const replacement = capture({ silent: true }).logger;
    const original = defaultLogger();
    setDefaultLogger(replacement);
    expect(defaultLogger()).toBe(replacement);
    setDefaultLogger(undefined);
    expect(defaultLogger()).not.toBe(replacement);
    expect(defaultLogger()).not.toBe(original);
  });
});
