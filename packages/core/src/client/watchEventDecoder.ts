import { SerdeError } from '../errors/serdeError.js';
import type { WatchEvent } from './types.js';

const NEWLINE = 0x0a;

/**
 * Turns the bytes of a WATCH response into {@link WatchEvent}s, one per `\n`-terminated JSON line.
 *
 * Chunks may end anywhere — in the middle of a line or of a multi-byte UTF-8 character. Lines are
 * split on the newline byte (which never occurs inside a UTF-8 sequence), so the complete lines of
 * a chunk are decoded from bytes to text once (in one call), each line is `JSON.parse`d once, and
 * the parsed object is emitted as is (no copy). Only the unterminated tail of a chunk is kept (as a
 * view on it, copied once when the line completes).
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
 * for await (const chunk of response.body) decoder.push(chunk, (event) => events.push(event));
 * decoder.end((event) => events.push(event));
 * ```
 */
export class WatchEventDecoder<K> {
  // The bytes after the last newline seen so far: the start of a line still being received.
  private rest: Buffer[] = [];
  private restLength = 0;
  private readonly onInvalid: ((error: SerdeError) => void) | undefined;

  constructor(config: WatchEventDecoderConfig = {}) {
    this.onInvalid = config.onInvalid;
  }

  /** Decodes `chunk` and emits every line it completes. */
  push(chunk: Uint8Array, emit: (event: WatchEvent<K>) => void): void {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const newline = bytes.indexOf(NEWLINE);
    if (newline === -1) {
      this.keep(bytes, 0);
      return;
    }
    // Only the new bytes are searched for newlines: a long line arriving in many chunks is not
    // rescanned, and its parts are joined once.
    if (this.restLength === 0) {
      if (newline !== 0) this.decodeLine(bytes.toString('utf8', 0, newline), emit);
    } else {
      this.rest.push(bytes.subarray(0, newline));
      const first = Buffer.concat(this.rest, this.restLength + newline).toString('utf8');
      this.rest = [];
      this.restLength = 0;
      if (first.length !== 0) this.decodeLine(first, emit);
    }
    let start = newline + 1;
    // The complete lines after the first are decoded to text in one go (newline bytes are
    // character boundaries, so the text is the same as line by line), then cut into lines: one
    // decode call and one string per chunk rather than per line, and each line is a slice of it
    // (JSON.parse copies what it keeps, so the chunk's text is garbage once its lines are parsed).
    const last = bytes.lastIndexOf(NEWLINE);
    if (last >= start) {
      const text = bytes.toString('utf8', start, last);
      let from = 0;
      let to: number;
      while ((to = text.indexOf('\n', from)) !== -1) {
        if (to !== from) this.decodeLine(text.slice(from, to), emit);
        from = to + 1;
      }
      if (from !== text.length) this.decodeLine(text.slice(from), emit);
      start = last + 1;
    }
    if (start !== bytes.length) this.keep(bytes, start);
  }

  /** Ends the stream: a last line without a trailing newline is still emitted. */
  end(emit: (event: WatchEvent<K>) => void): void {
    const last = Buffer.concat(this.rest, this.restLength).toString('utf8');
    this.rest = [];
    this.restLength = 0;
    if (last.trim().length !== 0) this.decodeLine(last, emit);
  }

  private keep(bytes: Buffer, start: number): void {
    const tail = start === 0 ? bytes : bytes.subarray(start);
    this.rest.push(tail);
    this.restLength += tail.length;
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
