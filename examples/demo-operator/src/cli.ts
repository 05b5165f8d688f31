import { parseArgs } from 'node:util';
import type { LogFormat } from '@kube-rx/core';

/** What the command line asks for. */
export interface CliOptions {
  /**
   * Run against this kubeconfig instead of the embedded server. Only `--kubeconfig` selects it:
   * an exported `KUBECONFIG` does not, so `npm start` always means the embedded demo.
   */
  kubeconfig: string | undefined;
  logFormat: LogFormat;
  /** Upper bound of the run in ms; `undefined` = until Ctrl-C (cluster mode default). */
  durationMs: number | undefined;
  /** Play the fault script (embedded server only). */
  faults: boolean;
  help: boolean;
}

/** Usage text of `npm start -- --help`. */
export const USAGE = `Usage: npm start -- [options]

Runs the ConfigMapGenerator demo operator. By default against an embedded in-memory API server
with a scripted run of faults; it ends by itself and exits 0 only if everything converged.

Options:
  --kubeconfig <path>     run against a real cluster instead (an exported KUBECONFIG alone does
                          not switch): no embedded server, no fault script, runs until Ctrl-C (or
                          --duration). Needs the CRD applied (npm run kube-rx -- crd
                          examples/demo-operator/src/configMapGenerator.ts | kubectl apply -f -)
                          and the permissions of manifests/rbac.yaml.
  --log-format <format>   pretty | json | auto (default auto: pretty with colors on a terminal,
                          JSON otherwise)
  --duration <seconds>    stop after this long (default 20 with the embedded server; unbounded
                          against a cluster)
  --no-faults             embedded server without injected faults
  -h, --help              this text
`;

/**
 * Parses the command line (`process.argv.slice(2)`). Throws a `TypeError` with a message for the
 * user on bad input.
 */
export function parseCli(args: readonly string[]): CliOptions {
  const { values } = parseFlags(args);
  const logFormat = values['log-format'];
  if (logFormat !== 'pretty' && logFormat !== 'json' && logFormat !== 'auto') {
    throw new TypeError(`--log-format must be pretty, json or auto, got ${logFormat}`);
  }
  let durationMs: number | undefined;
  if (values.duration !== undefined) {
    const seconds = Number(values.duration);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new TypeError(`--duration must be a number of seconds > 0, got ${values.duration}`);
    }
    durationMs = seconds * 1000;
  }
  const kubeconfig = values.kubeconfig;
  return {
    kubeconfig,
    logFormat,
    durationMs: durationMs ?? (kubeconfig === undefined ? 20_000 : undefined),
    faults: values.faults && !values['no-faults'],
    help: values.help,
  };
}

// node:util parseArgs, its errors (unknown flag, missing value, …) as one-line TypeErrors: some of
// its messages span several lines.
function parseFlags(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        kubeconfig: { type: 'string' },
        'log-format': { type: 'string', default: 'auto' },
        duration: { type: 'string' },
        faults: { type: 'boolean', default: true },
        'no-faults': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new TypeError((error as Error).message.replace(/\s*\n\s*/g, ' '), { cause: error });
  }
}
