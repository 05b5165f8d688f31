import type { Static, TObject, TSchema } from 'typebox';
import { Type } from './typeBox.js';
import type { ApiResource } from '../client/apiResource.js';
import type { CustomResourceDefinition } from '../client/builtinResources.js';
import type { KubeObject, ObjectMeta } from '../client/types.js';
import { customResourceDefinition } from './customResourceDefinition.js';
import { objectDecoder } from './objectDecoder.js';
import { structuralSchema, type JsonSchema } from './structuralSchema.js';

/** An `additionalPrinterColumns` entry: a column of `kubectl get`. */
export interface PrinterColumn {
  /** Column header, e.g. `Ready`. */
  name: string;
  /** How the value is shown. */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** JSONPath into the object, e.g. `.spec.replicas` or `.status.conditions[?(@.type=="Ready")].status`. */
  jsonPath: string;
  /** Shown by `kubectl explain`-like tools. */
  description?: string;
  /** OpenAPI format of the value, e.g. `int32`. */
  format?: string;
  /** `0` (default): always shown; higher: only with `kubectl get -o wide`. */
  priority?: number;
}

/** Options of {@link defineCustomResource}. */
export interface CustomResourceConfig<
  Spec extends TObject,
  Status extends TObject | undefined = undefined,
> {
  /** API group, a DNS subdomain, e.g. `example.com`. */
  group: string;
  /** Version within the group, e.g. `v1` or `v1alpha1`. */
  version: string;
  /** Kind, UpperCamelCase, e.g. `Widget`. */
  kind: string;
  /** Lower-case plural used in URLs. Default: the kind in lower case plus `s` (`es`, `ies` as English wants). */
  plural?: string;
  /** Lower-case singular. Default: the kind in lower case. */
  singular?: string;
  /** Whether objects live in a namespace (`scope: Namespaced`) or at cluster scope. */
  namespaced: boolean;
  /** TypeBox schema of `spec` (required in every object). */
  spec: Spec;
  /** TypeBox schema of `status`, optional in objects; with it, the CRD has a status subresource. */
  status?: Status;
  /** Extra columns of `kubectl get`. Default: none (kubectl shows name and age). */
  printerColumns?: readonly PrinterColumn[];
  /** Short names for kubectl, e.g. `['wd']`. */
  shortNames?: readonly string[];
  /** Categories for kubectl, e.g. `['all']`. */
  categories?: readonly string[];
  /** Whether this version is served. Default `true`. */
  served?: boolean;
  /**
   * Whether this version is the one etcd stores. With one version: always (default `true`);
   * when several definitions of the same kind make one CRD, exactly one must say `true`.
   */
  storage?: boolean;
  /** Marks the version deprecated (kubectl warns). Default `false`. */
  deprecated?: boolean;
}

/** The object type of a custom resource with `spec` of type `Spec` and `status` of type `Status`. */
export type CustomObject<Spec, Status = never> = KubeObject & {
  /** Always present on objects read from the server. */
  metadata: ObjectMeta;
  /** The desired state. */
  spec: Spec;
} & ([Status] extends [never]
    ? unknown
    : {
        /** The observed state, written by the controller. */
        status?: Status;
      });

/** The object type {@link defineCustomResource} derives from its schemas. */
export type CustomObjectOf<Spec extends TObject, Status extends TObject | undefined> = CustomObject<
  Static<Spec>,
  Status extends TObject ? Static<Status> : never
>;

/** A custom resource defined by {@link defineCustomResource}: an `ApiResource<K>` that can describe and check itself. */
export interface CustomResource<K extends KubeObject> extends ApiResource<K> {
  /** Lower-case singular name. */
  readonly singular: string;
  /** The options the resource was defined with (schemas included). */
  readonly config: Readonly<CustomResourceConfig<TObject, TObject | undefined>>;
  /** The structural OpenAPI v3 schema of the whole object, as the CRD has it. */
  readonly openAPIV3Schema: JsonSchema;
  /**
   * Checks an object against the schemas with a compiled validator; returns it (no copy) or
   * throws a `SerdeError` with the JSONPath of the first mismatch and the object's ref.
   */
  readonly decode: (object: unknown) => K;
  /** The apiextensions.k8s.io/v1 CustomResourceDefinition serving this version alone. */
  crdManifest(): CustomResourceDefinition;
}

