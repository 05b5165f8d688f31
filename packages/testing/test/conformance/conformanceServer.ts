import type { KubeConfig } from '@kubernetes/client-node';
import {
  startEnvtest,
  startTestApiServer,
  type CustomResourceConfig,
  type Envtest,
} from '@kube-rx/testing';

/** Which server a conformance run talks to. */
export type ServerKind = 'in-memory' | 'kube-apiserver';

/** What a scenario may do to the server beyond its API. */
export interface ConformanceServer {
  readonly kind: ServerKind;
  kubeConfig(): KubeConfig;
  registerCustomResource(definition: CustomResourceConfig): Promise<void>;
  /** Drops the history behind LIST continue tokens and WATCH resumption (etcd compaction). */
  compact(): Promise<void>;
  /**
   * The server whose WATCHes see a compaction at once: the in-memory server itself; for the
   * real one a second envtest with `--watch-cache=false` (the watch cache keeps serving events
   * it holds after etcd compacts them).
   */
  withoutWatchCache(): Promise<ConformanceServer>;
  close(): Promise<void>;
}

/** The in-memory server with the apiserver's namespace rule (no auto-created namespaces). */
export async function inMemoryServer(): Promise<ConformanceServer> {
  const server = await startTestApiServer({ autoCreateNamespaces: false });
  const self: ConformanceServer = {
    kind: 'in-memory',
    kubeConfig: () => server.kubeConfig(),
    registerCustomResource: async (definition) => server.registerCustomResource(definition),
    compact: async () => server.faults.compact(),
    withoutWatchCache: async () => self,
    close: () => server.close(),
  };
  return self;
}

function envtestServer(
  envtest: Envtest,
  extra: () => Promise<ConformanceServer>,
): ConformanceServer {
  return {
    kind: 'kube-apiserver',
    kubeConfig: () => envtest.kubeConfig(),
    registerCustomResource: (definition) => envtest.registerCustomResource(definition),
    compact: async () => {
      await envtest.compact();
    },
    withoutWatchCache: extra,
    close: () => envtest.close(),
  };
}

/** A real kube-apiserver (envtest); the watch-cache-less twin starts on first use. */
export async function realServer(): Promise<ConformanceServer> {
  const main = await startEnvtest();
  let twin: Promise<ConformanceServer> | undefined;
  const withoutWatchCache = () => {
    twin ??= startEnvtest({ watchCache: false }).then((envtest) =>
      envtestServer(envtest, () => twin!),
    );
    return twin;
  };
  const server = envtestServer(main, withoutWatchCache);
  return {
    ...server,
    close: async () => {
      await Promise.all([main.close(), twin?.then((extra) => extra.close())]);
    },
  };
}
