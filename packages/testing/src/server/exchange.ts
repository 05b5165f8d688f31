import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatusError } from '../status.js';
import type { RequestLogEntry } from './requestLog.js';

/** One request/response pair with its log entry; all responses go through here. */
export class Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly entry: RequestLogEntry;

  constructor(request: IncomingMessage, response: ServerResponse, entry: RequestLogEntry) {
    this.request = request;
    this.response = response;
    this.entry = entry;
    response.on('close', () => {
      entry.durationMs = Date.now() - entry.startedAt;
    });
  }

  /** Writes the head (recording the status in the log). */
  writeHead(code: number, headers: Record<string, string>): void {
    this.entry.status = code;
    this.response.writeHead(code, headers);
  }

  /** Sends a complete JSON body. */
  sendJson(code: number, json: string, headers: Record<string, string> = {}): void {
    this.writeHead(code, { 'content-type': 'application/json', ...headers });
    this.response.end(json);
  }

  /** Sends a failure as its `Status` body. */
  sendError(error: StatusError): void {
    this.sendJson(error.status.code, JSON.stringify(error.status), error.headers);
  }

  /** Destroys the connection without answering. */
  reset(): void {
    this.request.socket.destroy();
  }

  /** Reads the request body as text. */
  readBody(): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      this.request.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      this.request.on('error', reject);
    });
  }
}
