import type { KubeConfig } from '@kubernetes/client-node';
import type { TestKubeConfigOptions } from '../kubeConfig.js';
import {
  startTestApiServer,
  type TestApiServer,
  type TestApiServerConfig,
} from '../startTestApiServer.js';

/**
 * A hook registration function: Jest's global `beforeEach`/`afterEach` and the `beforeEach`/
 * `afterEach` exported by `node:test` both fit.
 */
export type TestHook = (fn: () => Promise<void>) => unknown;

/** The per-test hooks of the test runner, e.g. `{ beforeEach, afterEach }`. */
export interface TestHooks {
  /** Runs a function before each test of the enclosing file or `describe`. */
  beforeEach: TestHook;
  /** Runs a function after each test, whether it passed or failed. */
  afterEach: TestHook;
}

/** Something to stop after the test: an RxJS `Subscription` or anything with `unsubscribe()`. */
export interface Unsubscribable {
  /** Stops it; called once, in `afterEach`. */
  unsubscribe(): void;
}

/** What {@link TestApiServerHarness.run} passes to `subscribe`: an RxJS partial observer. */
export interface HarnessObserver<T> {
  /** Each value. */
  next?: (value: T) => void;
  /** The stream failed. Without it the error fails the test (after teardown). */
  error?: (error: unknown) => void;
  /** The stream completed. */
  complete?: () => void;
}

/** Anything with an RxJS-style `subscribe(observer)`, e.g. an `Observable` of controller results. */
export interface Subscribable<T> {
  /**
   * Starts the stream. (The function form is listed so that the value type is inferred from an
   * RxJS `Observable`, whose last `subscribe` overload takes a function.)
   */
  subscribe(observer: HarnessObserver<T> | ((value: T) => void)): Unsubscribable;
}

/** Options of {@link useTestApiServer}. */
export interface UseTestApiServerConfig {
  /** Config of every per-test server (see `startTestApiServer`). Default `{}`. */
  server?: TestApiServerConfig;
  /**
   * Upper bound in ms of the teardown in `afterEach`; past it the hook fails instead of hanging.
   * Default `10_000`.
   */
  teardownTimeoutMs?: number;
}

/** The object {@link useTestApiServer} returns: one fresh server per test, torn down after it. */
export interface TestApiServerHarness {
  /**
   * The server of the current test (started in `beforeEach`, closed in `afterEach`). Reading
   * it outside a test (e.g. in a `describe` body) throws.
   */
  readonly server: TestApiServer;
  /** `server.kubeConfig(options)` of the current test's server. */
  kubeConfig(options?: TestKubeConfigOptions): KubeConfig;
  /**
   * Registers a subscription to unsubscribe in `afterEach`, before the server closes; returns
   * it. Unsubscribing it earlier yourself is fine.
   */
  track<S extends Unsubscribable>(subscription: S): S;
  /**
   * Subscribes to `source` (e.g. `controller.run(...)`) and tracks the subscription. An error
   * of the stream that `observer` does not handle fails the test in `afterEach`.
   */
  run<T>(
    source: Subscribable<T>,
    observer?: HarnessObserver<T> | ((value: T) => void),
  ): Unsubscribable;
  /** Registers a function to run in `afterEach` after the subscriptions stop, before the server closes. */
  onTeardown(fn: () => unknown): void;
}

interface TestState {
  server: TestApiServer | undefined;
  subscriptions: Unsubscribable[];
  teardowns: (() => unknown)[];
  streamErrors: unknown[];
}

