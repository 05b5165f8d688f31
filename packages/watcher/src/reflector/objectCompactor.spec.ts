import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '@kube-rx/core';
import { resolveFixturesDir } from '../../../testing/test/resolveFixturesDir.js';
import { EMPTY_FIELDS, MAX_SHARED_TREES, objectCompactor } from './objectCompactor.js';
import { createStore } from './store.js';

const fixtures = resolveFixturesDir();

/** Every object with metadata in the recorded apiserver responses (list items included). */
function recordedObjects(): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (typeof record.metadata === 'object' && typeof record.kind === 'string') {
        found.push(JSON.stringify(record));
      }
      Object.values(record).forEach(visit);
    }
  };
  for (const file of readdirSync(fixtures).filter((name) => name.endsWith('.json'))) {
    visit(JSON.parse(readFileSync(join(fixtures, file), 'utf8')));
  }
  return found;
}

/** A ConfigMap `name` in namespace `ns`, as freshly parsed from the server's JSON. */
function configMap(
  name: string,
  metadata: Record<string, unknown>,
  rest: Record<string, unknown> = {},
): KubeObject {
  const object = {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { name, namespace: 'ns', ...metadata },
    ...rest,
  };
  return JSON.parse(JSON.stringify(object)) as KubeObject;
}

function managed(name: string): KubeObject {
  return configMap(
    name,
    {
      labels: { app: 'web', tier: 'front' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u' }],
      managedFields: [
        {
          manager: 'kubectl',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2026-01-05T09:30:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:data': { '.': {}, 'f:x': {} },
            'f:metadata': { 'f:labels': { 'f:app': {} } },
          },
        },
      ],
    },
    { data: { x: '1' } },
  );
}

/** An object whose only managedFields entry has `fieldsV1` = `fields` (deep-copied). */
function withFields(name: string, fields: unknown, manager = 'kubectl'): KubeObject {
  return configMap(name, {
    managedFields: [{ manager, operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: fields }],
  });
}

/** Whether every object node of a tree is frozen. */
function deeplyFrozen(node: unknown): boolean {
  if (typeof node !== 'object' || node === null) return true;
  return Object.isFrozen(node) && Object.values(node).every(deeplyFrozen);
}

type Fields = Record<string, Record<string, unknown>>;
const fieldsOf = (object: KubeObject): Fields =>
  object.metadata!.managedFields![0]!.fieldsV1 as unknown as Fields;

