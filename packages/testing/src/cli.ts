#!/usr/bin/env node
// First: @kube-rx/core's Node.js version check, before client-node loads (see index.ts).
import '@kube-rx/core';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliUsageError, parseCliOptions, USAGE, type CliOptions } from './cli/cliOptions.js';
import { installManifests } from './cli/installManifests.js';
import { readManifests } from './cli/manifests.js';
import { startTestApiServer } from './startTestApiServer.js';

// kube-rx-test-apiserver [--port 8080] [--kubeconfig PATH] [--bookmark-interval-ms N]
//   [--require-token] [--crd FILE]... [--seed FILE]...
// Starts the in-memory apiserver, creates the CRDs and seeds the objects of the YAML files, writes
// a kubeconfig for it and serves until SIGINT/SIGTERM. Every failure is one line on stderr.
const NAME = 'kube-rx-test-apiserver';

function exitWith(message: string, code: number): never {
  process.stderr.write(`${NAME}: ${message}\n`);
  process.exit(code);
}

let options: CliOptions;
try {
  options = parseCliOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof CliUsageError)) throw error;
  exitWith(`${error.message} (see --help)`, 2);
}
if (options.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

// Read every file before listening: a typo in a path fails fast, with nothing to clean up.
let crds, seeds;
try {
  crds = options.crdFiles.flatMap((file) => readManifests(file));
  seeds = options.seedFiles.flatMap((file) => readManifests(file));
} catch (error) {
  exitWith((error as Error).message, 1);
}

let server;
try {
  server = await startTestApiServer({
    port: options.port,
    requireToken: options.requireToken,
    ...(options.bookmarkIntervalMs === undefined
      ? {}
      : { bookmarkIntervalMs: options.bookmarkIntervalMs }),
  });
} catch (error) {
  exitWith(`cannot start: ${(error as Error).message}`, 1);
}
try {
  const installed = await installManifests(server, crds, seeds);
  if (installed.crds.length > 0) {
    process.stdout.write(`created CustomResourceDefinitions ${installed.crds.join(', ')}\n`);
  }
  if (options.seedFiles.length > 0) process.stdout.write(`seeded ${installed.objects} objects\n`);
} catch (error) {
  await server.close();
  exitWith((error as Error).message, 1);
}

const kubeconfigPath = options.kubeconfig ?? join(tmpdir(), `${NAME}-${server.port}.kubeconfig`);
try {
  writeFileSync(kubeconfigPath, server.kubeConfig().exportConfig(), { mode: 0o600 });
} catch (error) {
  await server.close();
  exitWith(`cannot write the kubeconfig: ${(error as Error).message}`, 1);
}
process.stdout.write(`kube-rx test apiserver listening on ${server.url}\n`);
process.stdout.write(`kubeconfig written to ${kubeconfigPath}\n`);
process.stdout.write(`  export KUBECONFIG=${kubeconfigPath}\n`);

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
