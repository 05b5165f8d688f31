import { dump, YAML11_SCHEMA } from 'js-yaml';

/**
 * Objects as one multi-document YAML stream (`---` between documents), as `kubectl apply -f -`
 * reads it. Keys keep their order; long strings are not folded; strings YAML 1.1 would read as
 * booleans or numbers (`True`, `yes`, `0x1`) are quoted, as kubectl reads YAML 1.1.
 *
 * @example
 * ```ts
 * process.stdout.write(manifestYaml([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } }]));
 * ```
 */
export function manifestYaml(objects: readonly object[]): string {
  return objects
    .map((object) =>
      dump(object, { noRefs: true, lineWidth: -1, sortKeys: false, schema: YAML11_SCHEMA }),
    )
    .map((document) => `---\n${document}`)
    .join('');
}
