// Conformance scenarios: namespaces and Events, where a cluster's built-in behaviour shows.
import { Api, ConfigMap, Event, EventsV1Event, Namespace, type KubeObject } from '@kube-rx/core';
import { firstValueFrom } from 'rxjs';
import { configMap, names, namespace, outcome, type Scenario } from './scenario.js';

export const resourceScenarios: readonly Scenario[] = [
  {
    id: 'default-namespaces',
    title:
      'a fresh server has the namespaces default, kube-system, kube-public and kube-node-lease',
    expected: ['default', 'kube-node-lease', 'kube-public', 'kube-system'],
    run: async (server) => {
      const listed = await firstValueFrom(Api.cluster(server.kubeConfig(), Namespace).list());
      const system = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
      return names(listed.items).filter((name) => system.includes(name));
    },
  },
  {
    id: 'missing-namespace',
    title: 'creating in a namespace that does not exist: 404 NotFound',
    expected: '404 NotFound',
    run: async (server) =>
      outcome(
        Api.namespaced(server.kubeConfig(), ConfigMap, 'c-does-not-exist').create(
          configMap('orphan'),
        ),
      ),
  },
  {
    id: 'events-both-apis',
    title: 'an events.k8s.io/v1 Event is also served as a core/v1 Event (one store, two APIs)',
    expected: { eventsV1: ['reconciled.1'], coreV1: ['reconciled.1'], coreReason: 'Reconciled' },
    run: async (server) => {
      await namespace(server, 'c-events');
      const kubeConfig = server.kubeConfig();
      await firstValueFrom(
        Api.namespaced<KubeObject>(kubeConfig, EventsV1Event, 'c-events').create({
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          metadata: { name: 'reconciled.1' },
          eventTime: '2026-01-02T03:04:05.000000Z',
          reportingController: 'kube-rx.dev/conformance',
          reportingInstance: 'conformance-1',
          action: 'Reconcile',
          reason: 'Reconciled',
          type: 'Normal',
          note: 'done',
          regarding: { kind: 'ConfigMap', namespace: 'c-events', name: 'x', apiVersion: 'v1' },
        } as KubeObject),
      );
      const eventsV1 = await firstValueFrom(
        Api.namespaced<KubeObject>(kubeConfig, EventsV1Event, 'c-events').list(),
      );
      const coreV1 = await firstValueFrom(
        Api.namespaced<KubeObject & { reason?: string }>(kubeConfig, Event, 'c-events').list(),
      );
      return {
        eventsV1: names(eventsV1.items),
        coreV1: names(coreV1.items),
        coreReason: coreV1.items[0]?.reason,
      };
    },
  },
];
