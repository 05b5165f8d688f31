import {
  builtinResources,
  customResourceDefinition,
  type CustomResourceConfig,
  type ResourceDefinition,
} from './resourceDefinition.js';

/** The resources a server serves, looked up by group/version/plural. */
export class ResourceRegistry {
  private readonly byPath = new Map<string, ResourceDefinition>();

  constructor() {
    for (const definition of builtinResources) this.add(definition);
  }

  /** Registers a custom resource; re-registering the same group/version/plural replaces it. */
  register(config: CustomResourceConfig): ResourceDefinition {
    const definition = customResourceDefinition(config);
    this.add(definition);
    return definition;
  }

  /** Removes a custom resource (e.g. when its CRD is deleted). */
  unregister(group: string, version: string, plural: string): void {
    const existing = this.byPath.get(key(group, version, plural));
    if (existing?.custom === true) this.byPath.delete(key(group, version, plural));
  }

  find(group: string, version: string, plural: string): ResourceDefinition | undefined {
    return this.byPath.get(key(group, version, plural));
  }

  /**
   * Resolves what tests pass to `get`/`list`: a plural (`configmaps`, core group first),
   * `plural.group` (`leases.coordination.k8s.io`) or a definition-like object.
   */
  resolve(
    resource: string | { group: string; version: string; plural: string },
  ): ResourceDefinition {
    if (typeof resource !== 'string') {
      const found = this.find(resource.group, resource.version, resource.plural);
      if (found === undefined) {
        throw new TypeError(
          `unknown resource ${resource.plural}.${resource.group}/${resource.version}`,
        );
      }
      return found;
    }
    const dot = resource.indexOf('.');
    const plural = dot === -1 ? resource : resource.slice(0, dot);
    const group = dot === -1 ? '' : resource.slice(dot + 1);
    const candidates = this.all().filter((d) => d.plural === plural && d.group === group);
    const fallback =
      dot === -1 ? this.all().filter((d) => d.plural === plural) : ([] as ResourceDefinition[]);
    const found = candidates[0] ?? fallback[0];
    if (found === undefined) throw new TypeError(`unknown resource ${resource}`);
    return found;
  }

  all(): ResourceDefinition[] {
    return [...this.byPath.values()];
  }

  groups(): string[] {
    return [...new Set(this.all().map((d) => d.group))].filter((g) => g !== '');
  }

  private add(definition: ResourceDefinition): void {
    this.byPath.set(key(definition.group, definition.version, definition.plural), definition);
  }
}

function key(group: string, version: string, plural: string): string {
  return `${group}/${version}/${plural}`;
}
