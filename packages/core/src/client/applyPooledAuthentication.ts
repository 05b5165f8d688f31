import { createHash } from 'node:crypto';
import type { Cluster, KubeConfig, RequestContext } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';

/** How a request authenticated by {@link applyPooledAuthentication} is to be sent. */
export interface PooledAuthentication {
  /**
   * `true`: the context's dispatcher is shared and must stay open after the request. `false`:
   * it was built for this request alone (or there is none); the caller closes it when done.
   */
  pooled: boolean;
}

/** A dispatcher kept for one cluster + user of a KubeConfig, with the TLS settings it was built for. */
interface PoolEntry {
  fingerprint: string;
  dispatcher: Dispatcher;
}

/** The TLS and proxy settings client-node hands to its dispatcher factory. */
type AgentOptions = Parameters<KubeConfig['createDispatcherOptions']>[1];

/** client-node's dispatcher factory: private in its typings, called by `applySecurityAuthentication`. */
type CreateDispatcher = (
  cluster: Cluster | null,
  agentOptions: AgentOptions,
) => Dispatcher | undefined;

const pools = new WeakMap<KubeConfig, Map<string, PoolEntry>>();

/**
 * Fills `context` with the headers and dispatcher of `kubeConfig`'s current cluster and user, as
 * client-node's `applySecurityAuthentication` does, but shares one dispatcher (and so its
 * keep-alive connections) between all requests with the same cluster, user and TLS settings.
 *
 * Headers are computed for every request (exec plugins and OIDC refresh tokens stay current). The
 * TLS material client-node computes for the request (CA, client certificate and key — also those
 * an exec plugin returns, and files re-read each time) is fingerprinted: when it differs from the
 * pool's, the old dispatcher is closed gracefully (requests in flight, watches included, finish on
 * it) and a new one replaces it. Pools live in a `WeakMap` keyed by the KubeConfig. A KubeConfig
 * whose settings need no dispatcher (https with system CAs and no client certificate) uses
 * undici's global one, which pools by itself.
 *
 * If client-node builds its dispatcher some other way than through the factory this hooks, the
 * dispatcher it set is per-request and the result says `pooled: false`.
 */
export async function applyPooledAuthentication(
  kubeConfig: KubeConfig,
  context: RequestContext,
): Promise<PooledAuthentication> {
  const create = (kubeConfig as unknown as { createDispatcher?: CreateDispatcher })
    .createDispatcher;
  if (typeof create !== 'function') {
    await kubeConfig.applySecurityAuthentication(context);
    return { pooled: false };
  }
  let pooled = false;
  const createDispatcher: CreateDispatcher = (cluster, agentOptions) => {
    pooled = true;
    return pooledDispatcher(kubeConfig, cluster, agentOptions, () =>
      create.call(kubeConfig, cluster, agentOptions),
    );
  };
  // The shim inherits everything from kubeConfig and only swaps the dispatcher factory.
  const shim = Object.create(kubeConfig, {
    createDispatcher: { value: createDispatcher },
  }) as KubeConfig;
  await kubeConfig.applySecurityAuthentication.call(shim, context);
  return { pooled: pooled || context.getDispatcher() === undefined };
}

function pooledDispatcher(
  kubeConfig: KubeConfig,
  cluster: Cluster | null,
  agentOptions: AgentOptions,
  create: () => Dispatcher | undefined,
): Dispatcher | undefined {
  const identity = JSON.stringify([cluster?.name ?? '', kubeConfig.getCurrentUser()?.name ?? '']);
  const fingerprint = fingerprintOf(
    kubeConfig.createDispatcherOptions(cluster, agentOptions),
    cluster,
  );
  let pool = pools.get(kubeConfig);
  const entry = pool?.get(identity);
  if (entry?.fingerprint === fingerprint) return entry.dispatcher;
  const dispatcher = create();
  if (entry !== undefined) {
    pool?.delete(identity);
    entry.dispatcher.close().catch(() => undefined);
  }
  if (dispatcher === undefined) return undefined;
  if (pool === undefined) {
    pool = new Map();
    pools.set(kubeConfig, pool);
  }
  pool.set(identity, { fingerprint, dispatcher });
  return dispatcher;
}

/** A digest of everything the dispatcher is built from (TLS material included). */
function fingerprintOf(options: unknown, cluster: Cluster | null): string {
  const hash = createHash('sha256');
  hash.update(cluster?.server ?? '');
  hash.update('\0');
  // Buffers (CA, certificate, key) serialise as their bytes.
  hash.update(JSON.stringify(options) ?? '');
  return hash.digest('base64');
}