/**
 * Defines a custom resource from TypeBox schemas — one definition for the TypeScript type, the
 * CustomResourceDefinition and the validator, as kube-rs's `#[derive(CustomResource)]` does from
 * a struct. The result is an `ApiResource` carrying the object type, so `Api.namespaced(kc,
 * Widget, ns)` is an `Api<Widget>`, and an `Api` of it decodes every object it reads: a LIST or
 * WATCH skips (and reports to `onInvalidItem`) an object that does not match, so a watcher,
 * its store and a reconciler never see one.
 *
 * TypeBox builds JSON Schema natively, and `crdManifest()` turns it into the structural schema
 * Kubernetes needs (see `structuralSchema`). Conversion webhooks are out of scope: several
 * versions make one CRD (`customResourceDefinition(v1, v2)`) with one storage version and the
 * default `None` conversion, which only rewrites `apiVersion`.
 *
 * @throws TypeError for bad names, a `spec`/`status` that is not an object schema, or a schema
 *   without a structural form (the message names the field).
 *
 * @example
 * ```ts
 * import { Type } from 'typebox';
 *
 * export const Widget = defineCustomResource({
 *   group: 'example.com',
 *   version: 'v1',
 *   kind: 'Widget',
 *   namespaced: true,
 *   spec: Type.Object({ size: Type.Integer({ minimum: 1 }) }),
 *   status: Type.Object({ ready: Type.Optional(Type.Boolean()) }),
 *   printerColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
 * });
 * export type Widget = ObjectOf<typeof Widget>; // { metadata; spec: { size: number }; status?: { ready?: boolean } }
 *
 * const widgets = Api.namespaced(kc, Widget, 'default'); // Api<Widget>
 * console.log(JSON.stringify(Widget.crdManifest()));
 * ```
 */
export function defineCustomResource<
  Spec extends TObject,
  Status extends TObject | undefined = undefined,
>(config: CustomResourceConfig<Spec, Status>): CustomResource<CustomObjectOf<Spec, Status>> {
  checkConfig(config);
  const kind = config.kind;
  const plural = config.plural ?? pluralOf(kind);
  const singular = config.singular ?? kind.toLowerCase();
  const openAPIV3Schema = rootSchema(config);
  const status = config.status;
  const decode = objectDecoder<CustomObjectOf<Spec, Status>>(
    kind,
    Type.Object({
      metadata: Type.Object({ name: Type.String() }),
      spec: config.spec,
      ...(status === undefined ? {} : { status: Type.Optional(status as TSchema) }),
    }),
  );
  const resource: CustomResource<CustomObjectOf<Spec, Status>> = {
    group: config.group,
    version: config.version,
    kind,
    plural,
    namespaced: config.namespaced,
    singular,
    config: Object.freeze({ ...config }) as CustomResource<KubeObject>['config'],
    openAPIV3Schema,
    decode,
    crdManifest: () => customResourceDefinition(resource),
  };
  return Object.freeze(resource);
}

/** The whole object's structural schema: `apiVersion`, `kind`, `metadata`, `spec`, `status`. */
function rootSchema(config: CustomResourceConfig<TObject, TObject | undefined>): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: structuralSchema(config.spec as unknown as JsonSchema, '.spec'),
  };
  if (config.status !== undefined) {
    properties.status = structuralSchema(config.status as unknown as JsonSchema, '.status');
  }
  return { type: 'object', required: ['spec'], properties };
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function checkConfig(config: CustomResourceConfig<TObject, TObject | undefined>): void {
  if (typeof config !== 'object' || config === null) {
    throw new TypeError('defineCustomResource: expected a config object');
  }
  const { group, version, kind, plural, singular, namespaced } = config;
  if (typeof group !== 'string' || !DNS_SUBDOMAIN.test(group) || !group.includes('.')) {
    throw new TypeError(
      `defineCustomResource: group must be a DNS subdomain with a dot, e.g. example.com (got ${JSON.stringify(group)})`,
    );
  }
  if (typeof version !== 'string' || !DNS_LABEL.test(version)) {
    throw new TypeError(
      `defineCustomResource: version must be a DNS label such as v1 or v1alpha1 (got ${JSON.stringify(version)})`,
    );
  }
  if (typeof kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    throw new TypeError(
      `defineCustomResource: kind must be UpperCamelCase, e.g. Widget (got ${JSON.stringify(kind)})`,
    );
  }
  for (const [field, value] of [
    ['plural', plural],
    ['singular', singular],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || !DNS_LABEL.test(value))) {
      throw new TypeError(
        `defineCustomResource: ${field} must be a lower-case DNS label (got ${JSON.stringify(value)})`,
      );
    }
  }
  if (typeof namespaced !== 'boolean') {
    throw new TypeError('defineCustomResource: namespaced must be a boolean');
  }
  for (const field of ['spec', 'status'] as const) {
    const schema = config[field] as JsonSchema | undefined;
    if (schema === undefined && field === 'status') continue;
    if (typeof schema !== 'object' || schema === null || schema.type !== 'object') {
      throw new TypeError(
        `defineCustomResource: ${field} must be an object schema (Type.Object({...}))`,
      );
    }
  }
}

/** English plural of a kind, lower case: Widget → widgets, Policy → policies, Box → boxes. */
function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}