describe('objectCompactor', () => {
  it('leaves every recorded apiserver object JSON-equal, key order included', () => {
    const objects = recordedObjects();
    expect(objects.length).toBeGreaterThan(20);
    expect(objects.some((text) => text.includes('"fieldsV1"'))).toBe(true);
    const compactor = objectCompactor();
    for (const text of objects) {
      const compacted = compactor.compact(JSON.parse(text) as KubeObject);
      expect(JSON.stringify(compacted)).toBe(text);
    }
  });

  it('points every empty fieldsV1 leaf at one shared frozen object, and keeps inner nodes', () => {
    const compactor = objectCompactor();
    const a = compactor.compact(managed('a'));
    const b = compactor.compact(managed('b'));
    expect(fieldsOf(a)['f:data']!['.']).toBe(EMPTY_FIELDS);
    expect(fieldsOf(a)['f:data']!['f:x']).toBe(EMPTY_FIELDS);
    expect(fieldsOf(b)['f:metadata']!['f:labels']).not.toBe(EMPTY_FIELDS);
    expect((fieldsOf(b)['f:metadata']!['f:labels'] as Fields)['f:app']).toBe(EMPTY_FIELDS);
    expect(Object.isFrozen(EMPTY_FIELDS)).toBe(true);
    expect(() => {
      (fieldsOf(a)['f:data']!['f:x'] as Record<string, unknown>).y = 1;
    }).toThrow(TypeError);
    expect(JSON.stringify(b)).toBe(JSON.stringify(managed('b')));
  });

  it('shares one frozen fieldsV1 tree between objects whose trees are equal', () => {
    const compactor = objectCompactor();
    const a = compactor.compact(managed('a'));
    const b = compactor.compact(managed('b'));
    expect(fieldsOf(b)).toBe(fieldsOf(a));
    expect(deeplyFrozen(fieldsOf(a))).toBe(true);
    expect(compactor.sharedTrees).toBe(1);
    expect(() => {
      fieldsOf(b)['f:data']!['f:y'] = {};
    }).toThrow(TypeError);
    expect(() => {
      (fieldsOf(a)['f:metadata']!['f:labels'] as Record<string, unknown>)['f:tier'] = {};
    }).toThrow(TypeError);
    expect(JSON.stringify(a)).toBe(JSON.stringify(managed('a')));
    expect(JSON.stringify(b)).toBe(JSON.stringify(managed('b')));
  });

  it('never shares trees that differ in a key, in key order or in nesting', () => {
    const variants = [
      { 'f:data': { 'f:x': {}, 'f:y': {} } },
      { 'f:data': { 'f:y': {}, 'f:x': {} } },
      { 'f:data': { 'f:x': {} }, 'f:y': {} },
      { 'f:data': { 'f:x': { 'f:y': {} } } },
      { 'f:data': { 'f:x': {}, 'f:z': {} } },
      { 'f:data': {} },
      {},
    ];
    const compactor = objectCompactor();
    const trees = variants.map((fields, i) => {
      const object = compactor.compact(withFields(`o${i}`, fields));
      expect(JSON.stringify(object)).toBe(JSON.stringify(withFields(`o${i}`, fields)));
      return fieldsOf(object);
    });
    expect(new Set(trees).size).toBe(variants.length);
    // Each one is remembered: an equal tree that comes later finds it.
    variants.forEach((fields, i) => {
      expect(fieldsOf(compactor.compact(withFields(`again${i}`, fields)))).toBe(trees[i]);
    });
  });

  it('tells apart trees with the same fingerprint', () => {
    // Keys of equal length, with the same middle and last characters.
    const first = { 'f:aXb': {}, 'f:c': {} };
    const second = { 'g:aYb': {}, 'f:c': {} };
    const compactor = objectCompactor();
    const one = fieldsOf(compactor.compact(withFields('a', first)));
    const two = fieldsOf(compactor.compact(withFields('b', second)));
    expect(two).not.toBe(one);
    expect(Object.keys(two)).toEqual(['g:aYb', 'f:c']);
    expect(fieldsOf(compactor.compact(withFields('c', first)))).toBe(one);
    expect(fieldsOf(compactor.compact(withFields('d', second)))).toBe(two);
  });

  it('shares equal trees across managers and when a manager alternates between trees', () => {
    const compactor = objectCompactor();
    const x = { 'f:data': { 'f:x': {} } };
    const y = { 'f:data': { 'f:y': {} } };
    const fromHelm = fieldsOf(compactor.compact(withFields('a', x, 'helm')));
    expect(fieldsOf(compactor.compact(withFields('b', x, 'kubectl')))).toBe(fromHelm);
    const ofY = fieldsOf(compactor.compact(withFields('c', y, 'kubectl')));
    for (let i = 0; i < 4; i++) {
      expect(fieldsOf(compactor.compact(withFields(`x${i}`, x, 'kubectl')))).toBe(fromHelm);
      expect(fieldsOf(compactor.compact(withFields(`y${i}`, y, 'kubectl')))).toBe(ofY);
    }
    expect(compactor.sharedTrees).toBe(2);
  });

  it('keeps its index of trees bounded, and still finds a repeated tree among distinct ones', () => {
    const compactor = objectCompactor();
    for (let i = 0; i < 3 * MAX_SHARED_TREES; i++) {
      const fields = { 'f:data': { [`f:key-${i}`]: {} } };
      const object = compactor.compact(withFields(`o${i}`, fields));
      expect(JSON.stringify(object)).toBe(JSON.stringify(withFields(`o${i}`, fields)));
      expect(compactor.sharedTrees).toBeLessThanOrEqual(MAX_SHARED_TREES);
    }
    // Field sets that are mostly distinct: only some new trees are remembered, but one that
    // keeps coming back is soon shared.
    const repeated = { 'f:data': { 'f:common': {} } };
    const trees = Array.from({ length: 20 }, (_, i) =>
      fieldsOf(compactor.compact(withFields(`r${i}`, repeated))),
    );
    expect(trees[19]).toBe(trees[18]);
    expect(deeplyFrozen(trees[19])).toBe(true);
  });

  it('shares only the leaves of trees that hold something other than objects, or are very deep', () => {
    let deep: Record<string, unknown> = { '.': {} };
    for (let depth = 0; depth < 40; depth++) deep = { 'f:x': deep };
    const odd = [
      { 'f:data': { 'f:x': {}, 'f:list': [1] } },
      { 'f:data': { 'f:x': {}, n: 3 } },
      deep,
    ];
    const compactor = objectCompactor();
    for (const [i, fields] of odd.entries()) {
      const a = compactor.compact(withFields(`a${i}`, fields));
      const b = compactor.compact(withFields(`b${i}`, fields));
      expect(fieldsOf(b)).not.toBe(fieldsOf(a));
      expect(Object.isFrozen(fieldsOf(a))).toBe(false);
      expect(JSON.stringify(a)).toBe(JSON.stringify(withFields(`a${i}`, fields)));
    }
    expect(fieldsOf(compactor.compact(withFields('c', odd[0])))['f:data']!['f:x']).toBe(
      EMPTY_FIELDS,
    );
    expect(compactor.sharedTrees).toBe(0);
  });

  it('leaves a tree that is already frozen as it is', () => {
    const fields = Object.freeze({ 'f:data': Object.freeze({ 'f:x': Object.freeze({}) }) });
    const object = withFields('a', {});
    object.metadata!.managedFields![0]!.fieldsV1 = fields;
    const compactor = objectCompactor();
    expect(fieldsOf(compactor.compact(object))).toBe(fields);
    expect(compactor.sharedTrees).toBe(0);
  });

  it('leaves frozen parts of an object as they are (a transform may return frozen objects)', () => {
    const deepFreeze = <T>(value: T): T => {
      if (typeof value === 'object' && value !== null) {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
      }
      return value;
    };
    const compactor = objectCompactor();
    const frozen = deepFreeze(managed('a'));
    expect(compactor.compact(frozen)).toBe(frozen);
    expect(JSON.stringify(frozen)).toBe(JSON.stringify(managed('a')));
    // Only the metadata frozen: the rest is still compacted, the metadata left alone.
    const partly = managed('b');
    deepFreeze(partly.metadata);
    expect(() => compactor.compact(partly)).not.toThrow();
    expect(JSON.stringify(partly)).toBe(JSON.stringify(managed('b')));
    const { store, writer } = createStore<KubeObject>({ transform: deepFreeze });
    writer.apply({ type: 'Init' });
    writer.apply({ type: 'InitApply', object: managed('c') });
    writer.apply({ type: 'InitDone' });
    expect(JSON.stringify(store.get({ namespace: 'ns', name: 'c' }))).toBe(
      JSON.stringify(managed('c')),
    );
  });

  it('keeps one table entry per distinct short string, and starts over when the table is full', () => {
    const compactor = objectCompactor(16);
    compactor.compact(managed('a'));
    const afterOne = compactor.tableSize;
    // kind, apiVersion (v1, apps/v1), namespace, two label values, ReplicaSet, manager, operation,
    // time, fieldsType: the object's names are not interned.
    expect(afterOne).toBe(11);
    compactor.compact(managed('b'));
    expect(compactor.tableSize).toBe(afterOne);
    for (let i = 0; i < 100; i++) {
      const object = managed(`c${i}`);
      object.metadata!.labels = { unique: `value-${i}` };
      compactor.compact(object);
      expect(compactor.tableSize).toBeLessThanOrEqual(16);
    }
  });

  it('does not intern long strings', () => {
    const compactor = objectCompactor();
    const object = managed('a');
    object.metadata!.annotations = { big: 'x'.repeat(65), small: 'y'.repeat(64) };
    compactor.compact(object);
    expect(compactor.tableSize).toBe(12);
  });

  it('tolerates objects of any shape without throwing or changing them', () => {
    const compactor = objectCompactor();
    const odd: unknown[] = [
      {},
      { metadata: null },
      { kind: 3, metadata: { labels: ['a'], annotations: 'x', managedFields: 'nope' } },
      { metadata: { managedFields: [null, 1, { fieldsV1: [] }, { fieldsV1: { a: [{}] } }] } },
      { metadata: { ownerReferences: [null, 'x', { kind: 7 }] } },
    ];
    for (const value of odd) {
      const text = JSON.stringify(value);
      expect(JSON.stringify(compactor.compact(JSON.parse(text) as KubeObject))).toBe(text);
    }
  });

  it('walks a deeply nested fieldsV1 tree without overflowing the stack', () => {
    let tree: Record<string, unknown> = {};
    for (let depth = 0; depth < 100_000; depth++) tree = { 'f:x': tree, '.': {} };
    const object = { metadata: { managedFields: [{ fieldsV1: tree }] } } as unknown as KubeObject;
    const compactor = objectCompactor();
    expect(() => compactor.compact(object)).not.toThrow();
    expect(tree['.'] as unknown).toBe(EMPTY_FIELDS);
    // Once a tree of the same shape near the top is remembered, the deep one is compared with it.
    let shallow: Record<string, unknown> = {};
    for (let depth = 0; depth < 20; depth++) shallow = { 'f:x': shallow, '.': {} };
    const remembered = { metadata: { managedFields: [{ fieldsV1: shallow }] } };
    compactor.compact(remembered as unknown as KubeObject);
    expect(compactor.sharedTrees).toBe(1);
    const again = { metadata: { managedFields: [{ fieldsV1: tree }] } } as unknown as KubeObject;
    expect(() => compactor.compact(again)).not.toThrow();
    expect(compactor.sharedTrees).toBe(1);
  });

  it('rejects a table size that is not a positive integer', () => {
    expect(() => objectCompactor(0)).toThrow(RangeError);
    expect(() => objectCompactor(1.5)).toThrow(/tableSize must be a positive integer, got 1.5/);
  });
});

