import { SerdeError } from '../errors/serdeError.js';
import type { WatchEvent } from './types.js';

/**
 * Turns the bytes of a WATCH response into {@link WatchEvent}s, one per `\n`-terminated JSON line.
 *
 * Chunks may end anywhere — in the middle of a line or of a multi-byte UTF-8 character — because
 * the bytes go through one streaming `TextDecoder` and only the unterminated tail of a chunk is
 * carried over. Each line is `JSON.parse`d once and the parsed object is emitted as is (no copy).
 *
 * A line that is not JSON, not an object with a known `type` and an object `object`, or an
 * ADDED/MODIFIED/DELETED event whose object has no `metadata` or no `metadata.name`, is a
 * {@link SerdeError}: with `onInvalid` it is handed there and skipped (the lines after it are
 * still decoded); without, it is thrown from `push`/`end`, after every line before it in the same
 * chunk has been emitted. An ERROR event whose `Status` has no integer `code` gets code 500.
 *
 * @example
 * ```ts
 * const events: WatchEvent<Pod>[] = [];
 * const decoder = new WatchEventDecoder<Pod>();
 * for await (const chunk of response.body ?? []) decoder.push(chunk, (event) => events.push(event));
 * decoder.end((event) => events.push(event));
 * ```
 */
export class WatchEventDecoder<K> {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  // The text after the last newline seen so far: the start of a line still being received.
  private rest = '';
  private readonly onInvalid: ((error: SerdeError) => void) | undefined;

  constructor(config: WatchEventDecoderConfig = {}) {
    this.onInvalid = config.onInvalid;
  }

  /** Decodes `chunk` and emits every line it completes. */
  push(chunk: Uint8Array, emit: (event: WatchEvent<K>) => void): void {
    const text = this.decoder.decode(chunk, { stream: true });
    let newline = text.indexOf('\n');
    if (newline === -1) {
      this.rest += text;
      return;
    }
    // Only the new text is searched for newlines: a long line arriving in many chunks is not
    // rescanned, and concatenation happens once per line.
    const first = this.rest === '' ? text.slice(0, newline) : this.rest + text.slice(0, newline);
    this.rest = '';
    if (first.length !== 0) this.decodeLine(first, emit);
    let start = newline + 1;
    while ((newline = text.indexOf('\n', start)) !== -1) {
      if (newline !== start) this.decodeLine(text.slice(start, newline), emit);
      start = newline + 1;
    }
    this.rest = start === text.length ? '' : text.slice(start);
  }

  /** Ends the stream: a last line without a trailing newline is still emitted. */
  end(emit: (event: WatchEvent<K>) => void): void {
    const last = this.rest + this.decoder.decode();
    this.rest = '';
    if (last.trim().length !== 0) this.decodeLine(last, emit);
  }

  private decodeLine(line: string, emit: (event: WatchEvent<K>) => void): void {
    const onInvalid = this.onInvalid;
    if (onInvalid === undefined) {
      emit(parseWatchLine<K>(line));
      return;
    }
    let event: WatchEvent<K>;
    try {
      event = parseWatchLine<K>(line);
    } catch (error) {
      onInvalid(error as SerdeError);
      return;
    }
    emit(event);
  }
}

/** Options of a {@link WatchEventDecoder}. */
export interface WatchEventDecoderConfig {
  /**
   * Receives each malformed line's {@link SerdeError}; the line is then skipped and decoding goes
   * on. Default: none — a malformed line is thrown from `push`/`end`.
   */
  onInvalid?: (error: SerdeError) => void;
}

const OBJECT_EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED']);

/**
 * Parses and checks one watch line.
 *
 * @throws SerdeError when the line is not a well-formed watch event.
 */
export function parseWatchLine<K>(line: string): WatchEvent<K> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    if (line.trim().length === 0) throw blankLine(line);
    throw new SerdeError(`watch event is not valid JSON: ${(error as Error).message}`, {
      body: line,
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null) {
    throw new SerdeError('watch event is not a JSON object', { body: line });
  }
  const event = value as { type?: unknown; object?: unknown };
  const object = event.object as { metadata?: unknown } | null | undefined;
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new SerdeError('watch event has no object', { body: line });
  }
  const type = event.type;
  if (typeof type === 'string' && OBJECT_EVENT_TYPES.has(type)) {
    const metadata = object.metadata as { name?: unknown } | null | undefined;
    if (typeof metadata !== 'object' || metadata === null) {
      throw new SerdeError(`watch ${type} event object has no metadata`, { body: line });
    }
    if (typeof metadata.name !== 'string' || metadata.name === '') {
      throw new SerdeError(`watch ${type} event object has no metadata.name`, { body: line });
    }
  } else if (type === 'ERROR') {
    const status = object as { code?: unknown };
    // A Status whose code is not a number cannot be classified: it counts as a server error
    // (transient), so consumers can still rely on `code` being a number.
    if (typeof status.code !== 'number' || !Number.isInteger(status.code)) status.code = 500;
  } else if (type !== 'BOOKMARK') {
    throw new SerdeError(`unknown watch event type ${JSON.stringify(type)}`, { body: line });
  }
  return value as WatchEvent<K>;
}

function blankLine(line: string): SerdeError {
  return new SerdeError('watch stream sent a blank line', { body: line });
}
