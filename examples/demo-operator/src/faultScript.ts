import { setTimeout as sleep } from 'node:timers/promises';
import { lastValueFrom } from 'rxjs';
import { Api, ConfigMap, Patch, type Logger } from '@kube-rx/core';
import { getCondition } from '@kube-rx/controller';
import type { RequestLogEntry, TestApiServer } from '@kube-rx/testing';
import { ConfigMapGenerator, GENERATOR_LABEL } from './configMapGenerator.js';
import { DELETED_GENERATOR, DEMO_NAMESPACE, INVALID_GENERATOR } from './demoResources.js';

/** Options of {@link playFaultScript}. */
export interface FaultScriptConfig {
  server: TestApiServer;
  logger: Logger;
  /** Inject faults; without, only the spec fix and the deletion are played. Default `true`. */
  faults?: boolean;
  /** Stops the script (Ctrl-C, deadline). */
  signal?: AbortSignal;
}

/** How the watchers recovered from one fault, counted from the server's request log. */
export interface WatchRecovery {
  resource: string;
  /** Plain WATCH requests (resuming from a resourceVersion). */
  watches: number;
  /** Whole-list reads: LIST pages or streaming lists (see {@link isListRequest}). */
  lists: number;
}

/** What the script observed. */
export interface FaultScriptReport {
  /** The invalid generator had `Ready=False` / `InvalidSpec` for its generation before the fix. */
  invalidSpecRecordedBeforeFix: boolean;
  /** Requests answered 503 during the storm. */
  served503: number;
  /** Requests answered 429 with Retry-After. */
  served429: number;
  /** WATCH/LIST requests per resource after the watches were dropped (expect 1 WATCH, 0 LIST). */
  afterDroppedWatches: WatchRecovery[];
  /** WATCH/LIST requests per resource after history compaction (410 Gone → relist). */
  afterCompaction: WatchRecovery[];
  /** Steps that completed, in order. */
  completedSteps: string[];
}

const WATCHED = ['configmapgenerators', 'configmaps'] as const;

/**
 * The scripted scenario of `npm start`, played against the embedded test API server while the
 * operator runs: wait for the first sync (valid generators Ready, the invalid one reported), a
 * storm of 503s on ConfigMaps during spec edits (client retries, then per-key backoff growing,
 * then reset), dropped watches (resumed without a relist), a compacted history (410 Gone →
 * relist), a 429 with `Retry-After`, then the invalid spec fixed and one generator deleted.
 * Every step waits for what it expects to see, so it takes seconds, not a fixed time.
 */
