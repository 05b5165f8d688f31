import { KubeConfig } from '@kubernetes/client-node';

/**
 * A client-node `KubeConfig` for an envtest apiserver: TLS verified against the envtest CA, a
 * bearer token, one current context.
 */
export function envtestKubeConfig(
  server: string,
  caCertificate: string,
  token: string,
  user: string,
  namespace: string,
): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: 'kube-rx-envtest',
        server,
        caData: Buffer.from(caCertificate).toString('base64'),
        skipTLSVerify: false,
      },
    ],
    users: [{ name: user, token }],
    contexts: [{ name: 'kube-rx-envtest', cluster: 'kube-rx-envtest', user, namespace }],
    currentContext: 'kube-rx-envtest',
  });
  return kubeConfig;
}