/**
 * Starts a fresh in-memory API server before each test and, after each test — passed or
 * failed — unsubscribes every tracked subscription (latest first), runs the `onTeardown`
 * functions and closes the server. A failing assertion therefore never leaves a watch, socket
 * or listener open, and the test process exits by itself. Call it at the top of a test file or
 * `describe`; hooks registered after it (e.g. your own `beforeEach` that seeds objects) already
 * see `harness.server`.
 *
 * `afterEach` fails (after tearing down what it could) when a tracked `unsubscribe` or an
 * `onTeardown` function throws, when a {@link TestApiServerHarness.run} stream failed without an
 * error handler, or when the teardown takes longer than `teardownTimeoutMs`.
 *
 * @example
 * ```ts
 * import { afterEach, beforeEach, test } from 'node:test';
 * import assert from 'node:assert/strict';
 *
 * const harness = useTestApiServer({ beforeEach, afterEach });
 *
 * test('the controller sees the ConfigMap', async () => {
 *   const configMaps = Api.namespaced<ConfigMap>(harness.kubeConfig(), ConfigMap, 'default');
 *   await lastValueFrom(configMaps.create({ metadata: { name: 'app' } }));
 *   const seen: string[] = [];
 *   // Unsubscribed in afterEach, even when the assertion below fails.
 *   harness.run(watcher(configMaps).pipe(appliedObjects()), (cm) => {
 *     seen.push(cm.metadata?.name ?? '');
 *   });
 *   await harness.server.waitForWatches(1, 'configmaps');
 *   assert.deepEqual(seen, ['app']);
 * });
 * ```
 *
 * With Jest, pass its globals: `useTestApiServer({ beforeEach, afterEach })`.
 */
export function useTestApiServer(
  hooks: TestHooks,
  config: UseTestApiServerConfig = {},
): TestApiServerHarness {
  if (typeof hooks?.beforeEach !== 'function' || typeof hooks.afterEach !== 'function') {
    throw new TypeError(
      'useTestApiServer: hooks must be { beforeEach, afterEach } of the test runner',
    );
  }
  const teardownTimeoutMs = config.teardownTimeoutMs ?? 10_000;
  if (!(teardownTimeoutMs > 0)) {
    throw new TypeError(
      `useTestApiServer: teardownTimeoutMs must be > 0, got ${teardownTimeoutMs}`,
    );
  }
  let state: TestState | undefined;

  const current = (what: string): TestState => {
    if (state === undefined) {
      throw new Error(`useTestApiServer: ${what} is only available inside a test or its hooks`);
    }
    return state;
  };

  hooks.beforeEach(async () => {
    state = { server: undefined, subscriptions: [], teardowns: [], streamErrors: [] };
    state.server = await startTestApiServer(config.server);
  });

  hooks.afterEach(async () => {
    const finished = state;
    if (finished === undefined) return;
    try {
      await withTimeout(tearDown(finished), teardownTimeoutMs);
    } finally {
      state = undefined;
    }
  });

  return {
    get server(): TestApiServer {
      const server = current('harness.server').server;
      if (server === undefined) throw new Error('useTestApiServer: the server is not started yet');
      return server;
    },
    kubeConfig(options?: TestKubeConfigOptions): KubeConfig {
      return this.server.kubeConfig(options);
    },
    track<S extends Unsubscribable>(subscription: S): S {
      current('harness.track()').subscriptions.push(subscription);
      return subscription;
    },
    run<T>(
      source: Subscribable<T>,
      observer?: HarnessObserver<T> | ((value: T) => void),
    ): Unsubscribable {
      const test = current('harness.run()');
      const given: HarnessObserver<T> =
        typeof observer === 'function' ? { next: observer } : (observer ?? {});
      const subscription = source.subscribe({
        next: (value) => given.next?.(value),
        error: (error) => (given.error ? given.error(error) : test.streamErrors.push(error)),
        complete: () => given.complete?.(),
      });
      test.subscriptions.push(subscription);
      return subscription;
    },
    onTeardown(fn: () => unknown): void {
      current('harness.onTeardown()').teardowns.push(fn);
    },
  };
}

async function tearDown(test: TestState): Promise<void> {
  const problems: unknown[] = [];
  // Streams first, so that clients abort their watches before the server drops the sockets.
  for (const subscription of test.subscriptions.splice(0).reverse()) {
    try {
      subscription.unsubscribe();
    } catch (error) {
      problems.push(error);
    }
  }
  for (const fn of test.teardowns.splice(0).reverse()) {
    try {
      await fn();
    } catch (error) {
      problems.push(error);
    }
  }
  try {
    await test.server?.close();
  } catch (error) {
    problems.push(error);
  }
  problems.push(...test.streamErrors.map((error) => streamFailure(error)));
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new AggregateError(problems, 'useTestApiServer: teardown failed');
}

function streamFailure(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`useTestApiServer: a stream started with harness.run() failed: ${message}`, {
    cause: error,
  });
}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`useTestApiServer: teardown took longer than ${ms} ms`)),
      ms,
    );
    // The bound must not itself keep the process alive.
    timer.unref();
  });
  try {
    await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
