import { createRequire } from 'node:module';
import type * as promClient from 'prom-client';

/** prom-client's module, as `import * as promClient from 'prom-client'` gives it. */
export type PromClient = typeof promClient;

let loaded: PromClient | undefined;

/**
 * Loads prom-client on first use, so that an application whose controllers have no metrics never
 * loads it (importing `@kube-rx/controller` does not). Synchronous, so that `new
 * ControllerMetrics()` stays a plain constructor: prom-client is CommonJS, and `require` of it
 * gives the same module instance as an `import` of it elsewhere in the application.
 *
 * @throws Error with code `KUBE_RX_MISSING_PROM_CLIENT` when prom-client cannot be found.
 * @internal
 */
export function loadPromClient(): PromClient {
  if (loaded !== undefined) return loaded;
  try {
    loaded = createRequire(import.meta.url)('prom-client') as PromClient;
  } catch (cause) {
    const error = new Error(
      'ControllerMetrics needs prom-client, which could not be loaded: npm install prom-client',
      { cause },
    );
    (error as Error & { code: string }).code = 'KUBE_RX_MISSING_PROM_CLIENT';
    throw error;
  }
  return loaded;
}
