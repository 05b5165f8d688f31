import { objectKey } from '@kube-rx/core';
import type { TestApiServer } from '@kube-rx/testing';
import type { Store } from '@kube-rx/watcher';
import type { ReconcileLedger } from './widgetOperator.js';
import {
  childName,
  NAMESPACE,
  Widget,
  type ConfigMapObject,
  type WidgetObject,
} from './soakResources.js';

/** What is still wrong once the faults stopped; `[]` when the run converged. */
export function convergenceViolations(
  server: TestApiServer,
  store: Store<WidgetObject>,
  ledger: ReconcileLedger,
): string[] {
  const violations: string[] = [];
  const widgets = server.list(Widget.plural, NAMESPACE) as WidgetObject[];
  const configMaps = server.list('configmaps', NAMESPACE) as ConfigMapObject[];
  const byKey = new Map(widgets.map((w) => [objectKey(w)!, w]));

  // The cache equals the server.
  if (store.size !== widgets.length) {
    violations.push(`store holds ${store.size} widgets, the server ${widgets.length}`);
  }
  for (const [key, object] of byKey) {
    const cached = store.getByKey(key);
    if (cached?.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
      violations.push(
        `${key}: store at ${cached?.metadata?.resourceVersion ?? 'missing'}, server at ${object.metadata?.resourceVersion}`,
      );
    }
  }
  for (const object of widgets) {
    const key = objectKey(object)!;
    const metadata = object.metadata!;
    // No object stuck deleting: a cleanup ran and released it.
    if (metadata.deletionTimestamp) violations.push(`${key}: stuck deleting`);
    // The last successful reconcile saw the final version.
    const last = ledger.lastSuccess.get(key);
    if (last?.resourceVersion !== metadata.resourceVersion || last?.uid !== metadata.uid) {
      violations.push(
        `${key}: last successful reconcile saw ${last?.resourceVersion ?? 'nothing'}, final is ${metadata.resourceVersion}`,
      );
    }
    // Its ConfigMap exists and is up to date.
    const child = configMaps.find((cm) => cm.metadata?.name === childName(metadata.name!));
    if (child?.data?.size !== String(object.spec?.size ?? 0)) {
      violations.push(`${key}: ConfigMap ${child ? `has size ${child.data?.size}` : 'missing'}`);
    }
  }
  // No ConfigMap left for a deleted owner.
  const uids = new Set(widgets.map((w) => w.metadata?.uid));
  for (const cm of configMaps) {
    const owner = cm.metadata?.ownerReferences?.[0];
    if (owner && !uids.has(owner.uid)) {
      violations.push(`ConfigMap ${cm.metadata?.name} left behind by deleted owner ${owner.name}`);
    }
  }
  if (ledger.overlaps > 0) violations.push(`${ledger.overlaps} overlapping reconciles of one key`);
  return violations;
}
