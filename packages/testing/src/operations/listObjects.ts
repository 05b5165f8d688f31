import { decodeContinueToken, encodeContinueToken } from '../list/continueToken.js';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import { parseFieldSelector } from '../selectors/fieldSelector.js';
import { parseLabelSelector } from '../selectors/labelSelector.js';
import { expired, tooLargeResourceVersion } from '../status.js';
import type { StoredObject } from '../store/storedObject.js';
import type { ApiContext } from './apiContext.js';

/** One page of a LIST. */
export interface ListPage {
  readonly resourceVersion: string;
  readonly continue?: string;
  readonly remainingItemCount?: number;
  readonly items: readonly StoredObject[];
}

const CONTINUE_EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/**
 * LIST: selectors, `limit`/`continue` over a consistent snapshot (410 Expired with an
 * inconsistent-continue token once the snapshot expired or was compacted), `resourceVersion`
 * (`0`/unset: latest; `resourceVersionMatch=Exact`: the state at that version, rebuilt from the
 * history; newer than the server: 504), and `remainingItemCount` only without selectors.
 */
export function listObjects(
  context: ApiContext,
  definition: ResourceDefinition,
  namespace: string | undefined,
  query: Readonly<Record<string, string>>,
): ListPage {
  const { store } = context;
  const labels = parseLabelSelector(query.labelSelector);
  const fields = parseFieldSelector(query.fieldSelector);
  const limit = Number.parseInt(query.limit ?? '', 10);
  const pageSize = Number.isFinite(limit) && limit > 0 ? limit : Infinity;
  let snapshot: readonly StoredObject[];
  let resourceVersion: number;
  let start = '';
  if (query.continue !== undefined && query.continue !== '') {
    const token = decodeContinueToken(query.continue);
    start = token.start;
    if (token.rv === -1) {
      snapshot = store.list(definition);
      resourceVersion = store.currentResourceVersion;
    } else {
      const saved = context.snapshots.find(definition, token.rv);
      if (saved === undefined || token.rv < store.history.startResourceVersion) {
        throw expired(CONTINUE_EXPIRED_MESSAGE, {
          continue: encodeContinueToken({ rv: -1, start: token.start }),
        });
      }
      snapshot = saved;
      resourceVersion = token.rv;
    }
  } else {
    resourceVersion = store.currentResourceVersion;
    snapshot = readAt(context, definition, query, resourceVersion);
    if (query.resourceVersionMatch === 'Exact') resourceVersion = Number(query.resourceVersion);
  }
  const filtered = !labels.empty || !fields.empty;
  const items: StoredObject[] = [];
  let remaining = 0;
  let lastKey = '';
  for (const object of snapshot) {
    if (namespace !== undefined && object.namespace !== namespace) continue;
    const key = namespace === undefined ? object.key : object.name;
    if (start !== '' && key < start) continue;
    if (
      filtered &&
      !(labels.matches(object.object.metadata?.labels) && fields.matches(object.object))
    ) {
      continue;
    }
    if (items.length < pageSize) {
      items.push(object);
      lastKey = key;
    } else {
      remaining++;
      // With selectors the apiserver cannot count what is left; one more match is enough.
      if (filtered) break;
    }
  }
  if (remaining === 0) return { resourceVersion: String(resourceVersion), items };
  if (query.continue === undefined || query.continue === '') {
    context.snapshots.save(definition, resourceVersion, snapshot);
  }
  const page: ListPage = {
    resourceVersion: String(resourceVersion),
    continue: encodeContinueToken({ rv: resourceVersion, start: `${lastKey}\u0000` }),
    items,
  };
  return filtered ? page : { ...page, remainingItemCount: remaining };
}

function readAt(
  context: ApiContext,
  definition: ResourceDefinition,
  query: Readonly<Record<string, string>>,
  current: number,
): readonly StoredObject[] {
  const requested = query.resourceVersion;
  if (requested === undefined || requested === '' || requested === '0') {
    return context.store.list(definition);
  }
  const version = Number(requested);
  if (version > current) throw tooLargeResourceVersion(requested, String(current));
  if (query.resourceVersionMatch !== 'Exact' || version === current) {
    return context.store.list(definition);
  }
  const state = context.store.stateAt(definition, version);
  if (state === undefined) throw expired('The resourceVersion for the provided list is too old.');
  return state;
}
