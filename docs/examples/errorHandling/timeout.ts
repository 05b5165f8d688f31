// A deadline around one API call (docs/error-handling.md).
import { KubeConfig } from '@kubernetes/client-node';
import { firstValueFrom } from 'rxjs';
import { Api, Pod, isHttpError, retryPolicy, withTimeout } from '@kube-rx/core';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const pods = Api.namespaced<Pod>(kubeConfig, Pod, 'default');

// #region timeout
try {
  // After 10 s the request is aborted (no leaked socket) and the call fails with
  // HttpError { timedOut: true, code: 'ETIMEDOUT' }, which classify() calls transient.
  const pod = await firstValueFrom(pods.get('web-0').pipe(withTimeout(10_000)));
  console.log(pod.status?.phase);
} catch (error) {
  if (isHttpError(error) && error.timedOut) console.warn('the API server took too long');
  else throw error;
}
// #endregion

// #region with-retry
// withTimeout before retryPolicy: each attempt gets 5 s (and timeouts are retried, since
// retryNetworkErrors covers HttpErrors); after it: 20 s for the whole call, retries included.
const perAttempt = pods
  .get('web-0')
  .pipe(withTimeout(5_000), retryPolicy({ retryNetworkErrors: true }));
const overall = pods.get('web-0').pipe(retryPolicy(), withTimeout(20_000));
// #endregion

console.log(await firstValueFrom(perAttempt), await firstValueFrom(overall));
