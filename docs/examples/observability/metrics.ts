// Metrics of a controller (docs/metrics.md): controller-runtime's names on a prom-client registry.
import { KubeConfig } from '@kubernetes/client-node';
import { Api, type KubeObject } from '@kube-rx/core';
import {
  Action,
  Controller,
  ControllerMetrics,
  perKeyBackoff,
  startHealthServer,
} from '@kube-rx/controller';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const widgets = Api.namespaced<KubeObject>(
  kubeConfig,
  { group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true },
  'default',
);

// #region enable
// prom-client is loaded here, not when @kube-rx/controller is imported.
const metrics = new ControllerMetrics({ name: 'widgets-operator' });
const controller = new Controller(widgets).withConfig({ metrics, concurrency: 4 });
controller.run(() => Action.requeue(60_000), perKeyBackoff(), undefined).subscribe();

// /metrics in the Prometheus text format, beside the probes.
const health = await startHealthServer({
  port: 8080,
  metrics,
  readiness: () => controller.store.isReady,
});
// #endregion

// #region operator
// What an Operator does with leader election and sharding; call them yourself without one.
metrics.setLeader(true); // leader_election_master_status{name="widgets-operator"} 1
metrics.setShardsHeld(2); // kube_rx_shards_held{name="widgets-operator"} 2
// #endregion

// #region share
// One registry for the application's own metrics and kube-rx's.
import { Counter, Registry } from 'prom-client';
const registry = new Registry();
const orders = new Counter({ name: 'shop_orders_total', help: 'Orders.', registers: [registry] });
const shared = new ControllerMetrics({ registry });
// #endregion

orders.inc();
void shared;
await health.close();
