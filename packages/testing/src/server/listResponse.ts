import type { ListPage } from '../operations/listObjects.js';
import {
  apiVersionOfDefinition,
  type ResourceDefinition,
} from '../resources/resourceDefinition.js';
import type { Exchange } from './exchange.js';

const ITEMS_PER_WRITE = 1000;

/**
 * Streams a LIST body: list kind, metadata (resourceVersion, continue, remainingItemCount) and
 * the items' cached JSON, written in batches so a large list is never one giant string.
 */
export function sendList(
  exchange: Exchange,
  definition: ResourceDefinition,
  page: ListPage,
  metadataOnly: boolean,
): void {
  const metadata: Record<string, unknown> = { resourceVersion: page.resourceVersion };
  if (page.continue !== undefined) metadata.continue = page.continue;
  if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
  const kind = metadataOnly ? 'PartialObjectMetadataList' : definition.listKind;
  const apiVersion = metadataOnly ? 'meta.k8s.io/v1' : apiVersionOfDefinition(definition);
  exchange.writeHead(200, { 'content-type': 'application/json' });
  const { response } = exchange;
  response.write(
    `{"kind":"${kind}","apiVersion":"${apiVersion}","metadata":${JSON.stringify(metadata)},"items":[`,
  );
  const { items } = page;
  for (let start = 0; start < items.length; start += ITEMS_PER_WRITE) {
    const batch = items.slice(start, start + ITEMS_PER_WRITE);
    const json = batch.map((o) => (metadataOnly ? o.metadataJson : o.itemJson)).join(',');
    response.write(start === 0 ? json : ',' + json);
  }
  response.end(']}');
}
