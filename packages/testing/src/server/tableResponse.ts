import type { StoredObject } from '../store/storedObject.js';
import type { Exchange } from './exchange.js';

/** Whether the client (kubectl) asked for a `meta.k8s.io` Table. */
export function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept);
}

/** The list metadata a Table carries: that of the LIST page it shows (or of the one object). */
export interface TableListMetadata {
  readonly resourceVersion: string;
  readonly continue?: string | undefined;
  readonly remainingItemCount?: number | undefined;
}

/**
 * Answers with the apiserver's default Table (columns Name and Created At, rows carrying
 * PartialObjectMetadata), which is what `kubectl get` prints. A paged LIST keeps its
 * `continue` and `remainingItemCount`, so `kubectl get --chunk-size` fetches every page.
 */
export function sendTable(
  exchange: Exchange,
  objects: readonly StoredObject[],
  listMetadata: TableListMetadata,
): void {
  const metadata: Record<string, unknown> = { resourceVersion: listMetadata.resourceVersion };
  if (listMetadata.continue !== undefined) metadata.continue = listMetadata.continue;
  if (listMetadata.remainingItemCount !== undefined) {
    metadata.remainingItemCount = listMetadata.remainingItemCount;
  }
  const table = {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
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