export async function playFaultScript(config: FaultScriptConfig): Promise<FaultScriptReport> {
  const { server, signal } = config;
  const log = config.logger.child({ component: 'script' });
  const user = userClients(server);
  const report: FaultScriptReport = {
    invalidSpecRecordedBeforeFix: false,
    served503: 0,
    served429: 0,
    afterDroppedWatches: [],
    afterCompaction: [],
    completedSteps: [],
  };
  const step = (name: string, detail: string) => {
    report.completedSteps.push(name);
    log.info(`── ${name}: ${detail}`);
  };
  const waitFor = (what: string, check: () => boolean, timeoutMs = 15_000) =>
    poll(what, check, timeoutMs, signal);
  const generator = (name: string) =>
    server.get(ConfigMapGenerator, DEMO_NAMESPACE, name) as ConfigMapGenerator | undefined;
  const readyFor = (name: string, status: 'True' | 'False', reason?: string) => {
    const object = generator(name);
    const ready = getCondition(object?.status?.conditions, 'Ready');
    return (
      ready !== undefined &&
      ready.status === status &&
      (reason === undefined || ready.reason === reason) &&
      ready.observedGeneration === object?.metadata?.generation
    );
  };
  const validNames = () =>
    server
      .list(ConfigMapGenerator, DEMO_NAMESPACE)
      .map((object) => object.metadata?.name ?? '')
      .filter((name) => name !== INVALID_GENERATOR);

  step('initial sync', 'waiting for every generator to be reconciled');
  await waitFor(
    'first reconcile of every generator',
    () =>
      validNames().every((name) => readyFor(name, 'True')) &&
      readyFor(INVALID_GENERATOR, 'False', 'InvalidSpec'),
  );
  report.invalidSpecRecordedBeforeFix = readyFor(INVALID_GENERATOR, 'False', 'InvalidSpec');
  const invalid = getCondition(generator(INVALID_GENERATOR)?.status?.conditions, 'Ready');
  log.info('permanent error is on the status, not in a retry loop', {
    object: `${DEMO_NAMESPACE}/${INVALID_GENERATOR}`,
    condition: `Ready=${invalid?.status} reason=${invalid?.reason}`,
    observedGeneration: invalid?.observedGeneration,
  });

  if (config.faults !== false) {
    step('503 storm', 'ConfigMap reads and writes answer 503 while two specs change');
    const storm = server.faults.inject({
      resource: 'configmaps',
      verb: ['get', 'create', 'update', 'patch', 'delete'],
      status: 503,
      times: 18,
    });
    await user.editData('app-config', { LOG_LEVEL: 'debug' });
    await user.editData('feature-flags', { checkout_v2: 'true' });
    await waitFor(
      'the storm to pass and both generators to converge',
      () => storm.hits >= 18 && readyFor('app-config', 'True') && readyFor('feature-flags', 'True'),
    );
    storm.remove();
    report.served503 = storm.hits;
    log.info('503 storm over: converged', { answered503: storm.hits });

    step('dropped watches', 'every open watch is cut');
    let mark = server.requests.length;
    server.faults.dropWatches();
    await waitFor('both watches to be reopened', () => reopened(server.requests.slice(mark)));
    await sleep(300, undefined, { signal });
    report.afterDroppedWatches = recoveries(server.requests.slice(mark));
    for (const recovery of report.afterDroppedWatches) {
      log.info(`watch resumed: ${recovery.watches} WATCH, ${recovery.lists} LIST`, {
        resource: recovery.resource,
      });
    }

    step('410 Gone', 'watches cut, history compacted while they are away');
    mark = server.requests.length;
    server.faults.dropWatches();
    await user.touchUnrelatedConfigMap();
    server.faults.compact();
    await waitFor('both caches to be relisted', () => relisted(server.requests.slice(mark)));
    await sleep(300, undefined, { signal });
    report.afterCompaction = recoveries(server.requests.slice(mark));
    for (const recovery of report.afterCompaction) {
      log.info(
        `watch expired (410 Gone), relisted: ${recovery.lists} list, ${recovery.watches} WATCH`,
        { resource: recovery.resource },
      );
    }

    step('429 Retry-After', 'one ConfigMap read answers 429 with Retry-After: 1');
    const throttle = server.faults.inject({
      resource: 'configmaps',
      verb: 'get',
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    });
    await user.editData('feature-flags', { dark_mode: 'false' });
    await waitFor(
      'the throttled reconcile to finish',
      () => throttle.hits >= 1 && readyFor('feature-flags', 'True'),
    );
    report.served429 = throttle.hits;
    log.info('429 absorbed by the client retry (waited for Retry-After), no reconcile failed');
  }

  step('spec fixed', `${INVALID_GENERATOR} gets a valid key`);
  await user.editData(INVALID_GENERATOR, { 'max connections!': null, max_connections: '100' });
  await waitFor(`${INVALID_GENERATOR} to become Ready`, () => readyFor(INVALID_GENERATOR, 'True'));
  log.info('fixed spec converged', { object: `${DEMO_NAMESPACE}/${INVALID_GENERATOR}` });

  step('deletion', `${DELETED_GENERATOR} is deleted; its finalizer removes its ConfigMaps first`);
  await user.delete(DELETED_GENERATOR);
  await waitFor(
    `${DELETED_GENERATOR} to be gone`,
    () => generator(DELETED_GENERATOR) === undefined,
  );
  const leftovers = server
    .list(ConfigMap, DEMO_NAMESPACE)
    .filter((cm) => cm.metadata?.labels?.[GENERATOR_LABEL] === DELETED_GENERATOR);
  log.info('generator deleted after cleanup', { leftoverConfigMaps: leftovers.length });
  return report;
}

// Plays the role of a person with kubectl: plain clients, no retries.
function userClients(server: TestApiServer) {
  const kubeConfig = server.kubeConfig();
  const generators = Api.namespaced<ConfigMapGenerator>(
    kubeConfig,
    ConfigMapGenerator,
    DEMO_NAMESPACE,
  );
  const configMaps = Api.namespaced<ConfigMap>(kubeConfig, ConfigMap, 'default');
  let touches = 0;
  return {
    editData: (name: string, data: Record<string, string | null>) =>
      lastValueFrom(generators.patch(name, Patch.merge({ spec: { data } }))),
    delete: (name: string) => lastValueFrom(generators.delete(name)),
    touchUnrelatedConfigMap: () =>
      lastValueFrom(configMaps.create({ metadata: { name: `unrelated-${++touches}` }, data: {} })),
  };
}

/**
 * Whether a request reads a whole list: a LIST page, or a streaming list (a WATCH with
 * `sendInitialEvents`, how the watcher lists by default).
 */
export function isListRequest(r: RequestLogEntry): boolean {
  return r.verb === 'list' || (r.verb === 'watch' && r.query.sendInitialEvents === 'true');
}

function recoveries(requests: readonly RequestLogEntry[]): WatchRecovery[] {
  return WATCHED.map((resource) => ({
    resource,
    watches: requests.filter(
      (r) => r.resource === resource && r.verb === 'watch' && !isListRequest(r),
    ).length,
    lists: requests.filter((r) => r.resource === resource && isListRequest(r)).length,
  }));
}

function reopened(requests: readonly RequestLogEntry[]): boolean {
  return WATCHED.every((resource) =>
    requests.some((r) => r.resource === resource && r.verb === 'watch' && r.status === 200),
  );
}

function relisted(requests: readonly RequestLogEntry[]): boolean {
  return WATCHED.every((resource) => {
    const listAt = requests.findIndex(
      (r) => r.resource === resource && isListRequest(r) && r.status === 200,
    );
    return (
      listAt !== -1 &&
      requests.slice(listAt).some((r) => r.resource === resource && r.verb === 'watch')
    );
  });
}

async function poll(
  what: string,
  check: () => boolean,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50, undefined, { signal });
  }
}
