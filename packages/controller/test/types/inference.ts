// Type-level tests, compiled by `npm run typecheck` (tsconfig.check.json) and never run: the
// object type of a resource reaches the watcher, the store, the reconciler and the finalizer
// without a type argument anywhere.
import { KubeConfig } from '@kubernetes/client-node';
import { map } from 'rxjs';
import { Api, ConfigMap, defaultBackoff, type Pod } from '@kube-rx/core';
import { createStore, reflect, watcher, type Store, type WatcherEvent } from '@kube-rx/watcher';
import { Action, Controller, finalizer, type FinalizerEvent } from '@kube-rx/controller';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

const configMaps = Api.namespaced(new KubeConfig(), ConfigMap, 'default');

// watcher(api) → WatcherEvent<ConfigMap>
const events$ = watcher(configMaps).pipe(defaultBackoff());
events$.pipe(
  map((event) => {
    expectType<Equal<typeof event, WatcherEvent<ConfigMap>>>();
    return event;
  }),
);

// createStore / reflect → Store<ConfigMap>
const { store, writer } = createStore<ConfigMap>();
events$.pipe(reflect(writer));
// @ts-expect-error a Pod writer does not take ConfigMap events
events$.pipe(reflect(createStore<Pod>().writer));

// Controller → reconcile(object: ConfigMap), and its store
const controller = new Controller(configMaps);
expectType<Equal<typeof controller, Controller<ConfigMap>>>();
expectType<Equal<typeof controller.store, Store<ConfigMap>>>();
controller.run(
  (object, ctx) => {
    expectType<Equal<typeof object, ConfigMap>>();
    // @ts-expect-error no spec on a ConfigMap
    void object.spec;
    // finalizer(api, name, object, handler) → FinalizerEvent<ConfigMap>
    return finalizer(ctx.configMaps, 'example.com/cleanup', object, (event) => {
      expectType<Equal<typeof event, FinalizerEvent<ConfigMap>>>();
      // @ts-expect-error a timestamp is a string: no Date methods
      event.object.metadata?.creationTimestamp?.getTime();
      return Action.awaitChange();
    });
  },
  () => Action.requeue(1000),
  { configMaps },
);
export { store };
