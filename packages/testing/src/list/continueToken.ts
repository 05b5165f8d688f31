import { badRequest } from '../status.js';

/** What a continue token carries: the snapshot's resourceVersion (-1: latest) and the next key. */
export interface ContinueToken {
  rv: number;
  start: string;
}

/**
 * Encodes a continue token the way the apiserver does: unpadded base64url of
 * `{"v":"meta.k8s.io/v1","rv":84,"start":"page-2\u0000"}`.
 */
export function encodeContinueToken(token: ContinueToken): string {
  const json = JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start });
  // JSON.stringify leaves U+0000 as \u0000, as Go's encoder does.
  return Buffer.from(json).toString('base64url');
}

/** Decodes a continue token; a malformed one is a 400. */
export function decodeContinueToken(value: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const { v, rv, start } = parsed as Record<string, unknown>;
      if (v === 'meta.k8s.io/v1' && typeof rv === 'number' && typeof start === 'string') {
        return { rv, start };
      }
    }
  } catch {
    // reported below
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}
