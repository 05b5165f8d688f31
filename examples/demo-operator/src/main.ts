import { createLogger, setDefaultLogger } from '@kube-rx/core';
import { parseCli, USAGE, type CliOptions } from './cli.js';
import { runAgainstCluster } from './clusterRun.js';
import { runEmbeddedDemo } from './embeddedDemo.js';
import { formatSummary, formatSummaryJson, type DemoSummary } from './summary.js';

// `npm start [-- options]`: see USAGE in cli.ts.
async function main(): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const logger = createLogger({ format: options.logFormat, component: 'demo-operator' });
  // Watchers and backoff operators log through the default logger.
  setDefaultLogger(logger);

  const interrupted = new AbortController();
  process.once('SIGINT', () => {
    logger.info('Ctrl-C: shutting down gracefully (Ctrl-C again to exit at once)');
    interrupted.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  process.once('SIGTERM', () => interrupted.abort());

  let summary: DemoSummary;
  try {
    summary =
      options.kubeconfig === undefined
        ? await runEmbeddedDemo({
            logger,
            faults: options.faults,
            signal: interrupted.signal,
            ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
          })
        : await runAgainstCluster({
            kubeconfig: options.kubeconfig,
            logger,
            signal: interrupted.signal,
            ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
          });
  } catch (error) {
    logger.error('demo failed', { error });
    return 1;
  }
  report(summary, options);
  return summary.converged ? 0 : 1;
}

function report(summary: DemoSummary, options: CliOptions): void {
  const json =
    options.logFormat === 'json' || (options.logFormat === 'auto' && !process.stdout.isTTY);
  // JSON: one indented document after the log lines (`npm start | tail -n +N | jq`), readable
  // as it is; pretty: two text tables.
  if (json) process.stdout.write(`${formatSummaryJson(summary)}\n`);
  else process.stdout.write(`\n${formatSummary(summary)}\n`);
}

process.exitCode = await main();
