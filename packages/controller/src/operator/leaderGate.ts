import { Observable, Subject } from 'rxjs';
import { leaderElection, type LeaderElectionConfig } from '../leader/leaderElection.js';
import type { WorkGate, WorkGateEvent } from './workGate.js';

/**
 * The gate of an operator with leader election: every key while this replica leads, none
 * otherwise. `onLost` is called when leadership is lost (not when it is given up on `stop$`).
 */
export function leaderGate(
  config: LeaderElectionConfig & { identity: string },
  onLost: () => void,
): WorkGate {
  let leading = false;
  const admitted$ = new Subject<void>();
  return {
    admits: () => leading,
    admitted$,
    track: (_ref, run) => run(),
    run: (stop$) =>
      new Observable<WorkGateEvent>((subscriber) => {
        let stopping = false;
        const stopSubscription = stop$.subscribe(() => (stopping = true));
        const election = leaderElection({ ...config, stop: stop$ }).subscribe({
          next: (value) => {
            if (value === leading) return;
            leading = value;
            if (value) {
              subscriber.next({ type: 'LeaderAcquired', identity: config.identity });
              admitted$.next();
            } else if (stopping) {
              subscriber.next({ type: 'LeaseReleased', leases: [config.lease.name] });
            } else {
              subscriber.next({ type: 'LeaderLost', identity: config.identity });
              onLost();
            }
          },
          complete: () => subscriber.complete(),
        });
        return () => {
          leading = false;
          stopSubscription.unsubscribe();
          election.unsubscribe();
        };
      }),
  };
}
