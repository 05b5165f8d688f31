import { isPlainObject } from '../patch/mergePatch.js';
import { invalid } from '../status.js';

const OPTIONS_KIND = {
  create: 'CreateOptions',
  update: 'UpdateOptions',
  patch: 'PatchOptions',
  delete: 'DeleteOptions',
} as const;

/**
 * Whether a write is a dry run: `?dryRun=All` (or, for DELETE, `dryRun: ["All"]` in the
 * DeleteOptions body). Any other value is a 422 Invalid on the verb's options kind
 * (`CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value...`), as the apiserver
 * answers.
 */
export function isDryRun(
  verb: keyof typeof OPTIONS_KIND,
  query: Readonly<Record<string, string>>,
  deleteOptions?: unknown,
): boolean {
  const values: string[] = [];
  if (query.dryRun !== undefined) values.push(query.dryRun);
  if (isPlainObject(deleteOptions) && Array.isArray(deleteOptions.dryRun)) {
    values.push(...deleteOptions.dryRun.map(String));
  }
  const unsupported = values.filter((value) => value !== 'All');
  if (unsupported.length > 0) {
    const list = unsupported.map((value) => JSON.stringify(value)).join(', ');
    throw invalid({ group: 'meta.k8s.io', plural: '', kind: OPTIONS_KIND[verb] }, '', [
      {
        reason: 'FieldValueNotSupported',
        field: 'dryRun',
        message: `Unsupported value: []string{${list}}: supported values: "All"`,
      },
    ]);
  }
  return values.length > 0;
}
