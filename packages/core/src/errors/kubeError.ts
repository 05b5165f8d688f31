import { isApiError, type ApiError } from './apiError.js';
import { isHttpError, type HttpError } from './httpError.js';
import { isSerdeError, type SerdeError } from './serdeError.js';

/** Every error the client and Api layers produce. Narrow on `kind` (`'Http' | 'Api' | 'Serde'`). */
export type KubeError = HttpError | ApiError | SerdeError;

/** Whether `value` is one of the client/Api layer errors ({@link KubeError}). */
export function isKubeError(value: unknown): value is KubeError {
  return isHttpError(value) || isApiError(value) || isSerdeError(value);
}
