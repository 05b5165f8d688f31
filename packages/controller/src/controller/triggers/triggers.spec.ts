import { from, Observable, take, toArray, lastValueFrom } from 'rxjs';
import { refKey, type ApiResource, type KubeObject } from '@kube-rx/core';
import { createStore, reflect, type WatcherEvent } from '@kube-rx/watcher';
import type { ReconcileRequest } from '../reconcileReason.js';
import { triggerOthers } from './triggerOthers.js';
import { triggerOwners } from './triggerOwners.js';
import { triggerSelf } from './triggerSelf.js';

const Widget: ApiResource = {
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
};

function child(name: string, owners: string[], rv = '1', controller = true): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'ns',
      resourceVersion: rv,
      ownerReferences: owners.map((owner) => ({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        name: owner,
        uid: `uid-${owner}`,
        controller,
      })),
    },
  };
}

const widget = (name: string, rv: string): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name, namespace: 'ns', resourceVersion: rv },
});

async function requestsOf(
  events: WatcherEvent<KubeObject>[],
  trigger: (source: Observable<WatcherEvent<KubeObject>>) => Observable<ReconcileRequest>,
): Promise<string[]> {
  const requests = await lastValueFrom(from(events).pipe(trigger, toArray()));
  return requests.map((request) => refKey(request.ref));
}

const list = (...objects: KubeObject[]): WatcherEvent<KubeObject>[] => [
  { type: 'Init' },
  ...objects.map((object) => ({ type: 'InitApply' as const, object })),
  { type: 'InitDone' },
];

describe('triggerSelf', () => {
  it('requests the objects of a relist only once the store holds the relisted versions', async () => {
    const { store, writer } = createStore<KubeObject>();
    const seen: Array<string | undefined> = [];
    from([...list(widget('a', '1')), ...list(widget('a', '7'), widget('b', '8'))])
      .pipe(reflect(writer), triggerSelf())
      .subscribe((request) => seen.push(store.get(request.ref)?.metadata?.resourceVersion));
    expect(seen).toEqual(['1', '7', '8']);
  });

  it('requests Apply at once, never a Delete, and skips objects without a name', async () => {
    const keys = await requestsOf(
      [
        { type: 'Apply', object: widget('a', '2') },
        { type: 'Delete', object: widget('a', '3') },
        { type: 'Apply', object: { metadata: {} } },
      ],
      triggerSelf(),
    );
    expect(keys).toEqual(['ns/a']);
  });
});

describe('triggerOwners', () => {
  it('requests the owners of the kind given, honouring controllerOnly', async () => {
    const other: KubeObject = {
      metadata: {
        name: 'x',
        namespace: 'ns',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u' }],
      },
    };
    expect(
      await requestsOf(
        [
          { type: 'Apply', object: child('c1', ['w1', 'w2']) },
          { type: 'Apply', object: other },
        ],
        triggerOwners(Widget),
      ),
    ).toEqual(['ns/w1', 'ns/w2']);
    expect(
      await requestsOf(
        [{ type: 'Apply', object: child('c1', ['w1'], '1', false) }],
        triggerOwners(Widget, { controllerOnly: true }),
      ),
    ).toEqual([]);
  });

  it('a child deleted while the watch was down (missing from the relist) triggers its owner', async () => {
    const keys = await requestsOf(
      [...list(child('c1', ['w1']), child('c2', ['w2'])), ...list(child('c1', ['w1'], '5'))],
      triggerOwners(Widget),
    );
    expect(keys).toEqual(['ns/w1', 'ns/w2', 'ns/w1', 'ns/w2']);
  });

  it('a child whose owner reference was removed triggers its former owner once', async () => {
    const keys = await requestsOf(
      [
        { type: 'Apply', object: child('c1', ['w1']) },
        { type: 'Apply', object: child('c1', ['w2'], '2') },
        { type: 'Apply', object: child('c1', ['w2'], '3') },
      ],
      triggerOwners(Widget),
    );
    expect(keys).toEqual(['ns/w1', 'ns/w1', 'ns/w2', 'ns/w2']);
  });

  it('a relist that an Init restarts forgets the unfinished list', async () => {
    const keys = await requestsOf(
      [
        { type: 'Init' },
        { type: 'InitApply', object: child('c9', ['w9']) },
        ...list(child('c1', ['w1'])),
      ],
      triggerOwners(Widget),
    );
    expect(keys).toEqual(['ns/w1']);
  });

  it('throws a TypeError at creation for a missing owner resource', () => {
    expect(() => triggerOwners(undefined as never)).toThrow(TypeError);
  });
});

describe('triggerOthers', () => {
  const byAnnotation = (object: KubeObject) => {
    const name = object.metadata?.annotations?.['target'];
    return name ? { name, namespace: 'ns' } : undefined;
  };
  const annotated = (name: string, target: string | undefined): KubeObject => ({
    metadata: { name, namespace: 'ns', ...(target ? { annotations: { target } } : {}) },
  });

  it('requests what the mapper returns, and the former target when the mapping changes', async () => {
    const keys = await requestsOf(
      [
        { type: 'Apply', object: annotated('s', 'a') },
        { type: 'Apply', object: annotated('s', 'b') },
        { type: 'Apply', object: annotated('s', undefined) },
      ],
      triggerOthers(byAnnotation),
    );
    expect(keys).toEqual(['ns/a', 'ns/a', 'ns/b', 'ns/b']);
  });

  it('an object missing from a relist triggers its last targets', async () => {
    const keys = await requestsOf(
      [...list(annotated('s', 'a')), ...list()],
      triggerOthers(byAnnotation),
    );
    expect(keys).toEqual(['ns/a', 'ns/a']);
  });

  it('throws a TypeError at creation for a mapper that is not a function', () => {
    expect(() => triggerOthers('x' as never)).toThrow(TypeError);
  });
});

describe('every trigger stops listening to a synchronous source when unsubscribed', () => {
  it.each([
    ['triggerSelf', () => triggerSelf()],
    ['triggerOwners', () => triggerOwners(Widget)],
    ['triggerOthers', () => triggerOthers(() => ({ name: 'w', namespace: 'ns' }))],
  ])('%s', (_name, make) => {
    let produced = 0;
    const infinite$ = new Observable<WatcherEvent<KubeObject>>((subscriber) => {
      for (let i = 0; !subscriber.closed; i++) {
        produced++;
        subscriber.next({ type: 'Apply', object: child(`c${i}`, ['w'], String(i)) });
      }
    });
    infinite$.pipe(make(), take(2)).subscribe();
    expect(produced).toBe(2);
  });
});
