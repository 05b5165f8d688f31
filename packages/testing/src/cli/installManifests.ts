import type { TestApiServer } from '../startTestApiServer.js';
import { isCustomResourceDefinition, type Manifest } from './manifests.js';

/** What {@link installManifests} put into the server. */
export interface InstalledManifests {
  /** `plural.group` of each CustomResourceDefinition created. */
  crds: string[];
  /** Number of objects seeded. */
  objects: number;
}

/**
 * Creates the CustomResourceDefinitions `crds` through the server's API (a POST, as
 * `kubectl create -f` would: defaults, validation and the `Established` condition apply, and their
 * custom resources are served from then on), then stores `seeds` as given (`server.seed`: status
 * kept, namespace `default` when absent). Stops at the first failure with a one-line `Error`
 * naming the manifest.
 */
export async function installManifests(
  server: TestApiServer,
  crds: readonly Manifest[],
  seeds: readonly Manifest[],
): Promise<InstalledManifests> {
  const installed: InstalledManifests = { crds: [], objects: 0 };
  const token = server.kubeConfig().getCurrentUser()?.token;
  for (const { object, origin } of crds) {
    if (!isCustomResourceDefinition(object)) {
      throw new Error(
        `${origin}: --crd takes apiextensions.k8s.io/v1 CustomResourceDefinitions, got ${object.apiVersion} ${object.kind} (use --seed)`,
      );
    }
    const response = await fetch(
      `${server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(object),
      },
    );
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    if (!response.ok) {
      throw new Error(
        `${origin}: CustomResourceDefinition ${object.metadata?.name ?? '?'}: ${body.message ?? `HTTP ${response.status}`}`,
      );
    }
    installed.crds.push(object.metadata?.name ?? '?');
  }
  for (const { object, origin } of seeds) {
    try {
      server.seed(object);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `${origin}: ${object.kind} ${object.metadata?.name ?? '?'}: ${message.replace(/^seed: /, '')}`,
        { cause: error },
      );
    }
    installed.objects++;
  }
  return installed;
}
