import type { KubeConfig } from '@kubernetes/client-node';
import {
  asyncScheduler,
  catchError,
  filter,
  map,
  of,
  throwError,
  type MonoTypeOperatorFunction,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { isApiError } from '../errors/apiError.js';
import { isSerdeError, SerdeError } from '../errors/serdeError.js';
import type { Status } from '../errors/status.js';
import { describeError } from '../logging/describeError.js';
import type { Logger } from '../logging/logger.js';
import { defaultLogger } from '../logging/defaultLogger.js';
import { retryPolicy, type RetryPolicy } from '../operators/retryPolicy.js';
import { apiVersionOf, type ApiResource } from './apiResource.js';
import { discoverResource, type DiscoveryTarget } from './discovery.js';
import { deleteResponse, listResponse, objectResponse, watchResponse } from './apiResponses.js';
import { kubeFetch, serverUrl, type KubeFetchRequest, type ResponseHandler } from './kubeFetch.js';
import { listQuery, resourcePath, watchQuery, writeQuery } from './resourceUrl.js';
import type {
  DeleteParams,
  DynamicObject,
  KubeObject,
  ListParams,
  ObjectList,
  PartialObjectMetadata,
  PatchBody,
  PatchParams,
  PostParams,
  WatchEvent,
  WatchParams,
} from './types.js';
import { Patch } from './types.js';

/** Parameters of {@link Api.apply} and {@link Api.applyStatus}. */
export interface ApplyParams {
  /** Who owns the applied fields, e.g. `widget-operator`; required. */
  fieldManager: string;
  /** Take over fields another manager owns instead of failing with 409. Default `false`. */
  force?: boolean;
  /** Validate and answer without persisting (`dryRun=All`). Default `false`. */
  dryRun?: boolean;
}

/** Options of an {@link Api}. */
export interface ApiConfig {
  /**
   * Client-level retry of every call except `watch`/`watchMetadata` (whose recovery is the
   * watcher's job): `true` applies `retryPolicy()` with its defaults (ApiError 429/503/504, 3
   * retries, 500 ms → 5 s, at least `Retry-After`), an object applies `retryPolicy(policy)`.
   * Each retry is logged at `warn` (and passed to the policy's own `onRetry`).
   * Default `false`: calls fail on the first error, as in kube-rs — add `retryPolicy()` per call
   * where you want it.
   */
  retry?: RetryPolicy | boolean;
  /** Where retries and skipped items are logged. Default: `defaultLogger()` at the time of logging. */
  logger?: Logger;
  /**
   * Called for each item a LIST or WATCH skips because it is malformed, with a `SerdeError`
   * saying why: a watch line that is not JSON or has an unknown event type, an object without
   * `metadata` or without `metadata.name` (in a watch event or a list's `items`), or an object
   * its resource's `decode` rejects (a custom resource that does not match its schema: the error
   * has `path` and `ref`; reported once per object and resourceVersion, however often a relist
   * or re-watch brings it back). The rest of the response is kept. Default: a `warn` line on
   * `logger`.
   */
  onInvalidItem?: (error: SerdeError) => void;
  /**
   * Clock of `Retry-After` dates and scheduler of retry waits (unless the policy has its own).
   * Default `asyncScheduler`.
   */
  scheduler?: SchedulerLike;
}

const PATCH_CONTENT_TYPES: Readonly<Record<PatchBody['type'], string>> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

// How many rejected object versions an Api remembers, so that each is reported only once.
const REPORTED_INVALID_LIMIT = 4096;

const METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const METADATA_ACCEPT =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/**
 * A typed client for one kind of Kubernetes resource, in one namespace, all namespaces, or at
 * cluster scope. Auth, TLS and proxies come from the client-node `KubeConfig`.
 *
 * Every method returns a **cold** Observable: nothing is sent until you subscribe, each
 * subscription sends its own request, and unsubscribing aborts it (the socket is closed). Calls
 * fail with a `KubeError`: `ApiError` for a non-2xx answer (with the server's `Status` and
 * `retryAfterSeconds`), `HttpError` for transport failures (connect, TLS, reset; stage
 * `'request'` before headers, `'body'` after), `SerdeError` for a body that is not the JSON
 * expected. Arguments that can never work (an empty name, an apply patch without
 * `fieldManager`, a single-object call on an all-namespaces `Api` of a namespaced kind) throw a
 * `TypeError` when the method is called.
 *
 * Retryable: see `classify()`; with `retry` in {@link ApiConfig}, 429/503/504 are retried.
 *
 * @example
 * ```ts
 * const kc = new KubeConfig();
 * kc.loadFromDefault();
 * const configMaps = Api.namespaced(kc, ConfigMap, 'default', { retry: true }); // Api<ConfigMap>
 * const cm = await firstValueFrom(configMaps.get('app-config'));
 * configMaps.watch({ resourceVersion: cm.metadata?.resourceVersion ?? '0' }).subscribe((event) => {
 *   console.log(event.type, event.object.metadata?.name);
 * });
 * ```
 */
export class Api<K extends KubeObject> {
  /** The kind this client addresses. */
  readonly resource: ApiResource<K>;
  /** The namespace of every request, or `undefined` for all namespaces / cluster scope. */
  readonly namespace: string | undefined;
  /** The kubeconfig requests are authenticated with (read at every request). */
  readonly kubeConfig: KubeConfig;
  /** The options this client was created with. */
  readonly config: Readonly<ApiConfig>;
  // Applied to every non-watch call: the client-level retry, or identity. Built (and its policy
  // validated) once, when the Api is created.
  private readonly retryOperator: <T>(source: Observable<T>) => Observable<T>;
  private readonly reportInvalid: (error: SerdeError) => void;
  private readonly decodeObject: ((object: unknown) => K) | undefined;
  // Objects whose decode failure was already reported (`uid-or-key@resourceVersion`), oldest first.
  private readonly reportedInvalid = new Set<string>();

  private constructor(
    kubeConfig: KubeConfig,
    resource: ApiResource<K>,
    namespace: string | undefined,
    config: ApiConfig,
  ) {
    serverUrl(kubeConfig);
    checkResource(resource);
    if (config.scheduler !== undefined && typeof config.scheduler.now !== 'function') {
      throw new TypeError('Api: scheduler must be an RxJS SchedulerLike');
    }
    this.kubeConfig = kubeConfig;
    this.resource = resource;
    this.namespace = namespace;
    this.config = config;
    this.retryOperator = makeRetryOperator(config);
    if (config.onInvalidItem !== undefined && typeof config.onInvalidItem !== 'function') {
      throw new TypeError('Api: onInvalidItem must be a function');
    }
    if (resource.decode !== undefined && typeof resource.decode !== 'function') {
      throw new TypeError('Api: resource.decode must be a function');
    }
    this.decodeObject = resource.decode;
    const onInvalidItem = config.onInvalidItem;
    const logger = config.logger;
    this.reportInvalid =
      onInvalidItem ??
      ((error: SerdeError) =>
        (logger ?? defaultLogger()).warn('skipped a malformed item', {
          component: 'api',
          resource: resource.plural,
          error: describeError(error),
        }));
  }

  /**
   * A client for a namespaced kind in one namespace.
   *
   * @throws TypeError when `resource` is cluster-scoped, `namespace` is empty, or `kubeConfig`
   *   has no current cluster.
   *
   * @example
   * ```ts
   * const pods = Api.namespaced(kc, Pod, 'default'); // Api<Pod>
   * ```
   */
  static namespaced<K extends KubeObject>(
    kubeConfig: KubeConfig,
    resource: ApiResource<K>,
    namespace: string,
    config: ApiConfig = {},
  ): Api<K> {
    checkResource(resource);
    if (!resource.namespaced) {
      throw new TypeError(
        `${resource.kind} is cluster-scoped: use Api.cluster(...) or Api.all(...)`,
      );
    }
    if (
      typeof namespace !== 'string' ||
      namespace === '' ||
      namespace === '.' ||
      namespace === '..'
    ) {
      throw new TypeError('Api.namespaced: namespace must be a non-empty string');
    }
    return new Api<K>(kubeConfig, resource, namespace, config);
  }

  /**
   * A client for a kind across all namespaces (or of a cluster-scoped kind). Lists and watches
   * span every namespace; single-object calls on a namespaced kind need `inNamespace(ns)` (create
   * and replace also accept the object's `metadata.namespace`).
   *
   * @throws TypeError when `kubeConfig` has no current cluster.
   *
   * @example
   * ```ts
   * const allPods = Api.all(kc, Pod);
   * allPods.list({ labelSelector: 'app=web' }).subscribe((list) => console.log(list.items.length));
   * ```
   */
  static all<K extends KubeObject>(
    kubeConfig: KubeConfig,
    resource: ApiResource<K>,
    config: ApiConfig = {},
  ): Api<K> {
    return new Api<K>(kubeConfig, resource, undefined, config);
  }

  /**
   * A client for a cluster-scoped kind (Namespace, Node, CustomResourceDefinition, ...).
   *
   * @throws TypeError when `resource` is namespaced or `kubeConfig` has no current cluster.
   *
   * @example
   * ```ts
   * const namespaces = Api.cluster(kc, Namespace);
   * ```
   */
  static cluster<K extends KubeObject>(
    kubeConfig: KubeConfig,
    resource: ApiResource<K>,
    config: ApiConfig = {},
  ): Api<K> {
    checkResource(resource);
    if (resource.namespaced) {
      throw new TypeError(
        `${resource.kind} is namespaced: use Api.namespaced(...) or Api.all(...)`,
      );
    }
    return new Api<K>(kubeConfig, resource, undefined, config);
  }

  /**
   * A client for a kind known only by `apiVersion` and `kind` (from a manifest, a user, an
   * ownerReference): its plural and scope come from the server's discovery endpoint
   * (`/api/v1`, `/apis/<group>/<version>`), cached per API server and refreshed when a kind is
   * missing (a CRD installed since). Objects are {@link DynamicObject}s unless you name a type.
   * With `namespace`, a namespaced kind gets a client in that namespace; without, all
   * namespaces (or cluster scope).
   *
   * @throws TypeError (synchronously, as a rejected Promise) for a malformed `apiVersion`/`kind`,
   *   or a `namespace` for a cluster-scoped kind.
   * Rejects with `ApiError` 404 when the server does not serve the kind.
   *
   * @example
   * ```ts
   * const anything = await Api.discover(kc, { apiVersion: 'example.com/v1', kind: 'Widget' }, 'default');
   * const list = await firstValueFrom(anything.list());
   * for (const object of list.items) console.log(object.kind, object.metadata?.name, object.spec);
   * ```
   */
  static async discover<K extends KubeObject = DynamicObject>(
    kubeConfig: KubeConfig,
    target: DiscoveryTarget,
    namespace?: string,
    config: ApiConfig = {},
  ): Promise<Api<K>> {
    serverUrl(kubeConfig);
    const resource = await discoverResource(kubeConfig, target, config.scheduler ?? asyncScheduler);
    const typed: ApiResource<K> = resource;
    if (namespace === undefined) return Api.all<K>(kubeConfig, typed, config);
    if (!resource.namespaced) {
      throw new TypeError(
        `${resource.kind} is cluster-scoped: call Api.discover without a namespace`,
      );
    }
    return Api.namespaced<K>(kubeConfig, typed, namespace, config);
  }

  /**
   * The same client (kubeconfig, options) scoped to another namespace.
   *
   * @throws TypeError when the kind is cluster-scoped or `namespace` is empty.
   *
   * @example
   * ```ts
   * const kubeSystemPods = Api.all(kc, Pod).inNamespace('kube-system');
   * ```
   */
  inNamespace(namespace: string): Api<K> {
    return Api.namespaced<K>(this.kubeConfig, this.resource, namespace, this.config);
  }

  /**
   * Reads one object. Fails with `ApiError` 404 when it does not exist (see {@link getOpt}).
   *
   * @example
   * ```ts
   * const pod = await firstValueFrom(pods.get('web-0'));
   * ```
   */
  get(name: string): Observable<K> {
    const path = resourcePath(this.resource, this.singleNamespace(), checkName(name));
    return this.decoded(this.call({ method: 'GET', path }, objectResponse<K>));
  }

  /**
   * Reads one object, or emits `undefined` when the server answers 404.
   *
   * @example
   * ```ts
   * const cm = await firstValueFrom(configMaps.getOpt('maybe'));
   * if (cm === undefined) console.log('not there');
   * ```
   */
  getOpt(name: string): Observable<K | undefined> {
    return this.get(name).pipe(
      catchError((error: unknown) =>
        isApiError(error, 404) ? of(undefined) : throwError(() => error),
      ),
    );
  }

  /**
   * Lists objects (one page when `limit` is set: pass `metadata.continue` back as `continue`).
   * `resourceVersion: '0'` lets the server answer from its cache. A body that is not JSON fails
   * with a `SerdeError`; an item without `metadata.name` is left out and reported to
   * `onInvalidItem`.
   *
   * @example
   * ```ts
   * const page = await firstValueFrom(pods.list({ labelSelector: 'app=web', limit: 500 }));
   * const next = page.metadata.continue;
   * ```
   */
  list(params: ListParams = {}): Observable<ObjectList<K>> {
    const path = resourcePath(this.resource, this.namespace) + listQuery(params);
    const list$ = this.call({ method: 'GET', path }, this.listReader<K>());
    const decode = this.decodeObject;
    if (decode === undefined) return list$;
    return list$.pipe(
      map((list) => {
        const items: K[] = [];
        for (const item of list.items) {
          const decoded = this.decodeOrReport(item, decode);
          if (decoded !== undefined) items.push(decoded);
        }
        return { ...list, items };
      }),
    );
  }

  /**
   * Lists only the metadata of objects (`PartialObjectMetadataList`): much less to transfer and
   * keep than whole objects when only names, labels or owners matter.
   *
   * @example
   * ```ts
   * const owners = await firstValueFrom(secrets.listMetadata({ labelSelector: 'owned-by=me' }));
   * ```
   */
  listMetadata(params: ListParams = {}): Observable<ObjectList<PartialObjectMetadata>> {
    const path = resourcePath(this.resource, this.namespace) + listQuery(params);
    return this.call(
      { method: 'GET', path, accept: METADATA_LIST_ACCEPT },
      this.listReader<PartialObjectMetadata>(),
    );
  }

  /**
   * Creates an object. In an all-namespaces `Api` of a namespaced kind the object's
   * `metadata.namespace` says where.
   *
   * @example
   * ```ts
   * const created = await firstValueFrom(configMaps.create({ metadata: { name: 'app' }, data: {} }));
   * ```
   */
  create(object: K, params: PostParams = {}): Observable<K> {
    const namespace = this.singleNamespace(object);
    const body = JSON.stringify(withTypeMeta(object, this.resource));
    const path = resourcePath(this.resource, namespace) + writeQuery(params);
    return this.decoded(this.call({ method: 'POST', path, body }, objectResponse<K>));
  }

  /**
   * Replaces an object (PUT). Include `metadata.resourceVersion` for optimistic concurrency: a
   * stale one fails with `ApiError` 409 Conflict.
   *
   * @example
   * ```ts
   * const current = await firstValueFrom(configMaps.get('app'));
   * configMaps.replace('app', { ...current, data: { mode: 'fast' } });
   * ```
   */
  replace(name: string, object: K, params: PostParams = {}): Observable<K> {
    return this.put(name, object, params, undefined);
  }

  /**
   * Replaces the `status` subresource of an object (PUT `.../status`).
   *
   * @example
   * ```ts
   * widgets.replaceStatus('w1', { ...widget, status: { ready: true } });
   * ```
   */
  replaceStatus(name: string, object: K, params: PostParams = {}): Observable<K> {
    return this.put(name, object, params, 'status');
  }

  /**
   * Patches an object. Build the body with `Patch.merge`, `Patch.json`, `Patch.strategic` or
   * `Patch.apply` (server-side apply: `fieldManager` is required, `force` takes over conflicting
   * fields; the body is sent as JSON, which is valid YAML).
   *
   * @throws TypeError for an apply patch without `fieldManager`, or `force` on another patch type.
   *
   * @example
   * ```ts
   * pods.patch('web-0', Patch.merge({ metadata: { labels: { tier: 'web' } } }));
   * const desired = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } };
   * widgets.patch('w1', Patch.apply(desired), { fieldManager: 'widget-operator', force: true });
   * ```
   */
  patch(name: string, patch: PatchBody, params: PatchParams = {}): Observable<K> {
    return this.patchAt(name, patch, params, undefined);
  }

  /**
   * Server-side apply (PATCH `application/apply-patch+yaml`): sends `object` as the full intent
   * of `fieldManager` — the fields it sets are owned by that manager, fields it no longer sets
   * are removed if no one else owns them, and the object is created when it does not exist.
   * The normal way for a controller to write the objects it owns: no read-modify-write, no
   * resourceVersion, no 409 from unrelated writers. `force: true` takes over fields another
   * manager owns (what a controller usually wants for its own objects); without it, such a
   * conflict fails with `ApiError` 409. `apiVersion`/`kind` are filled in when missing.
   *
   * @throws TypeError when `fieldManager` is missing or `object` has no `metadata.name`.
   *
   * @example
   * ```ts
   * await lastValueFrom(
   *   configMaps.apply(
   *     { metadata: { name: 'app', ownerReferences: [controllerOwnerRef(widget, WidgetResource)] }, data: { mode: 'fast' } },
   *     { fieldManager: 'widget-operator', force: true },
   *   ),
   * );
   * ```
   */
  apply(object: K, params: ApplyParams): Observable<K> {
    return this.applyAt(object, params, undefined);
  }

  /**
   * Server-side apply of the `status` subresource: `object` needs `apiVersion`/`kind` (filled
   * in when missing), `metadata.name` and the `status` fields this manager owns; the rest of
   * the object may be left out. Same rules as {@link Api.apply}.
   *
   * @example
   * ```ts
   * widgets.applyStatus(
   *   { metadata: { name: 'w1' }, status: { ready: true } },
   *   { fieldManager: 'widget-operator', force: true },
   * );
   * ```
   */
  applyStatus(object: Partial<K> & KubeObject, params: ApplyParams): Observable<K> {
    return this.applyAt(object, params, 'status');
  }

  /**
   * Patches the `status` subresource of an object (same rules as {@link Api.patch}).
   *
   * @example
   * ```ts
   * widgets.patchStatus('w1', Patch.merge({ status: { observedGeneration: 3 } }));
   * ```
   */
  patchStatus(name: string, patch: PatchBody, params: PatchParams = {}): Observable<K> {
    return this.patchAt(name, patch, params, 'status');
  }

  /**
   * Deletes an object. `propagationPolicy`, `gracePeriodSeconds`, `preconditions` and `dryRun`
   * are sent as a `DeleteOptions` body. Emits the object when deletion is pending (finalizers,
   * graceful deletion) or the server returns it, or the `Status` when the server answers with
   * one.
   *
   * @example
   * ```ts
   * pods.delete('web-0', { propagationPolicy: 'Background' }).subscribe();
   * ```
   */
  delete(name: string, params: DeleteParams = {}): Observable<K | Status> {
    const path = resourcePath(this.resource, this.singleNamespace(), checkName(name));
    const body = JSON.stringify({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      ...deleteOptions(params),
    });
    return this.call({ method: 'DELETE', path, body }, deleteResponse<K>);
  }

  /**
   * Watches changes, streamed line by line as they arrive: one {@link WatchEvent} per line
   * (ADDED/MODIFIED/DELETED, BOOKMARK with `allowWatchBookmarks`, ERROR such as 410 Expired —
   * an ERROR is a value, not an Observable error). Completes when the server ends the stream
   * (`timeoutSeconds`); unsubscribing closes the connection.
   *
   * Fails with `ApiError` for a non-2xx answer, `HttpError` (stage `'body'`) when the stream
   * breaks. A malformed line (not JSON, unknown type, object without `metadata.name`) is skipped
   * and reported to `onInvalidItem`; the stream goes on.
   * Never retried by `config.retry`: resuming from the last resourceVersion is the watcher's job.
   *
   * @example
   * ```ts
   * const list = await firstValueFrom(pods.list());
   * pods.watch({ resourceVersion: list.metadata.resourceVersion ?? '0', allowWatchBookmarks: true })
   *   .subscribe((event) => console.log(event.type));
   * ```
   */
  watch(params: WatchParams = {}): Observable<WatchEvent<K>> {
    const path = resourcePath(this.resource, this.namespace) + watchQuery(params);
    const events$ = this.stream<K>({ method: 'GET', path });
    const decode = this.decodeObject;
    if (decode === undefined) return events$;
    return events$.pipe(
      filter((event) => {
        // A deletion always passes: its object is the last state the store may hold, and
        // dropping it would keep a deleted object in the cache.
        if (event.type !== 'ADDED' && event.type !== 'MODIFIED') return true;
        const decoded = this.decodeOrReport(event.object, decode);
        if (decoded === undefined) return false;
        event.object = decoded;
        return true;
      }),
    );
  }

  /**
   * Watches only metadata (`PartialObjectMetadata` objects); same semantics as {@link watch}.
   *
   * @example
   * ```ts
   * secrets.watchMetadata({ resourceVersion: '0' }).subscribe((e) => console.log(e.type));
   * ```
   */
  watchMetadata(params: WatchParams = {}): Observable<WatchEvent<PartialObjectMetadata>> {
    const path = resourcePath(this.resource, this.namespace) + watchQuery(params);
    return this.stream<PartialObjectMetadata>({
      method: 'GET',
      path,
      accept: METADATA_ACCEPT,
    });
  }

  private put(
    name: string,
    object: K,
    params: PostParams,
    subresource: string | undefined,
  ): Observable<K> {
    const namespace = this.singleNamespace(object);
    const body = JSON.stringify(withTypeMeta(object, this.resource));
    const path =
      resourcePath(this.resource, namespace, checkName(name), subresource) + writeQuery(params);
    return this.decoded(this.call({ method: 'PUT', path, body }, objectResponse<K>));
  }

  private patchAt(
    name: string,
    patch: PatchBody,
    params: PatchParams,
    subresource: string | undefined,
  ): Observable<K> {
    const contentType = PATCH_CONTENT_TYPES[patch?.type];
    if (contentType === undefined) {
      throw new TypeError('patch: build the body with Patch.merge/json/strategic/apply');
    }
    if (patch.type === 'apply' && !params.fieldManager) {
      throw new TypeError('patch: an apply patch needs params.fieldManager');
    }
    if (patch.type !== 'apply' && params.force !== undefined) {
      throw new TypeError('patch: force is only valid for apply patches');
    }
    const path =
      resourcePath(this.resource, this.singleNamespace(), checkName(name), subresource) +
      writeQuery(params);
    const body = JSON.stringify(patch.body);
    return this.decoded(this.call({ method: 'PATCH', path, body, contentType }, objectResponse<K>));
  }

  private applyAt(
    object: KubeObject,
    params: ApplyParams,
    subresource: string | undefined,
  ): Observable<K> {
    if (typeof params?.fieldManager !== 'string' || params.fieldManager === '') {
      throw new TypeError('apply: params.fieldManager is required');
    }
    const name = object?.metadata?.name;
    if (typeof name !== 'string' || name === '') {
      throw new TypeError('apply: the object needs metadata.name');
    }
    const namespace = this.singleNamespace(object);
    const inNamespace =
      namespace === undefined || this.namespace !== undefined ? this : this.inNamespace(namespace);
    return inNamespace.patchAt(
      name,
      Patch.apply(withTypeMeta(object, this.resource)),
      params,
      subresource,
    );
  }

  /** The namespace for a single-object request (the object's own when this Api spans all). */
  private singleNamespace(object?: KubeObject): string | undefined {
    if (!this.resource.namespaced) return undefined;
    const namespace = this.namespace ?? object?.metadata?.namespace;
    if (!namespace) {
      throw new TypeError(
        `${this.resource.kind} is namespaced: address one object through inNamespace(namespace)`,
      );
    }
    return namespace;
  }

  /** `object$` with every object checked by the resource's `decode` (a mismatch fails the call). */
  private decoded(object$: Observable<K>): Observable<K> {
    const decode = this.decodeObject;
    return decode === undefined ? object$ : object$.pipe(map((object) => decode(object)));
  }

  /** The decoded object, or `undefined` after reporting why not (once per resourceVersion). */
  private decodeOrReport(object: K, decode: (object: unknown) => K): K | undefined {
    try {
      return decode(object);
    } catch (error) {
      const serde = isSerdeError(error)
        ? error
        : new SerdeError(`${this.resource.kind}: decode failed: ${String(error)}`, {
            cause: error,
          });
      const metadata = object.metadata;
      const key = `${metadata?.uid ?? `${metadata?.namespace ?? ''}/${metadata?.name ?? ''}`}@${metadata?.resourceVersion ?? ''}`;
      const reported = this.reportedInvalid;
      if (!reported.has(key)) {
        reported.add(key);
        if (reported.size > REPORTED_INVALID_LIMIT) {
          reported.delete(reported.values().next().value as string);
        }
        this.reportInvalid(serde);
      }
      return undefined;
    }
  }

  private call<T>(request: KubeFetchRequest, read: ResponseHandler<T>): Observable<T> {
    const scheduler = this.config.scheduler ?? asyncScheduler;
    return kubeFetch<T>(this.kubeConfig, request, scheduler, read).pipe(this.retryOperator);
  }

  private stream<E>(request: KubeFetchRequest): Observable<WatchEvent<E>> {
    const scheduler = this.config.scheduler ?? asyncScheduler;
    const report = this.reportInvalid;
    return kubeFetch<WatchEvent<E>>(this.kubeConfig, request, scheduler, (response, out, context) =>
      watchResponse<E>(response, out, context, report),
    );
  }

  private listReader<E>(): ResponseHandler<ObjectList<E>> {
    const report = this.reportInvalid;
    return (response, out, context) => listResponse<E>(response, out, context, report);
  }
}

function checkResource(resource: ApiResource): void {
  const valid =
    typeof resource === 'object' &&
    resource !== null &&
    typeof resource.group === 'string' &&
    typeof resource.version === 'string' &&
    resource.version !== '' &&
    typeof resource.plural === 'string' &&
    resource.plural !== '' &&
    typeof resource.namespaced === 'boolean';
  if (!valid) {
    throw new TypeError(
      'Api: resource must be an ApiResource { group, version, kind, plural, namespaced }',
    );
  }
}

function checkName(name: string): string {
  // '.' and '..' would be resolved as path segments by the URL parser and address another URL.
  if (typeof name !== 'string' || name === '' || name === '.' || name === '..') {
    throw new TypeError(`invalid object name ${JSON.stringify(name)}`);
  }
  return name;
}

/** Fills in `apiVersion`/`kind` when the caller left them out (the server requires them). */
function withTypeMeta(object: KubeObject, resource: ApiResource): KubeObject {
  if (object.apiVersion && object.kind) return object;
  return { apiVersion: apiVersionOf(resource), kind: resource.kind, ...object };
}

function deleteOptions(params: DeleteParams): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (params.propagationPolicy !== undefined) options.propagationPolicy = params.propagationPolicy;
  if (params.gracePeriodSeconds !== undefined) {
    options.gracePeriodSeconds = params.gracePeriodSeconds;
  }
  if (params.preconditions !== undefined) options.preconditions = params.preconditions;
  if (params.dryRun) options.dryRun = ['All'];
  return options;
}

function makeRetryOperator(config: ApiConfig): <T>(source: Observable<T>) => Observable<T> {
  const retry = config.retry ?? false;
  if (retry === false) return (source) => source;
  if (retry !== true && (typeof retry !== 'object' || retry === null)) {
    throw new TypeError('Api: retry must be a boolean or a RetryPolicy');
  }
  const policy: RetryPolicy = retry === true ? {} : retry;
  const onRetry = policy.onRetry;
  const logger = config.logger;
  const operator: MonoTypeOperatorFunction<unknown> = retryPolicy<unknown>({
    ...(config.scheduler === undefined ? {} : { scheduler: config.scheduler }),
    ...policy,
    onRetry: (error, attempt, delayMs) => {
      (logger ?? defaultLogger()).warn('retrying API call', {
        component: 'api',
        error,
        attempt,
        delayMs,
      });
      onRetry?.(error, attempt, delayMs);
    },
  });
  return operator as <T>(source: Observable<T>) => Observable<T>;
}