describe('createStore compact', () => {
  it('compacts stored objects by default, after transform', () => {
    const seen: KubeObject[] = [];
    const { store, writer } = createStore<KubeObject>({
      transform: (object) => {
        // The transform sees the object before compaction.
        expect(fieldsOf(object)['f:data']!['.']).not.toBe(EMPTY_FIELDS);
        seen.push(object);
        return object;
      },
    });
    writer.apply({ type: 'Init' });
    writer.apply({ type: 'InitApply', object: managed('a') });
    writer.apply({ type: 'InitDone' });
    writer.apply({ type: 'Apply', object: managed('b') });
    expect(seen).toHaveLength(2);
    for (const name of ['a', 'b']) {
      const stored = store.get({ namespace: 'ns', name })!;
      expect(fieldsOf(stored)['f:data']!['.']).toBe(EMPTY_FIELDS);
      expect(JSON.stringify(stored)).toBe(JSON.stringify(managed(name)));
    }
  });

  it('stores objects exactly as parsed with compact: false', () => {
    const { store, writer } = createStore<KubeObject>({ compact: false });
    writer.apply({ type: 'Init' });
    writer.apply({ type: 'InitDone' });
    writer.apply({ type: 'Apply', object: managed('a') });
    const leaf = fieldsOf(store.get({ namespace: 'ns', name: 'a' })!)['f:data']!['.'];
    expect(leaf).not.toBe(EMPTY_FIELDS);
    expect(Object.isFrozen(leaf)).toBe(false);
  });

  it('rejects a compact option that is not a boolean', () => {
    expect(() => createStore({ compact: 'yes' as unknown as boolean })).toThrow(
      'createStore: compact must be a boolean, got string',
    );
  });
});
