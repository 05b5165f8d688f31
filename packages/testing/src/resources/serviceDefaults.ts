import { isPlainObject } from '../patch/mergePatch.js';
import type { StoredObject } from '../store/storedObject.js';

type Mutable = Record<string, unknown>;

/**
 * What the apiserver fills in on a new Service: `type: ClusterIP`, `sessionAffinity: None`, a
 * cluster IP from `10.96.0.0/16` (the first one no other Service holds; `None` for headless
 * Services is kept), single-stack IPv4, `internalTrafficPolicy: Cluster`, and per port
 * `protocol: TCP` and `targetPort` = `port`; `status.loadBalancer: {}`.
 */
export function applyServiceDefaults(service: Mutable, existing: readonly StoredObject[]): void {
  const spec: Mutable = isPlainObject(service.spec) ? service.spec : {};
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.type !== 'ExternalName') {
    spec.clusterIP ??= freeClusterIp(existing);
    spec.clusterIPs ??= [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  if (Array.isArray(spec.ports)) {
    for (const port of spec.ports.filter(isPlainObject)) {
      port.protocol ??= 'TCP';
      port.targetPort ??= port.port;
    }
  }
  service.spec = spec;
  service.status = { loadBalancer: {} };
}

function freeClusterIp(existing: readonly StoredObject[]): string {
  const taken = new Set(
    existing.map((service) => (service.object as Mutable & { spec?: Mutable }).spec?.clusterIP),
  );
  // 10.96.0.1 is the `kubernetes` Service's on a real cluster; start after it.
  for (let n = 2; n < 65_535; n++) {
    const ip = `10.96.${Math.floor(n / 256)}.${n % 256}`;
    if (!taken.has(ip)) return ip;
  }
  throw new RangeError('no free cluster IP left in 10.96.0.0/16');
}
