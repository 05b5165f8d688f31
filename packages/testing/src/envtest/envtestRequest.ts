import { request } from 'node:https';

/** The answer of {@link envtestRequest}. */
export interface EnvtestResponse {
  readonly status: number;
  readonly body: string;
}

/** Where and how {@link envtestRequest} authenticates. */
export interface EnvtestEndpoint {
  /** `https://127.0.0.1:PORT`. */
  readonly url: string;
  /** The CA (PEM) the serving certificate is verified against. */
  readonly caCertificate: string;
  /** Bearer token. */
  readonly token: string;
}

/**
 * One HTTPS request to the envtest apiserver, TLS verified against its CA; used for start-up
 * checks and CRD installation, where no client is set up yet. Rejects on transport errors or
 * after `timeoutMs`; any HTTP status resolves.
 */
export function envtestRequest(
  endpoint: EnvtestEndpoint,
  method: string,
  path: string,
  body?: { contentType: string; text: string },
  timeoutMs = 5000,
): Promise<EnvtestResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      new URL(path, endpoint.url),
      {
        method,
        ca: endpoint.caCertificate,
        agent: false,
        timeout: timeoutMs,
        headers: {
          authorization: `Bearer ${endpoint.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': body.contentType }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${path} timed out`)));
    outgoing.on('error', reject);
    outgoing.end(body?.text);
  });
}
