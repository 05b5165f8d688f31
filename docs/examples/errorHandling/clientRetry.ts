// Client-level retries (docs/error-handling.md): for every call of an Api, or for one call.
import { KubeConfig } from '@kubernetes/client-node';
import { firstValueFrom } from 'rxjs';
import { Api, ConfigMap, createLogger, exponentialBackoff, retryPolicy } from '@kube-rx/core';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const logger = createLogger({ component: 'retries' });

// #region api
// Every call but watch: 429/503/504 retried up to 3 times, 500 ms → 5 s, never before Retry-After.
const configMaps = Api.namespaced<ConfigMap>(kubeConfig, ConfigMap, 'default', { retry: true });

// Or with your own policy: more retries, and also 500 and 502.
const patientConfigMaps = Api.namespaced<ConfigMap>(kubeConfig, ConfigMap, 'default', {
  retry: { statuses: [429, 500, 502, 503, 504], maxRetries: 6 },
});
// #endregion

// #region call
// One call only; network errors too (a GET is safe to repeat).
const settings = await firstValueFrom(
  configMaps.get('settings').pipe(
    retryPolicy({
      retryNetworkErrors: true,
      maxRetries: 5,
      strategy: exponentialBackoff({ initialDelay: 200, maxDelay: 2_000 }),
      onRetry: (error, attempt, delayMs) => logger.warn('retrying', { error, attempt, delayMs }),
    }),
  ),
);
// #endregion

console.log(settings.data, await firstValueFrom(patientConfigMaps.list()));
