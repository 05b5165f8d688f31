// Type-level tests, compiled by `npm run typecheck` (tsconfig.check.json) and never run: each
// `@ts-expect-error` fails the type-check when the line below it starts to compile.
import { KubeConfig, type V1ConfigMap, type V1Pod } from '@kubernetes/client-node';
import { firstValueFrom } from 'rxjs';
import {
  Api,
  ConfigMap,
  Lease,
  Pod,
  type ApiResource,
  type KubeObject,
  type ObjectOf,
} from '@kube-rx/core';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

const kubeConfig = new KubeConfig();

// The resource carries its object type: no type argument needed.
const configMaps = Api.namespaced(kubeConfig, ConfigMap, 'default');
expectType<Equal<typeof configMaps, Api<ConfigMap>>>();
expectType<Equal<ObjectOf<typeof Pod>, Pod>>();
export const pods = Api.all(kubeConfig, Pod);
expectType<Equal<typeof pods, Api<Pod>>>();

export async function timestampsAreStrings(): Promise<void> {
  const cm = await firstValueFrom(configMaps.get('app'));
  const created: string | undefined = cm.metadata?.creationTimestamp;
  // @ts-expect-error a timestamp is an RFC 3339 string on the wire, not a Date
  cm.metadata?.creationTimestamp?.getTime();
  // What works: parse it.
  if (created !== undefined) new Date(created).getTime();

  const lease = await firstValueFrom(Api.namespaced(kubeConfig, Lease, 'default').get('leader'));
  // @ts-expect-error renewTime is a MicroTime string
  lease.spec?.renewTime?.toISOString();
}

// A type argument that does not match the resource does not compile.
// @ts-expect-error a Pod type with the ConfigMap resource
Api.namespaced<Pod>(kubeConfig, ConfigMap, 'default');
// @ts-expect-error client-node's model classes type timestamps as Date: not wire objects
Api.namespaced<V1Pod>(kubeConfig, ConfigMap, 'default');
// @ts-expect-error not even with their own resource
Api.namespaced<V1ConfigMap>(kubeConfig, ConfigMap, 'default');
// Widening to KubeObject is allowed.
Api.namespaced<KubeObject>(kubeConfig, ConfigMap, 'default');

// A resource declared without a type argument stays usable with any object type (as before).
interface Widget extends KubeObject {
  spec: { size: number };
}
const untyped: ApiResource = {
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
};
export const widgets = Api.namespaced<Widget>(kubeConfig, untyped, 'default');
expectType<Equal<typeof widgets, Api<Widget>>>();
// A typed resource is usable where a bare ApiResource is expected.
export const asBare: ApiResource = ConfigMap;

// Writes are typed too.
// @ts-expect-error ConfigMap data values are strings
configMaps.create({ metadata: { name: 'x' }, data: { count: 1 } });
