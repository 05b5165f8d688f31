import type { Logger } from '@kube-rx/core';
import type { ControllerMetrics } from '../metrics/controllerMetrics.js';
import type { OperatorEvent } from './operatorEvent.js';

/** One lifecycle line per event. */
export function logEvent(logger: Logger, operator: string, event: OperatorEvent): void {
  const { type, ...fields } = event;
  logger.info(`operator ${lifecycleMessage[type]}`, { operator, ...fields });
}

const lifecycleMessage: Record<OperatorEvent['type'], string> = {
  Starting: 'starting',
  ServersListening: 'servers listening',
  CachesSynced: 'caches synced',
  LeaderAcquired: 'leader acquired',
  LeaderLost: 'leader lost',
  ShardsChanged: 'shards held',
  ShuttingDown: 'shutting down',
  Drained: 'drained',
  LeaseReleased: 'lease released',
  Stopped: 'stopped',
};

/** `leader_election_master_status` of the operator's metrics, if any. */
export function leaderMetric(metrics: ControllerMetrics | undefined, leading: boolean): void {
  metrics?.setLeader(leading);
}

/** The shards-held gauge of the operator's metrics, if any. */
export function shardsMetric(metrics: ControllerMetrics | undefined, count: number): void {
  metrics?.setShardsHeld(count);
}
