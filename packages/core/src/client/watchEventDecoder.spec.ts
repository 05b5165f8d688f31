import { isSerdeError } from '../errors/serdeError.js';
import type { WatchEvent } from './types.js';
import { WatchEventDecoder, parseWatchLine } from './watchEventDecoder.js';

const events = [
  {
    type: 'ADDED',
    object: { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '1' }, data: { k: 'v' } },
  },
  {
    type: 'MODIFIED',
    object: {
      kind: 'ConfigMap',
      metadata: { name: 'a', resourceVersion: '2' },
      data: { k: 'ünï→😀' },
    },
  },
  { type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '3' } } },
  {
    type: 'ERROR',
    object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' },
  },
  { type: 'DELETED', object: { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '4' } } },
];
const bytes = new TextEncoder().encode(
  events.map((event) => JSON.stringify(event) + '\n').join(''),
);

function decodeChunks(chunks: Uint8Array[]): WatchEvent<unknown>[] {
  const decoder = new WatchEventDecoder<unknown>();
  const out: WatchEvent<unknown>[] = [];
  for (const chunk of chunks) decoder.push(chunk, (event) => out.push(event));
  decoder.end((event) => out.push(event));
  return out;
}

describe('WatchEventDecoder', () => {
  it('decodes the same events whatever the single split point (incl. inside UTF-8 characters)', () => {
    for (let split = 0; split <= bytes.length; split++) {
      expect(decodeChunks([bytes.subarray(0, split), bytes.subarray(split)])).toEqual(events);
    }
  });

  it('decodes one byte at a time', () => {
    const chunks = Array.from(bytes, (_byte, index) => bytes.subarray(index, index + 1));
    expect(decodeChunks(chunks)).toEqual(events);
  });

  it('emits a last line that has no trailing newline at the end', () => {
    const text = JSON.stringify(events[0]) + '\n' + JSON.stringify(events[4]);
    expect(decodeChunks([new TextEncoder().encode(text)])).toEqual([events[0], events[4]]);
  });

  it('emits every complete line of a chunk before failing on a malformed one', () => {
    const text = JSON.stringify(events[0]) + '\n{"type":"ADDED",\n' + JSON.stringify(events[1]);
    const decoder = new WatchEventDecoder<unknown>();
    const out: unknown[] = [];
    expect(() => decoder.push(new TextEncoder().encode(text), (event) => out.push(event))).toThrow(
      expect.objectContaining({ kind: 'Serde', bodySnippet: '{"type":"ADDED",' }),
    );
    expect(out).toEqual([events[0]]);
  });
});

