import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import { finished, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * One API server response as `kubeFetch` hands it to a response handler: the status line, the
 * headers and the body as a Node `Readable` of `Buffer`s, already gunzipped when the server
 * compressed it (`Content-Encoding: gzip`, which the real apiserver uses for large LIST
 * responses). The body must be read (or the request aborted) for its connection to be reused.
 *
 * @example
 * ```ts
 * import type { ResponseHandler } from './kubeFetch.js';
 *
 * const handler: ResponseHandler<string> = async (response, subscriber) => {
 *   subscriber.next(`${response.status} ${response.header('content-type') ?? ''}`);
 *   subscriber.next(await response.text());
 *   subscriber.complete();
 * };
 * ```
 */
export class KubeResponse {
  /** HTTP status code. */
  readonly status: number;
  /** HTTP reason phrase (the standard one for the code when the server sent none). */
  readonly statusText: string;
  /** The decoded body bytes. */
  readonly body: Readable;
  private readonly headers: IncomingHttpHeaders;

  constructor(
    status: number,
    headers: IncomingHttpHeaders,
    body: Readable,
    statusText?: string | undefined,
  ) {
    this.status = status;
    this.statusText = statusText || STATUS_CODES[status] || '';
    this.headers = headers;
    const encoding = headerText(headers['content-encoding'])?.trim().toLowerCase();
    // pipeline() destroys the gunzip stream with the socket's error (abort, reset), so readers
    // of the decoded body see every transport failure.
    this.body =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? pipeline(body, createGunzip(), () => undefined)
        : body;
  }

  /** `true` for a 2xx status. */
  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  /** A response header (case-insensitive; the first value of a repeated one). */
  header(name: string): string | undefined {
    return headerText(this.headers[name.toLowerCase()]);
  }

  /** The whole decoded body. Rejects with the transport error when the body breaks off. */
  buffer(): Promise<Buffer> {
    const body = this.body;
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let length = 0;
      body.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
      });
      finished(body, (error) => {
        if (error) reject(error);
        else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length));
      });
    });
  }

  /** The whole decoded body as UTF-8 text. */
  async text(): Promise<string> {
    return (await this.buffer()).toString('utf8');
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
