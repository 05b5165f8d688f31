import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OperatorEvent } from '@kube-rx/controller';
import type { TestApiServer } from '@kube-rx/testing';

const ROOT = resolve(import.meta.dirname, '../../..');
const NODE = join(ROOT, 'node_modules/.bin/node');
const FIXTURE = join(import.meta.dirname, 'fixtures/operatorReplica.ts');

/** One JSON line of the replica fixture. */
export type ReplicaLine =
  | { type: 'event'; event: OperatorEvent; identity: string; at: number }
  | { type: 'reconcile'; phase: 'start' | 'end'; key: string; identity: string; at: number }
  | { type: 'error'; message: string; identity: string; at: number };

/** A replica running `fixtures/operatorReplica.ts` in its own Node process. */
export interface Replica {
  readonly identity: string;
  readonly child: ChildProcess;
  readonly lines: ReplicaLine[];
  readonly stderr: string[];
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Resolves with the first line (already seen or to come) that matches. */
  waitFor(match: (line: ReplicaLine) => boolean, timeoutMs?: number): Promise<ReplicaLine>;
  /** The operator events seen so far. */
  events(): OperatorEvent[];
  /** URL of the health server, once listening. */
  healthUrl(): string | undefined;
}

/** Writes the server's kubeconfig to a temporary file the replicas load. */
export function kubeConfigFile(server: TestApiServer): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-rx-operator-'));
  const file = join(dir, 'kubeconfig.json');
  writeFileSync(file, server.kubeConfig().exportConfig());
  return file;
}

/** Starts a replica with the fixture's environment settings. */
export function startReplica(
  identity: string,
  kubeconfig: string,
  env: Record<string, string> = {},
): Replica {
  const child = spawn(NODE, ['--conditions=@kube-rx/source', '--import', 'tsx', FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, ...env, IDENTITY: identity, KUBECONFIG_FILE: kubeconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: ReplicaLine[] = [];
  const stderr: string[] = [];
  const waiters = new Set<{
    match: (line: ReplicaLine) => boolean;
    resolve: (line: ReplicaLine) => void;
  }>();
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const text = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as ReplicaLine;
      lines.push(line);
      for (const waiter of waiters) {
        if (waiter.match(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    identity,
    child,
    lines,
    stderr,
    exited,
    waitFor: (match, timeoutMs = 30_000) => {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise<ReplicaLine>((resolve, reject) => {
        const waiter = {
          match,
          resolve: (line: ReplicaLine) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `${identity}: no matching line within ${timeoutMs} ms; stderr: ${stderr.join('')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`${identity} exited first; stderr: ${stderr.join('')}`));
        });
      });
    },
    events: () => lines.flatMap((line) => (line.type === 'event' ? [line.event] : [])),
    healthUrl: () => {
      for (const line of lines) {
        if (line.type === 'event' && line.event.type === 'ServersListening')
          return line.event.health;
      }
      return undefined;
    },
  };
}

/** Matches an operator event of `type`. */
export const eventOf =
  (type: OperatorEvent['type']) =>
  (line: ReplicaLine): boolean =>
    line.type === 'event' && line.event.type === type;

/** Kills every replica still running (test cleanup). */
export async function killAll(replicas: Replica[]): Promise<void> {
  await Promise.all(
    replicas.map(async (replica) => {
      if (replica.child.exitCode === null && replica.child.signalCode === null) {
        replica.child.kill('SIGKILL');
      }
      await replica.exited;
    }),
  );
}
