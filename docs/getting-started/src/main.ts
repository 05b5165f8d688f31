// Runs the hash controller against the cluster of the current kubeconfig until Ctrl-C.
// `npm start -- --once` stops after the first successful reconcile instead (for scripts).
import { KubeConfig } from '@kubernetes/client-node';
import { refKey } from '@kube-rx/core';
import { hashController } from './hashController.js';

const once = process.argv.includes('--once');

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault(); // KUBECONFIG, ~/.kube/config, or the in-cluster service account

const subscription = hashController(kubeConfig, 'default').subscribe((result) => {
  if (result.ok) {
    console.log('reconciled', refKey(result.val.ref), result.val.action.toString());
    if (once) subscription.unsubscribe();
  } else {
    console.warn(result.val.message);
  }
});
