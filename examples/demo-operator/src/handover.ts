import type { Logger } from '@kube-rx/core';
import type { TestApiServer } from '@kube-rx/testing';
import { firstValueFrom, filter } from 'rxjs';
import { isListRequest } from './faultScript.js';
import type { RunningOperator } from './runOperator.js';

/** What the handover between two replicas showed. */
export interface HandoverReport {
  /** Identity of the replica that led and was stopped. */
  from: string;
  /** Identity of the standby that took over. */
  to: string;
  /** From the leader's `stop()` call to the standby's `LeaderAcquired`, in ms. */
  takeoverMs: number;
  /** LISTs (pages or streaming lists) of the watched resources from the stop until the standby had reconciled everything (a warm standby makes none). */
  listsDuringHandover: number;
  /** Reconciles the new leader ran after taking over. */
  reconciledByStandby: number;
  /** `/readyz` of each replica as it changed: `identity: status`. */
  readiness: string[];
  /** Lines of the new leader's `/metrics` shown in the run. */
  metricsExcerpt: string[];
}

/** Configuration of {@link demonstrateHandover}. */
export interface HandoverConfig {
  server: TestApiServer;
  logger: Logger;
  /** The replica leading now. */
  leader: RunningOperator;
  /** Starts the second replica (it joins as a warm standby). */
  startStandby: () => RunningOperator;
  /** How many objects the new leader must have reconciled before the handover counts as done. */
  objects: number;
}

const WATCHED = new Set(['configmapgenerators', 'configmaps']);
const METRICS = /^(controller_runtime_|workqueue_|leader_election_|kube_rx_)/;

/**
 * Two replicas in one process under one Lease: starts a standby beside the leader, waits for
 * its caches, stops the leader gracefully (it releases the Lease), and watches the standby take
 * over and reconcile from its warm cache. `/readyz` of both replicas is polled throughout and
 * every change logged; the new leader's `/metrics` is scraped at the end.
 */
export async function demonstrateHandover(config: HandoverConfig): Promise<HandoverReport> {
  const { server, leader, logger } = config;
  const log = logger.child({ component: 'handover' });
  const readiness: string[] = [];
  const last = new Map<string, string>();
  const probe = (replica: RunningOperator): void => {
    void replica
      .servers()
      .then(({ health }) => fetch(`${health}/readyz`))
      .then(
        (response) => String(response.status),
        () => 'closed',
      )
      .then((status) => {
        if (last.get(replica.identity) === status) return;
        const before = last.get(replica.identity) ?? 'not listening';
        last.set(replica.identity, status);
        readiness.push(`${replica.identity}: ${status}`);
        log.info(`${replica.identity} /readyz: ${before} → ${status}`);
      });
  };
  const replicas = [leader];
  // Probed at every lifecycle event (servers listening, caches synced, shutting down, ...) and
  // every 25 ms in between.
  const watching = [leader.events$.subscribe(() => probe(leader))];
  const standby = config.startStandby();
  replicas.push(standby);
  watching.push(standby.events$.subscribe(() => probe(standby)));
  const poll = setInterval(() => replicas.forEach(probe), 25);
  try {
    await firstValueFrom(standby.events$.pipe(filter((e) => e.type === 'CachesSynced')));
    log.info(`${standby.identity} is a warm standby (caches synced, not reconciling)`);
    let reconciledByStandby = 0;
    const counting = standby.results$.subscribe(() => (reconciledByStandby += 1));
    const mark = server.requests.length;
    const stoppedAt = Date.now();
    log.info(`stopping the leader ${leader.identity} (as SIGTERM would)`);
    await leader.stop();
    await firstValueFrom(standby.events$.pipe(filter((e) => e.type === 'LeaderAcquired')));
    const takeoverMs = Date.now() - stoppedAt;
    const deadline = Date.now() + 20_000;
    while (reconciledByStandby < config.objects && Date.now() < deadline) await sleep(20);
    counting.unsubscribe();
    const listsDuringHandover = server.requests
      .slice(mark)
      .filter((r) => WATCHED.has(r.resource) && isListRequest(r)).length;
    log.info(
      `${standby.identity} leads after ${takeoverMs} ms and reconciled from its warm cache: ${listsDuringHandover} LIST`,
    );
    const { metrics } = await standby.servers();
    const text = await (await fetch(`${metrics}/metrics`)).text();
    const metricsExcerpt = text
      .split('\n')
      .filter((line) => METRICS.test(line) && !line.includes('_bucket{'))
      .slice(0, 14);
    log.info(`stopping ${standby.identity} too`);
    await standby.stop();
    await sleep(60); // the last readiness probes of the stopped replica
    return {
      from: leader.identity,
      to: standby.identity,
      takeoverMs,
      listsDuringHandover,
      reconciledByStandby,
      readiness,
      metricsExcerpt,
    };
  } finally {
    clearInterval(poll);
    for (const subscription of watching) subscription.unsubscribe();
    await standby.stop();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
