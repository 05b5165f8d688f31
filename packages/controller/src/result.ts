// ts-results ships CommonJS whose named exports Node's ESM loader cannot detect, so the values
// are taken from the default export once, here, and re-exported for the package's own modules.
import tsResults from 'ts-results';
import type { Err as ErrVariant, Ok as OkVariant } from 'ts-results';

export type { Result } from 'ts-results';

/** ts-results `Ok`: wraps a success value. */
export const Ok = tsResults.Ok;
/** ts-results `Err`: wraps an error. */
export const Err = tsResults.Err;
/** The `Ok` variant type. */
export type Ok<T> = OkVariant<T>;
/** The `Err` variant type. */
export type Err<E> = ErrVariant<E>;
