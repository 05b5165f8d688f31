import { spawn, type ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import { basename } from 'node:path';

/** How a process of {@link EnvtestProcess} ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

// Children still running when the test process exits (a crashed or killed Jest worker still
// runs 'exit' handlers for process.exit) are killed, so no apiserver outlives its tests.
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function killOnExit(child: ChildProcess): void {
  running.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const leftover of running) leftover.kill('SIGKILL');
  });
}

/**
 * One child process of an envtest (etcd or kube-apiserver): stdout and stderr go to a shared
 * log file, each line prefixed with the binary's name.
 */
export class EnvtestProcess {
  private readonly child: ChildProcess;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;
  private exit: ProcessExit | undefined;

  constructor(binary: string, args: readonly string[], log: WriteStream) {
    const name = basename(binary);
    log.write(`--- ${new Date().toISOString()} ${name} ${args.join(' ')}\n`);
    this.child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    killOnExit(this.child);
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        if (!log.writable) return;
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line !== '') log.write(`${name}: ${line}\n`);
        }
      });
    }
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        running.delete(this.child);
        this.exit = { code, signal };
        resolve(this.exit);
      };
      this.child.once('exit', done);
      this.child.once('error', (error) => {
        if (log.writable) log.write(`${name}: failed to start: ${error.message}\n`);
        done(null, null);
      });
    });
  }

  /** The process id (undefined when spawning failed). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How the process ended, or undefined while it runs. */
  get exitStatus(): ProcessExit | undefined {
    return this.exit;
  }

  /**
   * SIGTERM, then SIGKILL when the process has not exited after `graceMs` (kube-apiserver
   * with open watches can take 30 s to drain). Resolves once it has exited.
   */
  async stop(graceMs: number): Promise<ProcessExit> {
    if (this.exit !== undefined) return this.exit;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    return this.exited;
  }
}
