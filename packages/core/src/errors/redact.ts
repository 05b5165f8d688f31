const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Authorization headers and bearer tokens wherever they are quoted.
  [/(bearer\s+)[A-Za-z0-9\-._~+/=]+/gi, '$1[REDACTED]'],
  [/(authorization["']?\s*[:=]\s*["']?)(?!bearer)[^"',\s}]+/gi, '$1[REDACTED]'],
  // Token-like query parameters and JSON fields.
  [
    /((?:access_token|token|id-token|client-secret|password)["']?\s*[:=]\s*["']?)[^"'&,\s}]+/gi,
    '$1[REDACTED]',
  ],
  // PEM blocks (client keys, certificates).
  [/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, '[REDACTED PEM]'],
  // JWTs that appear on their own.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, '[REDACTED JWT]'],
];

/**
 * Removes bearer tokens, authorization headers, token fields, JWTs and PEM key material from a
 * text, so that error messages and logs never carry credentials.
 */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_PATTERNS)
    result = result.replace(pattern, replacement);
  return result;
}
