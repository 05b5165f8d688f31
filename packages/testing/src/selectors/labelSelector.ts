import { badRequest } from '../status.js';

type Requirement =
  | { op: 'equals'; key: string; value: string }
  | { op: 'notEquals'; key: string; value: string }
  | { op: 'in'; key: string; values: ReadonlySet<string> }
  | { op: 'notIn'; key: string; values: ReadonlySet<string> }
  | { op: 'exists'; key: string }
  | { op: 'doesNotExist'; key: string };

/** A parsed label selector: a conjunction of requirements. Matches labels maps. */
export interface LabelSelector {
  readonly empty: boolean;
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

/**
 * Parses a label selector string (`a=b,c!=d,e in (x,y),f notin (z),g,!h`) the way the apiserver
 * does; a malformed one throws a 400 StatusError.
 */
export function parseLabelSelector(selector: string | undefined): LabelSelector {
  const requirements = splitTopLevel(selector ?? '').map(parseRequirement);
  return {
    empty: requirements.length === 0,
    matches: (labels) => requirements.every((r) => matchesRequirement(r, labels ?? {})),
  };
}

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseRequirement(text: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (set !== null) {
    const [, key = '', op, list = ''] = set;
    const values = new Set(
      list
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    );
    return op === 'in'
      ? { op: 'in', key: checkKey(key, text), values }
      : { op: 'notIn', key: checkKey(key, text), values };
  }
  const comparison = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (comparison !== null) {
    const [, key = '', op, value = ''] = comparison;
    return op === '!='
      ? { op: 'notEquals', key: checkKey(key, text), value }
      : { op: 'equals', key: checkKey(key, text), value };
  }
  if (text.startsWith('!'))
    return { op: 'doesNotExist', key: checkKey(text.slice(1).trim(), text) };
  return { op: 'exists', key: checkKey(text, text) };
}

function checkKey(key: string, requirement: string): string {
  if (!KEY.test(key)) {
    throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${requirement}"`);
  }
  return key;
}

function matchesRequirement(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = labels[r.key];
  switch (r.op) {
    case 'equals':
      return has && value === r.value;
    case 'notEquals':
      return !has || value !== r.value;
    case 'in':
      return has && value !== undefined && r.values.has(value);
    case 'notIn':
      return !has || value === undefined || !r.values.has(value);
    case 'exists':
      return has;
    case 'doesNotExist':
      return !has;
  }
}
