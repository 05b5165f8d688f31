import type { FieldError } from '../status.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/**
 * Validates `metadata.name` as the apiserver does: an RFC 1123 subdomain (253 chars), or an
 * RFC 1123 label (63 chars) for namespaces. Returns the field errors (empty when valid).
 */
export function validateObjectName(
  name: string | undefined,
  rule: 'subdomain' | 'label',
): FieldError[] {
  if (name === undefined || name === '') {
    return [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ];
  }
  const max = rule === 'label' ? 63 : 253;
  const errors: FieldError[] = [];
  if (name.length > max) {
    errors.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": must be no more than ${max} characters`,
    });
  }
  const pattern = rule === 'label' ? LABEL : SUBDOMAIN;
  if (!pattern.test(name)) {
    errors.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": ${rule === 'label' ? LABEL_MESSAGE : SUBDOMAIN_MESSAGE}`,
    });
  }
  return errors;
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `generateName` plus 5 random characters from the apiserver's alphabet. */
export function generatedName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  }
  return prefix + suffix;
}
