import type { KubeObject } from '@kube-rx/core';
import type { ResourceDefinition } from '../resources/resourceDefinition.js';

/**
 * One immutable version of an object as stored, with its JSON cached: an object is serialised
 * once, however many LIST responses and watchers send it.
 */
export class StoredObject {
  readonly object: KubeObject;
  readonly definition: ResourceDefinition;
  private cachedJson: string | undefined;
  private cachedItemJson: string | undefined;
  private cachedMetadataJson: string | undefined;

  constructor(object: KubeObject, definition: ResourceDefinition) {
    this.object = object;
    this.definition = definition;
  }

  get name(): string {
    return this.object.metadata?.name ?? '';
  }

  get namespace(): string | undefined {
    return this.object.metadata?.namespace;
  }

  /** Storage key: `namespace/name` or `name`, which also gives the apiserver's list order. */
  get key(): string {
    const namespace = this.namespace;
    return namespace === undefined ? this.name : `${namespace}/${this.name}`;
  }

  get resourceVersion(): string {
    return this.object.metadata?.resourceVersion ?? '0';
  }

  /** The full object as JSON (with `kind` and `apiVersion`), as GET and watch events send it. */
  get json(): string {
    this.cachedJson ??= JSON.stringify(this.object);
    return this.cachedJson;
  }

  /**
   * The object as a LIST item: built-in kinds drop `kind`/`apiVersion` (the list carries them),
   * custom resources keep them, as the apiserver does.
   */
  get itemJson(): string {
    if (this.cachedItemJson !== undefined) return this.cachedItemJson;
    const json = this.json;
    if (this.definition.custom) return (this.cachedItemJson = json);
    const prefix = JSON.stringify({ kind: this.object.kind, apiVersion: this.object.apiVersion });
    const head = prefix.slice(0, -1) + ',';
    this.cachedItemJson = json.startsWith(head) ? '{' + json.slice(head.length) : json;
    return this.cachedItemJson;
  }

  /** The object as a `PartialObjectMetadata` (meta.k8s.io/v1). */
  get metadataJson(): string {
    this.cachedMetadataJson ??= JSON.stringify({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: this.object.metadata,
    });
    return this.cachedMetadataJson;
  }

  /** A deep copy the caller may mutate. */
  clone(): KubeObject {
    return structuredClone(this.object);
  }
}
