import { brandError, hasErrorBrand } from './kubeErrorBrand.js';
import { redactSecrets } from './redact.js';

const SNIPPET_LENGTH = 200;

/** Structured payload of a {@link SerdeError}. */
export interface SerdeErrorInit {
  /** The text that could not be decoded; only its first 200 characters are kept. */
  body?: string | undefined;
  /** The underlying error, e.g. the `SyntaxError` from `JSON.parse`, kept as the ES2022 `cause`. */
  cause?: unknown;
}

/**
 * A response (or one watch line) was not the JSON expected: unparsable, or not the shape of a
 * Kubernetes object (no `metadata`, unknown watch event type, ...).
 *
 * Retryable: `'permanent'` for a single call; a watcher treats it as a soft error (`WatchFailed`)
 * and resumes from the last good resourceVersion.
 */
export class SerdeError extends Error {
  /** Always `'SerdeError'`; survives serialisation and bundling, unlike the class itself. */
  override readonly name = 'SerdeError' as const;
  /** Always `'Serde'`: the {@link KubeError} discriminant. */
  readonly kind = 'Serde' as const;
  /** The start of the offending text (at most 200 characters, secrets removed). */
  readonly bodySnippet: string | undefined;

  constructor(message: string, init: SerdeErrorInit = {}) {
    super(redactSecrets(message), init.cause === undefined ? undefined : { cause: init.cause });
    this.bodySnippet =
      init.body === undefined ? undefined : redactSecrets(init.body.slice(0, SNIPPET_LENGTH));
    brandError(this, 'SerdeError');
  }

  /**
   * A plain object for structured logs and `JSON.stringify`: `name`, `kind`, `message` and
   * `bodySnippet`. Leaves out `stack` and `cause`.
   */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      bodySnippet: this.bodySnippet,
    };
  }
}

/** Whether `value` is a {@link SerdeError} (from any copy of `@kube-rx/core`). */
export function isSerdeError(value: unknown): value is SerdeError {
  return hasErrorBrand(value, 'SerdeError');
}
