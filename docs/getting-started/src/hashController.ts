// Keeps an annotation with a hash of each labelled ConfigMap's data up to date, so that a
// Deployment that copies it into its pod template rolls whenever its configuration changes.
import { createHash } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { lastValueFrom, type Observable } from 'rxjs';
import { Api, ConfigMap, Patch } from '@kube-rx/core';
import {
  Action,
  Controller,
  perKeyBackoff,
  type ControllerError,
  type ReconcileOk,
  type Result,
} from '@kube-rx/controller';

export const HASH_ANNOTATION = 'example.com/data-hash';
export const LABEL_SELECTOR = 'example.com/hash=true';

export interface Context {
  configMaps: Api<ConfigMap>;
}

export async function reconcile(configMap: ConfigMap, ctx: Context): Promise<Action> {
  const entries = Object.entries(configMap.data ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const hash = createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16);
  if (configMap.metadata?.annotations?.[HASH_ANNOTATION] !== hash) {
    const name = configMap.metadata?.name ?? '';
    const patch = Patch.merge({ metadata: { annotations: { [HASH_ANNOTATION]: hash } } });
    await lastValueFrom(ctx.configMaps.patch(name, patch));
  }
  // Nothing else to do until the ConfigMap changes; look again in 10 minutes anyway.
  return Action.requeue(600_000);
}

export function hashController(
  kubeConfig: KubeConfig,
  namespace: string,
): Observable<Result<ReconcileOk, ControllerError>> {
  const configMaps = Api.namespaced<ConfigMap>(kubeConfig, ConfigMap, namespace, {
    retry: true, // retry 429/503/504 inside each API call
  });
  return new Controller(configMaps, { labelSelector: LABEL_SELECTOR })
    .shutdownOnSignal()
    .run(reconcile, perKeyBackoff(), { configMaps });
}
