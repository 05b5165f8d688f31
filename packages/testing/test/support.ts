import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { resolveFixturesDir } from './resolveFixturesDir.js';

// Test code reads deep into JSON answers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

let fixturesDir: string | undefined;

/**
 * Reads a recorded apiserver exchange from the shared fixtures (located by
 * {@link resolveFixturesDir}; throws naming the paths tried when they are missing).
 */
export function fixture(name: string): FixtureFile {
  fixturesDir ??= resolveFixturesDir();
  return JSON.parse(readFileSync(join(fixturesDir, name), 'utf8')) as FixtureFile;
}

export interface FixtureExchange {
  comment?: string;
  request: {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    body: unknown;
  };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

export interface FixtureFile extends Partial<FixtureExchange> {
  exchanges?: FixtureExchange[];
}

/** The n-th exchange of a fixture (or its single exchange). */
export function exchange(file: FixtureFile, index = 0): FixtureExchange {
  const found =
    file.exchanges?.[index] ??
    (file.request && file.response ? (file as FixtureExchange) : undefined);
  if (found === undefined) throw new Error(`no exchange ${index}`);
  return found;
}

/** Raw HTTP call against the server; returns status, headers and parsed JSON (when JSON). */
export async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(url + path, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** A watch collected through client-node's `Watch`. */
export interface CollectedWatch {
  events: { type: string; object: KubernetesObject & Record<string, Json> }[];
  done: Promise<unknown>;
  abort(): void;
  /** Resolves once `count` events arrived. */
  waitFor(count: number): Promise<void>;
}

/** Opens a watch with client-node and collects its events. */
export async function collectWatch(
  kubeConfig: KubeConfig,
  path: string,
  query: Record<string, string | number | boolean | undefined> = {},
): Promise<CollectedWatch> {
  const events: CollectedWatch['events'] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let finish: (error: unknown) => void = () => undefined;
  const done = new Promise<unknown>((resolve) => {
    finish = resolve;
  });
  const controller = await new Watch(kubeConfig).watch(
    path,
    query,
    (type, object) => {
      events.push({ type, object });
      for (const waiter of [...waiters]) {
        if (events.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    },
    (error) => finish(error ?? null),
  );
  return {
    events,
    done,
    abort: () => controller.abort(),
    waitFor: (count) =>
      events.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
  };
}

/** Strips what differs between two servers' answers (uid, timestamps, resourceVersions, managedFields). */
export function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'name' && 'generateName' in value) continue;
    if (
      [
        'uid',
        'creationTimestamp',
        'resourceVersion',
        'managedFields',
        'deletionTimestamp',
        'continue',
        'time',
        'lastTransitionTime',
      ].includes(key)
    )
      continue;
    result[key] = comparable(child);
  }
  return result;
}

export { CoreV1Api };

/** Options of {@link replay}. */
export interface ReplayOptions {
  /** Exchanges to skip. */
  skip?: number[];
  /** Exchanges where only status code and reason are compared. */
  loose?: number[];
  /** Compare managedFields too (minus times). */
  managedFields?: boolean;
  /** Recorded → actual resourceVersions and continue tokens; share it across replays. */
  mapping?: Map<string, string>;
}

/**
 * Replays a fixture's exchanges against the server and checks each answer against the recorded
 * one (status code and body, minus uid/timestamps). ResourceVersions and continue tokens seen in
 * recorded answers are mapped to this server's, so requests that quote them keep their meaning.
 */
export async function replay(
  url: string,
  file: FixtureFile,
  options: ReplayOptions = {},
): Promise<Json[]> {
  const mapping = options.mapping ?? new Map<string, string>();
  const exchanges = file.exchanges ?? [exchange(file)];
  const answers: Json[] = [];
  for (const [index, recorded] of exchanges.entries()) {
    if (options.skip?.includes(index)) continue;
    const { request, response } = recorded;
    const query = new URLSearchParams(
      Object.entries(request.query).map(([k, v]): [string, string] => [k, mapping.get(v) ?? v]),
    ).toString();
    const body = request.body === null ? undefined : mapVersions(request.body, mapping);
    const answer = await call(
      url,
      request.method,
      request.path + (query ? `?${query}` : ''),
      body,
      request.headers,
    );
    answers.push(answer.body);
    learn(response.body, answer.body, mapping);
    const context = `${index}: ${recorded.comment ?? ''}`;
    expect({ context, status: answer.status }).toEqual({ context, status: response.status });
    if (options.loose?.includes(index)) {
      expect({ context, reason: answer.body.reason }).toEqual({
        context,
        reason: (response.body as Json).reason,
      });
      continue;
    }
    const strip = options.managedFields ? comparableKeepingManagers : comparable;
    expect({ context, body: strip(answer.body) }).toEqual({ context, body: strip(response.body) });
  }
  return answers;
}

function comparableKeepingManagers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparableKeepingManagers);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (['uid', 'creationTimestamp', 'resourceVersion', 'time'].includes(key)) continue;
    result[key] = comparableKeepingManagers(child);
  }
  return result;
}

function learn(recorded: unknown, actual: unknown, mapping: Map<string, string>): void {
  if (
    typeof recorded !== 'object' ||
    recorded === null ||
    typeof actual !== 'object' ||
    actual === null
  )
    return;
  const r = recorded as Json;
  const a = actual as Json;
  for (const key of ['resourceVersion', 'continue'] as const) {
    const rv = r.metadata?.[key];
    const av = a.metadata?.[key];
    if (typeof rv === 'string' && typeof av === 'string') mapping.set(rv, av);
  }
}

function mapVersions(body: unknown, mapping: Map<string, string>): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const copy = structuredClone(body) as Json;
  const rv = copy.metadata?.resourceVersion;
  if (typeof rv === 'string' && mapping.has(rv)) copy.metadata.resourceVersion = mapping.get(rv);
  return copy;
}
