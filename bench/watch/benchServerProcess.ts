// The parent's handle on benchServer.ts, forked into its own process.
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the server reports once it listens. */
export interface BenchServerInfo {
  url: string;
  /** Bytes of one listed object's JSON. */
  objectBytes: number;
  /** Bytes of all listed objects. */
  listBytes: number;
  /** Bytes of the N MODIFIED events and the marker. */
  watchBytes: number;
}

/** The watch benchmark's server, serving `count` pre-serialised ConfigMaps from a child process. */
export class BenchServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly info: BenchServerInfo,
  ) {}

  /** `listOnly`: watches send no change, the state stays the listed one. */
  static async start(count: number, listOnly = false): Promise<BenchServerProcess> {
    const args = [String(count), ...(listOnly ? ['list-only'] : [])];
    const child = fork(join(dirname(fileURLToPath(import.meta.url)), 'benchServer.ts'), args, {
      execArgv: ['--conditions=@kube-rx/source', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const info = await reply<BenchServerInfo>(child, 'ready');
    return new BenchServerProcess(child, info);
  }

  /** name → resourceVersion of every object a correct cache holds at the end. */
  async expected(): Promise<Record<string, string>> {
    const answer = reply<{ expected: Record<string, string> }>(this.child, 'expected');
    this.child.send({ op: 'expected' });
    return (await answer).expected;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ op: 'close' });
    await exited;
  }
}

/** The next message `{ op }` from `child`; rejects if it exits first. */
export function reply<T>(child: ChildProcess, op: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { op: string }): void => {
      if (message.op !== op) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      child.off('message', onMessage);
      reject(new Error(`process exited (${signal ?? code}) before sending "${op}"`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
