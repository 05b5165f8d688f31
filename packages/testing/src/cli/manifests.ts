import type { KubeObject } from '@kube-rx/core';
import { loadAll, YAML11_SCHEMA, YAMLException } from 'js-yaml';
import { readFileSync } from 'node:fs';

/** One object read from a manifest file, with where it came from (for error messages). */
export interface Manifest {
  object: KubeObject;
  /** `file.yaml#2`: the file and the 1-based document (or `List` item) it was read from. */
  origin: string;
}

/**
 * The Kubernetes objects of a YAML (or JSON) text, as `kubectl apply -f` reads a file: every
 * document in order, empty documents skipped, a `List` (`kind: List` or any `…List` with `items`)
 * flattened into its items. YAML 1.1 like the API server's YAML bodies. Throws an `Error` whose
 * message is one line (`file:line:column: reason`, or `file#N: …` for a document that is not an
 * object with `apiVersion` and `kind`).
 */
export function parseManifests(text: string, file: string): Manifest[] {
  let documents: unknown[];
  try {
    documents = loadAll(text, { schema: YAML11_SCHEMA });
  } catch (error) {
    if (error instanceof YAMLException) {
      const where = error.mark ? `:${error.mark.line + 1}:${error.mark.column + 1}` : '';
      throw new Error(`${file}${where}: invalid YAML: ${error.reason}`, { cause: error });
    }
    throw error;
  }
  const manifests: Manifest[] = [];
  documents.forEach((document, index) => {
    if (document === null || document === undefined) return;
    const origin = `${file}#${index + 1}`;
    const object = asKubeObject(document, origin);
    if (object.kind?.endsWith('List') && Array.isArray((object as { items?: unknown }).items)) {
      const items = (object as { items: unknown[] }).items;
      items.forEach((item, itemIndex) => {
        const itemOrigin = `${origin} items[${itemIndex}]`;
        manifests.push({ object: asKubeObject(item, itemOrigin), origin: itemOrigin });
      });
      return;
    }
    manifests.push({ object, origin });
  });
  return manifests;
}

/** {@link parseManifests} of a file; a missing or unreadable file is a one-line `Error` too. */
export function readManifests(file: string): Manifest[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: cannot read (${code ?? (error as Error).message})`, {
      cause: error,
    });
  }
  return parseManifests(text, file);
}

/** Whether `object` is an apiextensions.k8s.io/v1 CustomResourceDefinition. */
export function isCustomResourceDefinition(object: KubeObject): boolean {
  return (
    object.apiVersion === 'apiextensions.k8s.io/v1' && object.kind === 'CustomResourceDefinition'
  );
}

function asKubeObject(value: unknown, origin: string): KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${origin}: not a Kubernetes object (a mapping with apiVersion and kind)`);
  }
  const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    throw new Error(`${origin}: no apiVersion`);
  }
  if (typeof kind !== 'string' || kind === '') throw new Error(`${origin}: no kind`);
  return value as KubeObject;
}
