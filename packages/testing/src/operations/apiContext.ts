import type { GarbageCollector } from '../gc/garbageCollector.js';
import type { ListSnapshots } from '../list/listSnapshots.js';
import type { ResourceRegistry } from '../resources/resourceRegistry.js';
import type { ObjectStore } from '../store/objectStore.js';

/** What API operations work on: the storage, the served resources and the server's policies. */
export interface ApiContext {
  readonly store: ObjectStore;
  readonly registry: ResourceRegistry;
  readonly snapshots: ListSnapshots;
  /** Create a missing namespace on first use instead of answering 404. */
  readonly autoCreateNamespaces: boolean;
  /** Handles dependents (ownerReferences) of deleted objects. */
  readonly garbageCollector: GarbageCollector;
}

/** Now as an RFC 3339 timestamp with second precision, as `metadata.*Timestamp` fields hold it. */
export function timestampNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
