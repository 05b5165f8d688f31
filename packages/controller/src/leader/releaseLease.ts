import { defer, type Observable } from 'rxjs';
import { formatMicroTime } from '../microTime.js';
import type { LeaseApi, LeaseObject } from './leaderElection.js';

/**
 * Writes `held` (a Lease as this holder last wrote it) back with the holder cleared and a 1 s
 * duration, so the next candidate's attempt takes it at once; the write carries `held`'s
 * resourceVersion, so a 409 means someone else wrote the Lease since. Shared by leader election
 * and the shard Leases.
 *
 * @internal
 */
export function releaseLease(
  api: LeaseApi,
  name: string,
  held: LeaseObject,
  now: number,
): Observable<LeaseObject> {
  const time = formatMicroTime(now);
  return defer(() =>
    api.replace(name, {
      ...held,
      spec: {
        ...held.spec,
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: time,
        renewTime: time,
      },
    }),
  );
}
