import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { createLogger, setDefaultLogger, type LogFormat, type Logger } from '@kube-rx/core';
import { startHealthServer } from '@kube-rx/controller';
import { runEmbedded } from './embedded.js';
import { startOperator } from './operator.js';

const USAGE = `Usage: npm start -- [options]

Without options: runs the operator against an embedded in-memory API server with a sample
Widget, until Ctrl-C.

Options:
  --once                  embedded server: exit 0 once the sample Widget was reconciled (Ready)
                          and deleted through its finalizer, 1 otherwise (also: OPERATOR_ONCE=1)
  --timeout <seconds>     upper bound of a --once run (default 30)
  --kubeconfig <path>     run against the cluster of this kubeconfig, until SIGTERM/Ctrl-C
  --cluster               run against the default cluster (KUBECONFIG, ~/.kube/config or the
                          in-cluster service account)
  --health-port <port>    cluster mode: /healthz and /readyz on this port (default 8080)
  --log-format <format>   pretty | json | auto (default auto)
  -h, --help              this text
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      once: { type: 'boolean', default: process.env['OPERATOR_ONCE'] === '1' },
      timeout: { type: 'string', default: '30' },
      kubeconfig: { type: 'string' },
      cluster: { type: 'boolean', default: false },
      'health-port': { type: 'string', default: '8080' },
      'log-format': { type: 'string', default: 'auto' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = values['log-format'] as LogFormat;
  const logger = createLogger({ format, component: 'widget-operator' });
  setDefaultLogger(logger);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());

  if (values.kubeconfig === undefined && !values.cluster) {
    const ok = await runEmbedded({
      logger,
      once: values.once,
      timeoutMs: Number(values.timeout) * 1000,
      signal: stop.signal,
    });
    return ok ? 0 : 1;
  }
  const kubeConfig = new KubeConfig();
  if (values.kubeconfig === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(values.kubeconfig);
  await runInCluster(kubeConfig, Number(values['health-port']), logger, stop.signal);
  return 0;
}

async function runInCluster(
  kubeConfig: KubeConfig,
  healthPort: number,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  logger.info('running against the cluster', { server: kubeConfig.getCurrentCluster()?.server });
  const operator = startOperator(kubeConfig, logger);
  const health = await startHealthServer({ port: healthPort, readiness: operator.isReady });
  await sleep(2 ** 31 - 1, undefined, { signal }).catch(() => undefined);
  logger.info('stopping: letting running reconciles finish');
  await operator.stop();
  await health.close();
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
