import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clusterRole } from '../manifests/clusterRole.js';
import { crdManifests } from '../manifests/crdManifests.js';
import { manifestYaml } from '../manifests/manifestYaml.js';
import { describesAccess } from '../manifests/resourceAccess.js';

/** The usage text of `kube-rx`. */
export const USAGE = `Usage:
  kube-rx crd <module>...    CustomResourceDefinitions of every exported defineCustomResource
  kube-rx rbac <module>... [--name NAME] [--leader-election] [--no-events]
                             a ClusterRole for every exported Controller (anything with
                             describeAccess()): its resources, events, and leases with
                             --leader-election. NAME defaults to kube-rx-operator.

Prints multi-document YAML on stdout (pipe it to kubectl apply -f -). A TypeScript module needs
a loader: NODE_OPTIONS='--import tsx' kube-rx crd src/resources.ts
`;

/** A command line that cannot work (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What `kube-rx` prints for `args` (without the node and script paths). */
export async function kubeRxCommand(args: readonly string[]): Promise<string> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') return USAGE;
  if (command !== 'crd' && command !== 'rbac') {
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
  const modules: string[] = [];
  let name = 'kube-rx-operator';
  let leaderElection = false;
  let events = true;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (command === 'rbac' && arg === '--name') {
      const value = rest[++i];
      if (value === undefined || value === '') throw new UsageError('--name needs a value');
      name = value;
    } else if (command === 'rbac' && arg === '--leader-election') leaderElection = true;
    else if (command === 'rbac' && arg === '--no-events') events = false;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg} for ${command}`);
    else modules.push(arg);
  }
  if (modules.length === 0) throw new UsageError(`${command} needs at least one module`);
  const exports: unknown[] = [];
  for (const module of modules) exports.push(...(await moduleExports(module)));
  if (command === 'crd') {
    const crds = crdManifests(exports);
    if (crds.length === 0)
      throw new Error(`no defineCustomResource export in ${modules.join(', ')}`);
    return manifestYaml(crds);
  }
  const components = [...new Set(exports.filter(describesAccess))];
  if (components.length === 0) {
    throw new Error(`no Controller (or describeAccess()) export in ${modules.join(', ')}`);
  }
  return manifestYaml([clusterRole(components, { name, events, leaderElection })]);
}

async function moduleExports(module: string): Promise<unknown[]> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(resolve(module)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(
      `cannot load ${module}: ${(error as Error).message?.split('\n')[0] ?? String(error)}`,
      {
        cause: error,
      },
    );
  }
  return Object.values(namespace);
}
