import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Cluster, KubeConfig, RequestContext } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';

/** How a request authenticated by {@link applyPooledAuthentication} is to be sent. */
export interface PooledAuthentication {
  /**
   * `true`: the context's dispatcher (or `agent`) is shared and must stay open after the request.
   * `false`: the context's dispatcher was built for this request alone; the caller closes it when
   * done.
   */
  pooled: boolean;
  /**
   * Set for a direct connection (no proxy): send the request with `node:http`/`node:https`
   * through this keep-alive agent. Unset: send it with undici, through the context's dispatcher.
   */
  agent?: HttpAgent;
}

/** What one cluster + user of a KubeConfig sends through, with the settings it was built for. */
interface PoolEntry {
  fingerprint: string;
  /** Stops sharing the transport; requests in flight on it finish. */
  retire(): void;
  dispatcher?: Dispatcher;
  agent?: HttpAgent;
}

/** The TLS and proxy settings client-node hands to its dispatcher factory. */
type AgentOptions = Parameters<KubeConfig['createDispatcherOptions']>[1];

/** client-node's dispatcher factory: private in its typings, called by `applySecurityAuthentication`. */
type CreateDispatcher = (
  cluster: Cluster | null,
  agentOptions: AgentOptions,
) => Dispatcher | undefined;

/** Initial delay of TCP keep-alive probes on idle connections, as client-go and client-node use. */
const KEEP_ALIVE_DELAY_MS = 30_000;
/**
 * A request whose connection stays silent this long (before the headers, or between two chunks
 * of a body) fails with `ETIMEDOUT`: the same bound undici's headers and body timeouts give.
 * Watches never get there: the watcher ends an idle watch first.
 */
export const SOCKET_IDLE_TIMEOUT_MS = 300_000;

const pools = new WeakMap<KubeConfig, Map<string, PoolEntry>>();
// Direct connections that need no TLS material of their own (plain http, or https with the
// system CAs): one keep-alive agent per protocol for every KubeConfig, as undici's global
// dispatcher would be.
const sharedAgents = {
  http: new HttpAgent({ keepAlive: true, keepAliveMsecs: KEEP_ALIVE_DELAY_MS }),
  https: new HttpsAgent({ keepAlive: true, keepAliveMsecs: KEEP_ALIVE_DELAY_MS }),
};

/**
 * Fills `context` with the headers of `kubeConfig`'s current cluster and user, as client-node's
 * `applySecurityAuthentication` does, and picks the transport: one keep-alive connection pool
 * shared by all requests with the same cluster, user and TLS settings.
 *
 * - Direct connections (no `proxy-url`) go through a `node:http`/`node:https` agent, whose HTTP
 *   parser is native: no parser to compile at run time.
 * - Through a proxy (HTTP or SOCKS), client-node's undici dispatcher is used, shared the same way.
 *
 * Headers are computed for every request (exec plugins and OIDC refresh tokens stay current). The
 * TLS material client-node computes for the request (CA, client certificate and key — also those
 * an exec plugin returns, and files re-read each time) is fingerprinted: when it differs from the
 * pool's, the old pool is retired gracefully (requests in flight, watches included, finish on it)
 * and a new one replaces it. Pools live in a `WeakMap` keyed by the KubeConfig.
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
  let agent: HttpAgent | undefined;
  const createDispatcher: CreateDispatcher = (cluster, agentOptions) => {
    pooled = true;
    // Throws what client-node throws for settings it refuses (plain http without skipTLSVerify).
    const options = kubeConfig.createDispatcherOptions(cluster, agentOptions);
    const secure = !(cluster?.server ?? '').startsWith('http:');
    if (options.type === 'none') {
      agent = secure ? sharedAgents.https : sharedAgents.http;
      return undefined;
    }
    const entry = pooledEntry(kubeConfig, cluster, options, () => {
      if (options.type === 'agent') {
        const connect = { ...options.connect };
        delete (connect as { keepAliveInitialDelay?: unknown }).keepAliveInitialDelay;
        const Agent = secure ? HttpsAgent : HttpAgent;
        return agentEntry(
          new Agent({ ...connect, keepAlive: true, keepAliveMsecs: KEEP_ALIVE_DELAY_MS }),
        );
      }
      const dispatcher = create.call(kubeConfig, cluster, agentOptions);
      return dispatcher === undefined ? undefined : dispatcherEntry(dispatcher);
    });
    agent = entry?.agent;
    return entry?.dispatcher;
  };
  // The shim inherits everything from kubeConfig and only swaps the dispatcher factory.
  const shim = Object.create(kubeConfig, {
    createDispatcher: { value: createDispatcher },
  }) as KubeConfig;
  await kubeConfig.applySecurityAuthentication.call(shim, context);
  if (agent !== undefined) return { pooled: true, agent };
  return { pooled: pooled || context.getDispatcher() === undefined };
}

type NewEntry = Omit<PoolEntry, 'fingerprint'>;

function agentEntry(agent: HttpAgent): NewEntry {
  return {
    agent,
    retire() {
      // Sockets freed from now on are closed, not kept for reuse; idle ones are closed now.
      (agent as HttpAgent & { keepAlive: boolean }).keepAlive = false;
      for (const sockets of Object.values(agent.freeSockets)) {
        for (const socket of sockets ?? []) socket.destroy();
      }
    },
  };
}

function dispatcherEntry(dispatcher: Dispatcher): NewEntry {
  return {
    dispatcher,
    retire() {
      dispatcher.close().catch(() => undefined);
    },
  };
}

function pooledEntry(
  kubeConfig: KubeConfig,
  cluster: Cluster | null,
  options: unknown,
  create: () => NewEntry | undefined,
): PoolEntry | undefined {
  const identity = JSON.stringify([cluster?.name ?? '', kubeConfig.getCurrentUser()?.name ?? '']);
  const fingerprint = fingerprintOf(options, cluster);
  let pool = pools.get(kubeConfig);
  const entry = pool?.get(identity);
  if (entry?.fingerprint === fingerprint) return entry;
  const created = create();
  if (entry !== undefined) {
    pool?.delete(identity);
    entry.retire();
  }
  if (created === undefined) return undefined;
  if (pool === undefined) {
    pool = new Map();
    pools.set(kubeConfig, pool);
  }
  const next = { ...created, fingerprint };
  pool.set(identity, next);
  return next;
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
