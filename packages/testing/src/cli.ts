#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestApiServer } from './startTestApiServer.js';

// kube-rx-test-apiserver [--port 8080] [--kubeconfig PATH] [--bookmark-interval-ms N]
// Starts the in-memory apiserver, writes a kubeconfig for it and serves until SIGINT/SIGTERM.
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    kubeconfig: { type: 'string' },
    'bookmark-interval-ms': { type: 'string' },
    'require-token': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'Usage: kube-rx-test-apiserver [--port 8080] [--kubeconfig PATH] [--bookmark-interval-ms 5000] [--require-token]\n',
  );
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`invalid --port ${values.port}\n`);
  process.exit(2);
}
const bookmarkIntervalMs =
  values['bookmark-interval-ms'] === undefined ? undefined : Number(values['bookmark-interval-ms']);

const server = await startTestApiServer({
  port,
  requireToken: values['require-token'],
  ...(bookmarkIntervalMs === undefined ? {} : { bookmarkIntervalMs }),
});
const kubeconfigPath =
  values.kubeconfig ?? join(tmpdir(), `kube-rx-test-apiserver-${server.port}.kubeconfig`);
writeFileSync(kubeconfigPath, server.kubeConfig().exportConfig(), { mode: 0o600 });
process.stdout.write(`kube-rx test apiserver listening on ${server.url}\n`);
process.stdout.write(`kubeconfig written to ${kubeconfigPath}\n`);
process.stdout.write(`  export KUBECONFIG=${kubeconfigPath}\n`);

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
