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
