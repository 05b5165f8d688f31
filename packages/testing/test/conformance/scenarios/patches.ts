// Conformance scenarios: PATCH types, server-side apply, Leases.
import { Api, type ConfigMap, Lease, Patch } from '@kube-rx/core';
import { firstValueFrom } from 'rxjs';
import { configMap, namespace, outcome, type Scenario, type Widget } from './scenario.js';

// Conformance scenarios: PATCH types, server-side apply, Leases.

export const patchScenarios: readonly Scenario[] = [
  {
    id: 'patch-types',
    title: 'PATCH: merge, JSON patch (test failure 422), strategic (415 on custom resources)',
    expected: {
      merge: { a: '1', b: '2' },
      json: { a: 'replaced', b: '2' },
      jsonTestFails: '422 Invalid',
      strategic: { a: 'replaced', b: '2', c: '3' },
      strategicOnCustomResource: '415 UnsupportedMediaType',
    },
    run: async (server) => {
      const scope = await namespace(server, 'c-patch');
      const { configMaps } = scope;
      await firstValueFrom(configMaps.create(configMap('p')));
      const merged = await firstValueFrom(configMaps.patch('p', Patch.merge({ data: { b: '2' } })));
      const jsonPatched = await firstValueFrom(
        configMaps.patch('p', Patch.json([{ op: 'replace', path: '/data/a', value: 'replaced' }])),
      );
      const strategic = await firstValueFrom(
        configMaps.patch('p', Patch.strategic({ data: { c: '3' } })),
      );
      const widgets = await scope.widgets();
      await firstValueFrom(
        widgets.create({
          apiVersion: 'conformance.kube-rx.dev/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
          spec: {},
        } as Widget),
      );
      return {
        merge: merged.data,
        json: jsonPatched.data,
        jsonTestFails: await outcome(
          configMaps.patch('p', Patch.json([{ op: 'test', path: '/data/a', value: 'other' }])),
        ),
        strategic: strategic.data,
        strategicOnCustomResource: await outcome(
          widgets.patch('w', Patch.strategic({ spec: { size: 1 } })),
        ),
      };
    },
  },
  {
    id: 'server-side-apply',
    title: 'server-side apply: creates, records managedFields, 409 on a conflict, force takes over',
    expected: {
      created: { a: '1' },
      managers: ['alice'],
      conflict: '409 Conflict',
      forced: { a: '2' },
      managersAfterForce: ['bob'],
      missingFieldManager: 'TypeError',
    },
    run: async (server) => {
      const { configMaps } = await namespace(server, 'c-apply');
      const desired = (value: string) =>
        ({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 's' },
          data: { a: value },
        }) as ConfigMap;
      const created = await firstValueFrom(
        configMaps.patch('s', Patch.apply(desired('1')), { fieldManager: 'alice' }),
      );
      const conflict = await outcome(
        configMaps.patch('s', Patch.apply(desired('2')), { fieldManager: 'bob' }),
      );
      const forced = await firstValueFrom(
        configMaps.patch('s', Patch.apply(desired('2')), { fieldManager: 'bob', force: true }),
      );
      let missingFieldManager = 'sent';
      try {
        configMaps.patch('s', Patch.apply(desired('3')));
      } catch (error) {
        missingFieldManager = (error as Error).name;
      }
      const managers = (object: ConfigMap) =>
        (object.metadata?.managedFields ?? [])
          .filter((entry) => entry.operation === 'Apply')
          .map((entry) => entry.manager);
      return {
        created: created.data,
        managers: managers(created),
        conflict,
        forced: forced.data,
        managersAfterForce: managers(forced),
        missingFieldManager,
      };
    },
  },
  {
    id: 'leases',
    title: 'Leases: MicroTime fields round-trip, optimistic concurrency on renew',
    expected: {
      holder: 'a',
      acquireTime: '2026-01-02T03:04:05.123456Z',
      renewTime: '2026-01-02T03:04:06.000000Z',
      leaseDurationSeconds: 15,
      staleRenew: '409 Conflict',
      badMicroTime: '400 BadRequest',
    },
    run: async (server) => {
      const scope = await namespace(server, 'c-leases');
      const kubeConfig = server.kubeConfig();
      const leases = Api.namespaced<Lease>(kubeConfig, Lease, 'c-leases');
      void scope;
      const created = await firstValueFrom(
        leases.create({
          metadata: { name: 'leader' },
          spec: {
            holderIdentity: 'a',
            leaseDurationSeconds: 15,
            acquireTime: '2026-01-02T03:04:05.123456Z',
            renewTime: '2026-01-02T03:04:05.123456Z',
          },
        } as unknown as Lease),
      );
      const renewed = await firstValueFrom(
        leases.replace('leader', {
          ...created,
          spec: { ...created.spec, renewTime: '2026-01-02T03:04:06.000000Z' },
        } as unknown as Lease),
      );
      const spec = renewed.spec as unknown as Record<string, unknown>;
      return {
        holder: spec['holderIdentity'],
        acquireTime: spec['acquireTime'],
        renewTime: spec['renewTime'],
        leaseDurationSeconds: spec['leaseDurationSeconds'],
        staleRenew: await outcome(leases.replace('leader', created)),
        badMicroTime: await outcome(
          leases.create({
            metadata: { name: 'bad' },
            spec: { renewTime: 'yesterday' },
          } as unknown as Lease),
        ),
      };
    },
  },
];
