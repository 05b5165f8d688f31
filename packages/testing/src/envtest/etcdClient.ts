/**
 * The two calls of etcd's JSON gateway (`/v3/...`, the HTTP face of its gRPC API) that envtest
 * needs: the current revision and compaction.
 */
export class EtcdClient {
  constructor(private readonly url: string) {}

  private async post(path: string, body: object): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`etcd ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  }

  /** The store's current revision (what the apiserver calls the resourceVersion). */
  async currentRevision(): Promise<string> {
    // A range over one key that never exists still carries the revision in its header.
    const answer = await this.post('/v3/kv/range', {
      key: Buffer.from('/kube-rx-envtest/revision').toString('base64'),
    });
    const header = answer['header'] as { revision?: string } | undefined;
    if (header?.revision === undefined) throw new Error('etcd range answered without a revision');
    return header.revision;
  }

  /** Drops every revision before `revision`; older reads and watches then fail as compacted. */
  async compact(revision: string): Promise<void> {
    await this.post('/v3/kv/compaction', { revision, physical: true });
  }
}
