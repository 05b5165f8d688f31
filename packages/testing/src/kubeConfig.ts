import { KubeConfig } from '@kubernetes/client-node';

/** Options of {@link TestApiServer.kubeConfig}. */
export interface TestKubeConfigOptions {
  /** Namespace of the context. Default `'default'`. */
  namespace?: string;
  /** Bearer token of the user. Default: the server's token. */
  token?: string;
}

/** A client-node `KubeConfig` with one cluster, one token user and one current context. */
export function buildKubeConfig(server: string, token: string, namespace: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'kube-rx-test', server, skipTLSVerify: true }],
    users: [{ name: 'kube-rx-test', token }],
    contexts: [{ name: 'kube-rx-test', cluster: 'kube-rx-test', user: 'kube-rx-test', namespace }],
    currentContext: 'kube-rx-test',
  });
  return kubeConfig;
}
