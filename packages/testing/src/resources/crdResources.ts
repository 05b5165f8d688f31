import { isPlainObject } from '../patch/mergePatch.js';
import type { CustomResourceConfig } from './resourceDefinition.js';

/**
 * The custom resources an apiextensions.k8s.io/v1 CustomResourceDefinition object declares: one
 * per served version, with its scope and status subresource.
 */
export function crdResources(crd: unknown): CustomResourceConfig[] {
  const spec = isPlainObject(crd) && isPlainObject(crd.spec) ? crd.spec : undefined;
  const names = spec !== undefined && isPlainObject(spec.names) ? spec.names : undefined;
  if (spec === undefined || names === undefined) return [];
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isPlainObject) : [];
  const configs: CustomResourceConfig[] = [];
  for (const version of versions) {
    if (version.served === false || typeof version.name !== 'string') continue;
    const subresources = isPlainObject(version.subresources) ? version.subresources : {};
    const config: CustomResourceConfig = {
      group: String(spec.group ?? ''),
      version: version.name,
      kind: String(names.kind ?? ''),
      plural: String(names.plural ?? ''),
      namespaced: spec.scope !== 'Cluster',
      statusSubresource: subresources.status !== undefined,
    };
    if (typeof names.singular === 'string') config.singular = names.singular;
    if (typeof names.listKind === 'string') config.listKind = names.listKind;
    if (Array.isArray(names.shortNames)) config.shortNames = names.shortNames.map(String);
    const schema = isPlainObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
    if (isPlainObject(schema)) config.schema = schema;
    configs.push(config);
  }
  return configs;
}
