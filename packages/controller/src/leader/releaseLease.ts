import { isApiError } from '@kube-rx/core';
import { catchError, concatMap, defer, throwError, type Observable } from 'rxjs';
import { formatMicroTime } from '../microTime.js';
import type { LeaseApi, LeaseObject } from './leaderElection.js';

/**
 * Writes `held` (a Lease as this holder last wrote it) back with the holder cleared and a 1 s
 * duration, so the next candidate's attempt takes it at once; the write carries `held`'s
 * resourceVersion, so a 409 means someone else wrote the Lease since. Shared by leader election
 * and the shard Leases.
 *
 * On a 409 the Lease is read once more: a renewal cancelled in flight (the holder stopped while
 * it was being sent) may have reached the server without its answer reaching the holder, which
 * moves the resourceVersion on. If the Lease still names the same holder, that version is
 * released; otherwise someone else holds it and the 409 stands.
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
  const released = (lease: LeaseObject): LeaseObject => ({
    ...lease,
    spec: {
      ...lease.spec,
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: time,
      renewTime: time,
    },
  });
  const holder = held.spec?.holderIdentity;
  return defer(() => api.replace(name, released(held))).pipe(
    catchError((error: unknown) => {
      if (!isApiError(error, 409) || !holder) return throwError(() => error);
      return api
        .getOpt(name)
        .pipe(
          concatMap((current) =>
            current !== undefined && current.spec?.holderIdentity === holder
              ? api.replace(name, released(current))
              : throwError(() => error),
          ),
        );
    }),
  );
}
