import type { StoredObject } from '../store/storedObject.js';
import type { Exchange } from './exchange.js';

/** Whether the client (kubectl) asked for a `meta.k8s.io` Table. */
export function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept);
}

/**
 * Answers with the apiserver's default Table (columns Name and Created At, rows carrying
 * PartialObjectMetadata), which is what `kubectl get` prints.
 */
export function sendTable(
  exchange: Exchange,
  objects: readonly StoredObject[],
  resourceVersion: string,
): void {
  const table = {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: [
      {
        name: 'Name',
        type: 'string',
        format: 'name',
        description: 'Name must be unique within a namespace.',
        priority: 0,
      },
      {
        name: 'Created At',
        type: 'date',
        format: '',
        description: 'The creation timestamp of the object.',
        priority: 0,
      },
    ],
    rows: objects.map((o) => ({
      cells: [o.name, o.object.metadata?.creationTimestamp ?? null],
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: o.object.metadata,
      },
    })),
  };
  exchange.sendJson(200, JSON.stringify(table));
}
