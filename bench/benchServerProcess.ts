// The client side of bench/watcherBenchServer.ts: the test API server runs in a child process so
// that its CPU time and memory are not counted as the client's.
import { KubeConfig } from '@kubernetes/client-node';
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Namespace the bench server seeds its ConfigMaps in. */
export const BENCH_NAMESPACE = 'bench';
/** Bearer token the bench server accepts. */
export const BENCH_TOKEN = 'kube-rx-test-token';

/** A test API server in a child process, seeded with `objects` ConfigMaps, driven over IPC. */
export class BenchServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(objects: number): Promise<BenchServerProcess> {
    const child = fork(
      join(dirname(fileURLToPath(import.meta.url)), 'watcherBenchServer.ts'),
      [String(objects)],
      {
        execArgv: ['--conditions=@kube-rx/source', '--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const ready = await BenchServerProcess.reply<{ url: string }>(child, 'ready');
    return new BenchServerProcess(child, ready.url);
  }

  private static reply<T>(child: ChildProcess, op: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: { op: string }): void => {
        if (message.op !== op) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as T);
      };
      const onExit = (code: number | null): void => {
        child.off('message', onMessage);
        reject(new Error(`bench server exited with ${code}`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  /** Sends `op` and resolves with the server's `answer` message. */
  async request<T>(op: string, answer: string, extra: Record<string, unknown> = {}): Promise<T> {
    const reply = BenchServerProcess.reply<T>(this.child, answer);
    this.child.send({ op, ...extra });
    return reply;
  }

  /** Resolves once no watch is open on the server (the previous contender has let go). */
  async idle(): Promise<void> {
    await this.request('waitForNoWatches', 'idle');
  }

  /** Applies one update to every object; resolves with the server's write time in ms. */
  async updateAll(): Promise<number> {
    return (await this.request<{ writeMs: number }>('update', 'updated')).writeMs;
  }

  /** A fresh KubeConfig for the server (fresh, so no connection is shared between contenders). */
  kubeConfig(): KubeConfig {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'bench', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'bench', token: BENCH_TOKEN }],
      contexts: [{ name: 'bench', cluster: 'bench', user: 'bench', namespace: BENCH_NAMESPACE }],
      currentContext: 'bench',
    });
    return kubeConfig;
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ op: 'close' });
    await exited;
  }
}
