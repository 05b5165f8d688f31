import { readFile } from 'node:fs/promises';
import { loadYaml, type KubeConfig } from '@kubernetes/client-node';
import { lastValueFrom } from 'rxjs';
import { Api, CustomResourceDefinition, type KubeObject } from '@kube-rx/core';

// Next to src/ and dist/ alike.
const CRD_MANIFEST = new URL('../manifests/crd.yaml', import.meta.url);

/** Creates the Widget CRD from manifests/crd.yaml through the API, as `kubectl apply` would. */
export async function installCrd(kubeConfig: KubeConfig): Promise<void> {
  const crd = loadYaml<KubeObject>(await readFile(CRD_MANIFEST, 'utf8'));
  await lastValueFrom(Api.cluster<KubeObject>(kubeConfig, CustomResourceDefinition).create(crd));
}
