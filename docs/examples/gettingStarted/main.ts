import { KubeConfig } from '@kubernetes/client-node';
import { refKey } from '@kube-rx/core';
import { hashController } from './hashController.js';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault(); // KUBECONFIG, ~/.kube/config, or the in-cluster service account

hashController(kubeConfig, 'default').subscribe((result) => {
  if (result.ok) console.log('reconciled', refKey(result.val.ref), result.val.action.toString());
  else console.warn(result.val.message);
});
