/**
 * What an `Operator` reports while it runs, in order: `operator.run()` emits these and completes
 * after `Stopped`. Discriminated by `type`:
 *
 * - `Starting` — first, with the identity used for Leases.
 * - `ServersListening` — the health and metrics servers are bound (their URLs).
 * - `CachesSynced` — every controller's main cache holds its first list; `/readyz` is 200 from now.
 * - `LeaderAcquired` / `LeaderLost` — with `leaderElection`: reconciles start / stop at once.
 * - `ShardsChanged` — with `sharding`: the shards this replica holds now (sorted).
 * - `ShuttingDown` — a signal, `shutdown()`, or a lost lease (`onLost: 'exit'`): `/readyz` is 503
 *   from now and no new reconcile starts.
 * - `Drained` — running reconciles have finished (or `shutdownTimeout` passed: `timedOut`).
 * - `LeaseReleased` — the Leases this replica held are free (the writes were awaited).
 * - `Stopped` — servers closed, signal handlers removed; nothing of the operator is left.
 */
export type OperatorEvent =
  | {
      /** The operator starts. */
      readonly type: 'Starting';
      /** The operator's name. */
      readonly name: string;
      /** The identity written into Leases. */
      readonly identity: string;
    }
  | {
      /** The probe and metrics servers are bound. */
      readonly type: 'ServersListening';
      /** URL of the probe server (`/healthz`, `/readyz`), when configured. */
      readonly health?: string;
      /** URL of the metrics server (`/metrics`), when configured. */
      readonly metrics?: string;
    }
  | {
      /** Every controller's main cache holds its first list. */
      readonly type: 'CachesSynced';
      /** Objects in the controllers' main caches, summed. */
      readonly objects: number;
      /** Time from `Starting`, in ms. */
      readonly durationMs: number;
    }
  | {
      /** This replica took the Lease and reconciles from now. */
      readonly type: 'LeaderAcquired';
      /** This replica's identity. */
      readonly identity: string;
    }
  | {
      /** This replica lost the Lease and stopped starting reconciles. */
      readonly type: 'LeaderLost';
      /** This replica's identity. */
      readonly identity: string;
    }
  | {
      /** The shards this replica holds changed. */
      readonly type: 'ShardsChanged';
      /** The shards held now, ascending. */
      readonly held: readonly number[];
      /** How many shards there are. */
      readonly shards: number;
    }
  | {
      /** The graceful shutdown started. */
      readonly type: 'ShuttingDown';
      /** Why: a signal, a `shutdown()` call, or leadership lost with `onLost: 'exit'`. */
      readonly reason: 'signal' | 'requested' | 'leaderLost';
      /** The signal, when `reason` is `'signal'`. */
      readonly signal?: NodeJS.Signals;
    }
  | {
      /** Running reconciles finished. */
      readonly type: 'Drained';
      /** Time from `ShuttingDown`, in ms. */
      readonly durationMs: number;
      /** Whether `shutdownTimeout` passed with reconciles still running (they were cancelled). */
      readonly timedOut: boolean;
    }
  | {
      /** The Leases this replica held were released. */
      readonly type: 'LeaseReleased';
      /** Names of the Leases released. */
      readonly leases: readonly string[];
    }
  | {
      /** Everything of the operator is closed. */
      readonly type: 'Stopped';
    };

/** The `type`s of {@link OperatorEvent}. */
export type OperatorEventType = OperatorEvent['type'];
