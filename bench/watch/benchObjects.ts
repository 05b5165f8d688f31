// The objects the watch benchmark serves: N ConfigMaps of about 1.2 KB, shaped like what a real
// kube-apiserver returns (uid, creationTimestamp, labels, annotations, one managedFields entry),
// serialised once, before any contender starts. Every resourceVersion is known in advance:
// object i is listed at resourceVersion i + 1, modified at N + 1 + i, and the marker object that
// ends the stream is added at 2N + 1.

/** Namespace of every benchmark object. */
export const BENCH_NAMESPACE = 'bench';
/** Name of the object that arrives last: a contender is done once it is in its cache. */
export const MARKER_NAME = 'zz-bench-marker';
/** Collection path the server answers LIST and WATCH on. */
export const CONFIGMAPS_PATH = `/api/v1/namespaces/${BENCH_NAMESPACE}/configmaps`;

const CREATED = '2026-01-05T09:30:00Z';
const TARGET_BYTES = 1200;

function objectName(i: number): string {
  return `cm-${String(i).padStart(6, '0')}`;
}

function uid(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `7f3c2a10-5b6d-4e8f-9a1b-${hex}`;
}

/** One ConfigMap as the apiserver would serialise it, padded to about 1.2 KB. */
function configMapJson(i: number, resourceVersion: number, generation: number): string {
  const object = {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: {
      name: objectName(i),
      namespace: BENCH_NAMESPACE,
      uid: uid(i),
      resourceVersion: String(resourceVersion),
      creationTimestamp: CREATED,
      labels: {
        app: 'bench',
        'app.kubernetes.io/name': 'bench',
        'app.kubernetes.io/part-of': 'kube-rx',
        shard: String(i % 16),
      },
      annotations: {
        'bench.kube-rx.io/generation': String(generation),
        'bench.kube-rx.io/owner': `team-${i % 7}`,
      },
      managedFields: [
        {
          manager: 'kubectl-client-side-apply',
          operation: 'Update',
          apiVersion: 'v1',
          time: CREATED,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:data': { '.': {}, 'f:index': {}, 'f:payload': {} },
            'f:metadata': {
              'f:annotations': {
                '.': {},
                'f:bench.kube-rx.io/generation': {},
                'f:bench.kube-rx.io/owner': {},
              },
              'f:labels': {
                '.': {},
                'f:app': {},
                'f:app.kubernetes.io/name': {},
                'f:app.kubernetes.io/part-of': {},
                'f:shard': {},
              },
            },
          },
        },
      ],
    },
    data: { index: String(i), payload: '' },
  };
  const bare = JSON.stringify(object).length;
  object.data.payload = `g${generation}-${i}-`.padEnd(Math.max(8, TARGET_BYTES - bare), 'x');
  return JSON.stringify(object);
}

/** Everything the server sends, as bytes, plus what a correct cache holds at the end. */
export interface BenchPayload {
  count: number;
  /** resourceVersion of the LIST (and of the streaming list's initial-events-end bookmark). */
  listResourceVersion: string;
  /** The N listed objects joined by `,` (a LIST page is a slice of it). */
  listItems: Buffer;
  /** Byte offset where object i starts in `listItems`; entry N is the end of the buffer + 1. */
  itemOffsets: Float64Array;
  /** N `ADDED` watch lines (the streaming list's initial events). */
  addedLines: Buffer;
  /** The `BOOKMARK` line annotated `k8s.io/initial-events-end: "true"`. */
  initialEventsEnd: Buffer;
  /** N `MODIFIED` watch lines, one per object, then the `ADDED` line of the marker. */
  modifiedLines: Buffer;
  /** Size of one listed object's JSON, in bytes (object 0). */
  objectBytes: number;
  /** name → resourceVersion of every object a correct cache holds at the end (marker included). */
  expected: Record<string, string>;
  /** name → resourceVersion of every listed object (the state before any change). */
  listed: Record<string, string>;
}

/** Serialises the benchmark's objects and events for `count` ConfigMaps. */
export function buildBenchPayload(count: number): BenchPayload {
  const items: string[] = [];
  const added: string[] = [];
  const modified: string[] = [];
  const expected: Record<string, string> = {};
  const listedVersions: Record<string, string> = {};
  const itemOffsets = new Float64Array(count + 1);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const listed = configMapJson(i, i + 1, 0);
    itemOffsets[i] = offset;
    offset += Buffer.byteLength(listed) + 1;
    items.push(listed);
    listedVersions[objectName(i)] = String(i + 1);
    added.push(`{"type":"ADDED","object":${listed}}\n`);
    const modifiedRv = count + 1 + i;
    modified.push(`{"type":"MODIFIED","object":${configMapJson(i, modifiedRv, 1)}}\n`);
    expected[objectName(i)] = String(modifiedRv);
  }
  itemOffsets[count] = offset;
  const markerRv = String(2 * count + 1);
  const marker = {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: {
      name: MARKER_NAME,
      namespace: BENCH_NAMESPACE,
      uid: uid(count),
      resourceVersion: markerRv,
      creationTimestamp: CREATED,
    },
    data: { last: 'true' },
  };
  modified.push(`{"type":"ADDED","object":${JSON.stringify(marker)}}\n`);
  expected[MARKER_NAME] = markerRv;
  const listResourceVersion = String(count);
  const bookmark = {
    type: 'BOOKMARK',
    object: {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {
        resourceVersion: listResourceVersion,
        annotations: { 'k8s.io/initial-events-end': 'true' },
      },
    },
  };
  return {
    count,
    listResourceVersion,
    listItems: Buffer.from(items.join(',')),
    itemOffsets,
    addedLines: Buffer.from(added.join('')),
    initialEventsEnd: Buffer.from(`${JSON.stringify(bookmark)}\n`),
    modifiedLines: Buffer.from(modified.join('')),
    objectBytes: Buffer.byteLength(items[0] ?? ''),
    expected,
    listed: listedVersions,
  };
}
