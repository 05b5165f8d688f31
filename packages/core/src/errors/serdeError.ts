import type { ObjectRef } from '../client/objectRef.js';
import { brandError, hasErrorBrand } from './kubeErrorBrand.js';
import { redactSecrets } from './redact.js';

const SNIPPET_LENGTH = 200;

/** Structured payload of a {@link SerdeError}. */
export interface SerdeErrorInit {
  /** The text that could not be decoded; only its first 200 characters are kept. */
  body?: string | undefined;
  /** The underlying error, e.g. the `SyntaxError` from `JSON.parse`, kept as the ES2022 `cause`. */
  cause?: unknown;
  /**
   * Where an object does not match its schema, as a JSONPath from the object's root, e.g.
   * `.spec.replicas` or `.spec.items[2].name` (`''` for the root itself).
   */
  path?: string | undefined;
  /** The object that does not match its schema, when it has a name. */
  ref?: ObjectRef | undefined;
}

/**
 * A response (or one watch line) was not the JSON expected: unparsable, not the shape of a
 * Kubernetes object (no `metadata`, unknown watch event type, ...), or an object that does not
 * match its resource's schema (`ApiResource.decode`, e.g. of a `defineCustomResource` kind):
 * then `path` says which field and `ref` which object.
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
  /** JSONPath of the field that does not match the schema (`.spec.replicas`); absent otherwise. */
  readonly path: string | undefined;
  /** The object that does not match its schema; absent otherwise. */
  readonly ref: ObjectRef | undefined;

  constructor(message: string, init: SerdeErrorInit = {}) {
    super(redactSecrets(message), init.cause === undefined ? undefined : { cause: init.cause });
    this.bodySnippet =
      init.body === undefined ? undefined : redactSecrets(init.body.slice(0, SNIPPET_LENGTH));
    this.path = init.path;
    this.ref = init.ref;
    brandError(this, 'SerdeError');
  }

  /**
   * A plain object for structured logs and `JSON.stringify`: `name`, `kind`, `message`,
   * `bodySnippet`, and `path` and `ref` when set. Leaves out `stack` and `cause`.
   */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      bodySnippet: this.bodySnippet,
      ...(this.path === undefined ? {} : { path: this.path }),
      ...(this.ref === undefined ? {} : { ref: this.ref }),
    };
  }
}

/** Whether `value` is a {@link SerdeError} (from any copy of `@kube-rx/core`). */
export function isSerdeError(value: unknown): value is SerdeError {
  return hasErrorBrand(value, 'SerdeError');
}
