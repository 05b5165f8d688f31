// Logging (docs/logging.md): the Logger interface, the default winston logger and per-run fields.
import { KubeConfig } from '@kubernetes/client-node';
import {
  Api,
  createLogger,
  describeError,
  setDefaultLogger,
  winstonLogger,
  type KubeObject,
  type LogFields,
  type Logger,
} from '@kube-rx/core';
import { Action, Controller, perKeyBackoff, type ReconcileInfo } from '@kube-rx/controller';
import winston from 'winston';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const widgets = Api.namespaced<KubeObject>(
  kubeConfig,
  { group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true },
  'default',
);

// #region default
// JSON lines for log collectors; KUBE_RX_LOG_LEVEL=debug (or level) chooses the level.
const logger = createLogger({ format: 'json', component: 'widgets-operator' });
setDefaultLogger(logger); // every kube-rx component without its own `logger`
// #endregion

// #region run
// The third argument of a reconcile: its run. Lines of run.logger carry controller, namespace,
// name and reconcileID, as the lines kube-rx logs for that run.
async function reconcile(widget: KubeObject, _ctx: undefined, run: ReconcileInfo) {
  run.logger.info('reconciling', { generation: widget.metadata?.generation });
  return Action.awaitChange();
}
new Controller(widgets).withConfig({ logger }).run(reconcile, perKeyBackoff(), undefined);
// #endregion

// #region winston
// The application's own winston logger (its format and transports), with kube-rx's error fields.
const appLogger = winston.createLogger({ transports: [new winston.transports.Console()] });
setDefaultLogger(winstonLogger(appLogger.child({ component: 'widgets-operator' })));
// #endregion

// #region custom
// Any logger with these five methods works: here, lines as JSON on stderr, errors described
// (name, kind, code, redacted message and stack, causes) as kube-rx's own loggers do.
const describeErrors = (_key: string, value: unknown) =>
  value instanceof Error ? describeError(value) : value;
function stderrLogger(bound: LogFields = {}): Logger {
  const write = (level: string) => (message: string, fields?: LogFields) =>
    process.stderr.write(
      `${JSON.stringify({ level, message, ...bound, ...fields }, describeErrors)}\n`,
    );
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: () => undefined,
    child: (fields) => stderrLogger({ ...bound, ...fields }),
  };
}
setDefaultLogger(stderrLogger());
// #endregion
