#!/usr/bin/env node
// First: @kube-rx/core's Node.js version check, before client-node loads.
import '@kube-rx/core';
import { kubeRxCommand, UsageError } from './cli/kubeRxCommand.js';

// kube-rx crd <module>... | kube-rx rbac <module>... [--name N] [--leader-election] [--no-events]
// Prints manifests derived from a module's exports; every failure is one line on stderr.
try {
  process.stdout.write(await kubeRxCommand(process.argv.slice(2)));
} catch (error) {
  const usage = error instanceof UsageError;
  process.stderr.write(`kube-rx: ${(error as Error).message}${usage ? ' (see --help)' : ''}\n`);
  process.exitCode = usage ? 2 : 1;
}
