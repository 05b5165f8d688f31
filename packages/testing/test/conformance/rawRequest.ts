import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** The answer of {@link rawRequest}: status, content type and the body parsed as JSON. */
export interface RawResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Record<string, unknown>;
}

/**
 * One request where the `Api` client has no method (Table output, unusual headers): TLS and
 * credentials come from the kubeconfig's current cluster and user, as for every client.
 */
export async function rawRequest(
  kubeConfig: KubeConfig,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const server = kubeConfig.getCurrentCluster()!.server;
  const options: RequestOptions = { method: 'GET', headers: { ...headers }, agent: false };
  await kubeConfig.applyToHTTPSOptions(options);
  const send = server.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(new URL(path, server), options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: String(response.headers['content-type'] ?? ''),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
