/**
 * Errors of every kube-rx package carry this registry symbol, so that guards keep working when a
 * program ends up with two copies of a package (the class identity differs, the symbol does not).
 */
export const KUBE_RX_ERROR = Symbol.for('kube-rx.error');

/** Marks `error` as a kube-rx error of the given class name. */
export function brandError(error: Error, name: string): void {
  Object.defineProperty(error, KUBE_RX_ERROR, { value: name, enumerable: false });
}

/** Whether `value` is a kube-rx error of the class called `name` (works across package copies). */
export function hasErrorBrand(value: unknown, name: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [KUBE_RX_ERROR]?: unknown })[KUBE_RX_ERROR] === name
  );
}
