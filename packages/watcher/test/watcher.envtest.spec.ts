import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import winston from 'winston';
import { firstValueFrom, type Subscription } from 'rxjs';
import {
  Api,
  backoff,
  ConfigMap,
  createLogger,
  exponentialBackoff,
  Namespace,
  type KubeObject,
} from '@kube-rx/core';
import { startEnvtest, type Envtest } from '@kube-rx/testing';
import {
  createStore,
  isWatcherError,
  reflect,
  watcher,
  type ListWatchApi,
  type Store,
  type WatcherConfig,
  type WatcherError,
  type WatcherEvent,
} from '@kube-rx/watcher';
import { describeEnvtest } from '../../testing/test/envtest/describeEnvtest.js';

// The watcher against a real kube-apiserver. The watch cache is off so that a WATCH from a
// compacted resourceVersion gets 410 at once (the cache would keep serving what it holds).
let envtest: Envtest;
let subscription: Subscription | undefined;

const configMaps = (namespace: string, kubeConfig = envtest.kubeConfig()) =>
  Api.namespaced<KubeObject>(kubeConfig, ConfigMap, namespace);

async function createNamespace(name: string): Promise<void> {
  await firstValueFrom(
    Api.cluster<KubeObject>(envtest.kubeConfig(), Namespace).create({ metadata: { name } }),
  );
}

const create = (namespace: string, name: string) =>
  firstValueFrom(
    configMaps(namespace).create({ metadata: { name }, data: { a: '1' } } as KubeObject),
  );

interface Run {
  store: Store<KubeObject>;
  errors: Array<{ at: number; error: WatcherError }>;
  events: Array<WatcherEvent<KubeObject>['type']>;
}

