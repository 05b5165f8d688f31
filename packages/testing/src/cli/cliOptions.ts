import { parseArgs } from 'node:util';

/** What the `kube-rx-test-apiserver` command line asks for. */
export interface CliOptions {
  port: number;
  /** Where to write the kubeconfig; `undefined` = `$TMPDIR/kube-rx-test-apiserver-PORT.kubeconfig`. */
  kubeconfig: string | undefined;
  bookmarkIntervalMs: number | undefined;
  requireToken: boolean;
  /** YAML files of CustomResourceDefinitions, created in order before the seeds. */
  crdFiles: string[];
  /** YAML files of objects stored as given (status included), in order. */
  seedFiles: string[];
  help: boolean;
}

/** Usage text of `kube-rx-test-apiserver --help`. */
export const USAGE = `Usage: kube-rx-test-apiserver [options]

Starts the in-memory Kubernetes API server of @kube-rx/testing on 127.0.0.1, writes a kubeconfig
for it and serves until SIGINT/SIGTERM.

Options:
  --port <n>                  port on 127.0.0.1 (default 0: any free port)
  --kubeconfig <path>         where to write the kubeconfig (default
                              $TMPDIR/kube-rx-test-apiserver-PORT.kubeconfig)
  --bookmark-interval-ms <n>  periodic BOOKMARKs on watches (default 5000; 0 = none)
  --require-token             answer 401 without the kubeconfig's bearer token
  --crd <file.yaml>           create the CustomResourceDefinitions of this file (multi-document
                              YAML or a List) before serving; repeatable
  --seed <file.yaml>          store the objects of this file as given, status included (after
                              the CRDs, so custom resources work); repeatable
  -h, --help                  this text
`;

/** A command line the CLI cannot run: printed as one line, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/**
 * Parses `kube-rx-test-apiserver` arguments (`process.argv.slice(2)`). Throws a
 * {@link CliUsageError} with a one-line message on an unknown flag, a missing value or a bad number.
 */
export function parseCliOptions(args: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        port: { type: 'string', default: '0' },
        kubeconfig: { type: 'string' },
        'bookmark-interval-ms': { type: 'string' },
        'require-token': { type: 'boolean', default: false },
        crd: { type: 'string', multiple: true, default: [] },
        seed: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // parseArgs explains itself (ERR_PARSE_ARGS_UNKNOWN_OPTION, …), sometimes over several lines.
    throw new CliUsageError((error as Error).message.replace(/\s*\n\s*/g, ' '), { cause: error });
  }
  const port = Number(values.port);
  if (values.port === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliUsageError(`--port must be an integer from 0 to 65535, got '${values.port}'`);
  }
  let bookmarkIntervalMs: number | undefined;
  if (values['bookmark-interval-ms'] !== undefined) {
    bookmarkIntervalMs = Number(values['bookmark-interval-ms']);
    if (
      values['bookmark-interval-ms'] === '' ||
      !Number.isInteger(bookmarkIntervalMs) ||
      bookmarkIntervalMs < 0
    ) {
      throw new CliUsageError(
        `--bookmark-interval-ms must be an integer >= 0, got '${values['bookmark-interval-ms']}'`,
      );
    }
  }
  return {
    port,
    kubeconfig: values.kubeconfig,
    bookmarkIntervalMs,
    requireToken: values['require-token'],
    crdFiles: values.crd,
    seedFiles: values.seed,
    help: values.help,
  };
}