describe('parseWatchLine', () => {
  it.each([
    ['not JSON', '{"type":'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"ADDED"'],
    ['no object', '{"type":"ADDED"}'],
    ['an array object', '{"type":"ADDED","object":[]}'],
    ['an unknown type', '{"type":"SYNC","object":{"metadata":{}}}'],
    ['ADDED without metadata', '{"type":"ADDED","object":{"kind":"Pod"}}'],
    ['MODIFIED with null metadata', '{"type":"MODIFIED","object":{"metadata":null}}'],
    ['DELETED with string metadata', '{"type":"DELETED","object":{"metadata":"x"}}'],
    ['a blank line', '   '],
  ])('rejects %s with a SerdeError', (_label, line) => {
    let thrown: unknown;
    try {
      parseWatchLine(line);
    } catch (error) {
      thrown = error;
    }
    expect(isSerdeError(thrown)).toBe(true);
  });

  it('accepts BOOKMARK and ERROR objects without metadata', () => {
    expect(parseWatchLine('{"type":"ERROR","object":{"kind":"Status","code":410}}').type).toBe(
      'ERROR',
    );
    expect(parseWatchLine('{"type":"BOOKMARK","object":{"kind":"Pod"}}').type).toBe('BOOKMARK');
  });
});

describe('WatchEventDecoder with onInvalid (bad lines are reported and skipped)', () => {
  const line = (event: unknown): string => JSON.stringify(event) + '\n';
  const decodeSkipping = (
    chunks: string[],
  ): { out: WatchEvent<unknown>[]; reported: Array<{ message: string; snippet?: string }> } => {
    const reported: Array<{ message: string; snippet?: string }> = [];
    const decoder = new WatchEventDecoder<unknown>({
      onInvalid: (error) =>
        reported.push({
          message: error.message,
          ...(error.bodySnippet ? { snippet: error.bodySnippet } : {}),
        }),
    });
    const out: WatchEvent<unknown>[] = [];
    for (const chunk of chunks) decoder.push(new TextEncoder().encode(chunk), (e) => out.push(e));
    decoder.end((e) => out.push(e));
    return { out, reported };
  };

  it('skips a malformed line and keeps every line after it', () => {
    const { out, reported } = decodeSkipping([
      line(events[0]) + '{"type":"ADDED",\n' + line(events[1]) + line(events[4]),
    ]);
    expect(out).toEqual([events[0], events[1], events[4]]);
    expect(reported).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('not valid JSON'),
        snippet: '{"type":"ADDED",',
      }),
    ]);
  });

  it('skips an unknown event type, an object without metadata and one without a name', () => {
    const { out, reported } = decodeSkipping([
      line({ type: 'SYNC', object: { metadata: { name: 'x' } } }),
      line({ type: 'ADDED', object: { kind: 'ConfigMap' } }),
      line({ type: 'MODIFIED', object: { kind: 'ConfigMap', metadata: { resourceVersion: '9' } } }),
      line(events[0]),
    ]);
    expect(out).toEqual([events[0]]);
    expect(reported.map((r) => r.message)).toEqual([
      'unknown watch event type "SYNC"',
      'watch ADDED event object has no metadata',
      'watch MODIFIED event object has no metadata.name',
    ]);
  });

  it('reassembles a line split across chunks, and reports a truncated last line', () => {
    const text = line(events[0]) + line(events[1]);
    const cut = text.length - 10;
    const { out, reported } = decodeSkipping([
      text.slice(0, 7),
      text.slice(7, cut),
      text.slice(cut),
    ]);
    expect(out).toEqual([events[0], events[1]]);
    expect(reported).toEqual([]);
    const truncated = decodeSkipping([line(events[0]) + line(events[1]).slice(0, 30)]);
    expect(truncated.out).toEqual([events[0]]);
    expect(truncated.reported).toHaveLength(1);
  });

  it('reports and emits the same, in the same order, wherever the chunks are cut', () => {
    // Many lines in one chunk (decoded together), blank lines, a malformed line, a whitespace-only
    // line, multi-byte characters and a last line without its newline.
    const text =
      line(events[0]) +
      '\n' +
      line(events[1]) +
      '{"type":"ADDED",\n' +
      line(events[2]) +
      ' \n' +
      line({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'é→😀' } } }) +
      line(events[3]) +
      JSON.stringify(events[4]);
    const encoded = new TextEncoder().encode(text);
    const decode = (chunks: Uint8Array[]) => {
      // Events and reports in one list, in the order they happen.
      const out: Array<WatchEvent<unknown> | string> = [];
      const decoder = new WatchEventDecoder<unknown>({
        onInvalid: (error) => out.push(`${error.message} | ${error.bodySnippet ?? ''}`),
      });
      const emit = (event: WatchEvent<unknown>) => out.push(event);
      for (const chunk of chunks) decoder.push(chunk, emit);
      decoder.end(emit);
      return out;
    };
    // Line by line, each line on its own: what any chunking must give.
    const expected = decode(text.split(/(?<=\n)/).map((part) => new TextEncoder().encode(part)));
    expect(expected.filter((item) => typeof item === 'string')).toHaveLength(2);
    expect(expected.filter((item) => typeof item !== 'string')).toHaveLength(6);
    expect(decode([encoded])).toEqual(expected);
    for (let split = 0; split <= encoded.length; split++) {
      expect(decode([encoded.subarray(0, split), encoded.subarray(split)])).toEqual(expected);
    }
    for (let size = 1; size <= 64; size++) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < encoded.length; i += size) chunks.push(encoded.subarray(i, i + size));
      expect(decode(chunks)).toEqual(expected);
    }
  });

  it('decodes a 2 MB object arriving in 64 KB chunks', () => {
    const big = {
      type: 'ADDED',
      object: {
        kind: 'ConfigMap',
        metadata: { name: 'big' },
        data: { blob: 'x'.repeat(2 * 1024 * 1024) },
      },
    };
    const text = line(big) + line(events[0]);
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 65_536) chunks.push(text.slice(i, i + 65_536));
    const { out, reported } = decodeSkipping(chunks);
    expect(reported).toEqual([]);
    expect(out).toHaveLength(2);
    expect((out[0]?.object as { data: { blob: string } }).data.blob).toHaveLength(2 * 1024 * 1024);
  });
});

describe('parseWatchLine and an ERROR Status with a non-numeric code', () => {
  it.each(['"Gone"', 'null', '410.5'])('reads code %s as 500', (code) => {
    const event = parseWatchLine(`{"type":"ERROR","object":{"kind":"Status","code":${code}}}`);
    expect((event.object as { code: unknown }).code).toBe(500);
  });
});