function run(api: ListWatchApi<KubeObject>, config: WatcherConfig = {}, initialDelay = 20): Run {
  const { store, writer } = createStore<KubeObject>();
  const result: Run = { store, errors: [], events: [] };
  subscription = watcher(api, config)
    .pipe(
      backoff(exponentialBackoff({ initialDelay, maxDelay: initialDelay * 8, jitter: false }), {
        onError: (error) => {
          if (isWatcherError(error)) result.errors.push({ at: Date.now(), error });
        },
      }),
      reflect(writer),
    )
    .subscribe((event) => result.events.push(event.type));
  return result;
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether the store holds exactly the server's objects at their resourceVersions. */
async function converged(store: Store<KubeObject>, namespace: string): Promise<boolean> {
  const listed = await firstValueFrom(configMaps(namespace).list());
  const key = (objects: readonly KubeObject[]) =>
    objects
      .map((object) => `${object.metadata?.name}@${object.metadata?.resourceVersion}`)
      .sort()
      .join(',');
  return key(store.list()) === key(listed.items);
}

describeEnvtest('watcher against kube-apiserver', () => {
  beforeAll(async () => {
    envtest = await startEnvtest({ watchCache: false, users: [{ name: 'lister' }] });
    for (const namespace of ['w-restart', 'w-compact', 'w-rbac', 'w-auto'])
      await createNamespace(namespace);
  }, 60_000);
  afterEach(() => {
    subscription?.unsubscribe();
    subscription = undefined;
  });
  afterAll(() => envtest?.close(), 30_000);

  it("initialListStrategy 'Auto' (the default) reads the initial state with one streaming WATCH, no LIST", async () => {
    for (const name of ['one', 'two', 'three']) await create('w-auto', name);
    const api = configMaps('w-auto');
    const requests: string[] = [];
    const recording: ListWatchApi<KubeObject> = {
      list: (params) => {
        requests.push('list');
        return api.list(params);
      },
      watch: (params) => {
        requests.push(params?.sendInitialEvents === true ? 'streaming watch' : 'watch');
        return api.watch(params);
      },
    };
    const { store, errors, events } = run(recording);
    await store.ready();
    expect(store.size).toBe(3);
    expect(events.slice(0, 5)).toEqual(['Init', 'InitApply', 'InitApply', 'InitApply', 'InitDone']);
    await create('w-auto', 'four');
    await until(() => store.get({ namespace: 'w-auto', name: 'four' }) !== undefined, 'synced');
    expect(await converged(store, 'w-auto')).toBe(true);
    expect(requests).toEqual(['streaming watch']);
    expect(errors).toEqual([]);
  }, 60_000);

  it('resumes after an apiserver restart and sees the changes made after it', async () => {
    await create('w-restart', 'before');
    const { store, errors } = run(configMaps('w-restart'));
    await store.ready();
    await envtest.restart();
    await create('w-restart', 'after');
    await until(() => store.get({ namespace: 'w-restart', name: 'after' }) !== undefined, 'synced');
    expect(await converged(store, 'w-restart')).toBe(true);
    // The open watch broke when the apiserver stopped; the watcher resumed through backoff.
    expect(errors.length).toBeGreaterThan(0);
    // Each failure resumes a WATCH from the last resourceVersion (etcd still has it): no relist.
    for (const { error } of errors) {
      expect(['WatchFailed', 'WatchStartFailed']).toContain(error.kind);
      expect(error.resourceVersion).toBeDefined();
    }
  }, 60_000);

  it('relists after etcd compaction made its resourceVersion too old (410 ERROR event)', async () => {
    await create('w-compact', 'a');
    const { store, errors, events } = run(configMaps('w-compact'), { timeoutSeconds: 1 });
    await store.ready();
    // Writes elsewhere move etcd's revision past the watcher's; compaction then drops it, and
    // the next re-watch (after the 1 s server timeout) gets 410.
    await create('w-restart', 'elsewhere-1');
    await create('w-restart', 'elsewhere-2');
    await envtest.compact();
    await until(
      () => errors.some(({ error }) => error.kind === 'WatchError' && error.status?.code === 410),
      'a 410 ERROR event',
    );
    await create('w-compact', 'b');
    await until(() => store.get({ namespace: 'w-compact', name: 'b' }) !== undefined, 'b synced');
    expect(events.filter((type) => type === 'Init')).toHaveLength(2);
    expect(await converged(store, 'w-compact')).toBe(true);
  }, 60_000);

  it('retries a WATCH that RBAC forbids with growing delays, and the error names verb and resource', async () => {
    // "lister" may list ConfigMaps in w-rbac but not watch them.
    const admin = envtest.kubeConfig();
    const rbac = (plural: string) => ({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      plural,
      namespaced: true,
      kind: plural === 'roles' ? 'Role' : 'RoleBinding',
    });
    await firstValueFrom(
      Api.namespaced<KubeObject>(admin, rbac('roles'), 'w-rbac').create({
        metadata: { name: 'list-only' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
      } as KubeObject),
    );
    await firstValueFrom(
      Api.namespaced<KubeObject>(admin, rbac('rolebindings'), 'w-rbac').create({
        metadata: { name: 'lister' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'list-only' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'lister' }],
      } as KubeObject),
    );
    await create('w-rbac', 'visible');
    const api = configMaps('w-rbac', envtest.kubeConfigFor('lister'));
    // RBAC bindings take effect within moments; the list succeeding shows this one has.
    await until(
      () =>
        firstValueFrom(api.list()).then(
          () => true,
          () => false,
        ),
      'the role binding applies',
    );
    // The default error report of backoff(): one warn line per soft error, on this logger.
    const lines: Array<{ level: string; message: string; delayMs?: number; error?: unknown }> = [];
    const logger = createLogger({
      format: 'json',
      transports: [
        new winston.transports.Stream({
          stream: new Writable({
            write(chunk: Buffer, _encoding, done) {
              lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
              done();
            },
          }),
        }),
      ],
    });
    const { store, writer } = createStore<KubeObject>();
    subscription = watcher(api)
      .pipe(
        backoff(exponentialBackoff({ initialDelay: 100, maxDelay: 800, jitter: false }), {
          logger,
        }),
        reflect(writer),
      )
      .subscribe();
    await store.ready();
    await until(() => lines.length >= 4, 'four retries');
    subscription.unsubscribe();

    expect(store.get({ namespace: 'w-rbac', name: 'visible' })).toBeDefined();
    // Each retry waits twice as long as the one before, and its line names verb and resource.
    expect(lines.slice(0, 4).map((line) => [line.level, line.delayMs])).toEqual([
      ['warn', 100],
      ['warn', 200],
      ['warn', 400],
      ['warn', 800],
    ]);
    for (const line of lines) {
      expect(line.error).toMatchObject({ name: 'WatcherError', kind: 'WatchStartFailed' });
      expect(JSON.stringify(line.error)).toMatch(
        /403.*User \\"lister\\" cannot watch resource \\"configmaps\\"/,
      );
    }
    process.stdout.write(`watcher 403 log line: ${JSON.stringify(lines[0])}\n`);
  }, 60_000);
});
