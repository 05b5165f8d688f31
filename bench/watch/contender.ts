// What each contender of the watch benchmark implements: prepare (outside the measurement), then
// start (the clock starts just before) and report when its cache holds the initial list and when
// it holds the marker object. A contender is `{ setup }` in its own file under contenders/.
import { KubeConfig } from '@kubernetes/client-node';
import { BENCH_NAMESPACE } from './benchObjects.js';

/** One running contender. */
export interface ContenderRun {
  /** Resolves when the initial state is in the cache. */
  synced: Promise<void>;
  /** Resolves when the marker object is in the cache; rejects if the client fails. */
  done: Promise<void>;
  /** name → resourceVersion of every object in the cache (read after `done`, not timed). */
  entries(): Array<[string, string]>;
  /** Lets go of connections (after the measurement). */
  stop(): void;
}

/** A contender, prepared: `start()` sends its first request. */
export interface PreparedContender {
  start(): ContenderRun;
}

/** Options a contender is prepared with. */
export interface ContenderOptions {
  /** The bench server's base URL. */
  url: string;
  /** Number of ConfigMaps the server holds. */
  count: number;
}

/** A contender module's export. */
export type ContenderSetup = (options: ContenderOptions) => Promise<PreparedContender>;

/** A KubeConfig for the bench server (plain HTTP, a token nobody checks). */
export function benchKubeConfig(url: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'bench', server: url, skipTLSVerify: true }],
    users: [{ name: 'bench', token: 'bench-token' }],
    contexts: [{ name: 'bench', cluster: 'bench', user: 'bench', namespace: BENCH_NAMESPACE }],
    currentContext: 'bench',
  });
  return kubeConfig;
}

export { deferred } from './deferred.js';
