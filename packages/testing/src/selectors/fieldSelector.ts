import { badRequest } from '../status.js';

/** A parsed field selector: a conjunction of `path=value` / `path!=value` terms. */
export interface FieldSelector {
  readonly empty: boolean;
  matches(object: unknown): boolean;
}

interface Term {
  path: readonly string[];
  value: string;
  negate: boolean;
}

/**
 * Parses a field selector (`metadata.name=x,metadata.namespace!=y`). Any dotted path is
 * accepted (the apiserver allows only a per-kind list); values compare as strings, and a missing
 * field compares as `''`.
 */
export function parseFieldSelector(selector: string | undefined): FieldSelector {
  const terms = (selector ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map(parseTerm);
  return {
    empty: terms.length === 0,
    matches: (object) => terms.every((t) => (fieldValue(object, t.path) === t.value) !== t.negate),
  };
}

function parseTerm(text: string): Term {
  const match = /^([^=!]+)(==|=|!=)(.*)$/.exec(text);
  if (match === null) throw badRequest(`invalid selector: '${text}'; can't understand '${text}'`);
  const [, path = '', op, value = ''] = match;
  return { path: path.trim().split('.'), value: value.trim(), negate: op === '!=' };
}

function fieldValue(object: unknown, path: readonly string[]): string {
  let current: unknown = object;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return '';
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'string' ? current : JSON.stringify(current);
}
