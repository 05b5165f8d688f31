import type { TSchema } from 'typebox';
import type { ObjectRef } from '../client/objectRef.js';
import { SerdeError } from '../errors/serdeError.js';
import { compileSchema } from './typeBox.js';

/**
 * Compiles `schema` once (TypeBox's JIT validator, no schema walking per object) into a decode
 * function: it returns the object itself (no copy) when it matches, and otherwise throws a
 * `SerdeError` whose `path` is the first mismatching field as a JSONPath (`.spec.replicas`),
 * whose `ref` is the object's, and whose message says what was expected.
 *
 * @example
 * ```ts
 * const decode = objectDecoder<{ spec: { size: number } }>('Widget', Type.Object({ spec: Type.Object({ size: Type.Integer() }) }));
 * decode({ metadata: { name: 'w1' }, spec: { size: 3 } }); // ok
 * decode({ metadata: { name: 'w2' }, spec: { size: 'big' } }); // SerdeError: Widget w2: .spec.size must be integer
 * ```
 */
export function objectDecoder<K>(kind: string, schema: TSchema): (object: unknown) => K {
  const validator = compileSchema(schema);
  return (object: unknown): K => {
    if (validator.Check(object)) return object as K;
    const errors = validator.Errors(object);
    // The deepest error is the most specific one (a union reports each member, then itself).
    const first = errors.reduce((best, error) =>
      error.instancePath.length > best.instancePath.length ? error : best,
    );
    const path = jsonPath(first?.instancePath ?? '');
    const ref = refOf(object);
    const where =
      ref === undefined ? kind : `${kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new SerdeError(
      `${where} does not match its schema: ${path === '' ? 'the object' : path} ${first?.message ?? 'is invalid'}${more}`,
      { path, ref, body: JSON.stringify(object) ?? String(object) },
    );
  };
}

/** `/spec/items/2/name` → `.spec.items[2].name`; keys that are not identifiers are quoted. */
function jsonPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) =>
      /^\d+$/.test(segment)
        ? `[${segment}]`
        : /^[A-Za-z_$][\w$]*$/.test(segment)
          ? `.${segment}`
          : `[${JSON.stringify(segment)}]`,
    )
    .join('');
}

function refOf(object: unknown): ObjectRef | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const { metadata, kind, apiVersion } = object as {
    metadata?: { name?: unknown; namespace?: unknown; uid?: unknown };
    kind?: unknown;
    apiVersion?: unknown;
  };
  if (typeof metadata?.name !== 'string') return undefined;
  const ref: ObjectRef = { name: metadata.name };
  if (typeof metadata.namespace === 'string' && metadata.namespace !== '')
    ref.namespace = metadata.namespace;
  if (typeof metadata.uid === 'string') ref.uid = metadata.uid;
  if (typeof kind === 'string') ref.kind = kind;
  if (typeof apiVersion === 'string') ref.apiVersion = apiVersion;
  return ref;
}
