import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { Api, type Logger } from '@kube-rx/core';
import { isConditionTrue } from '@kube-rx/controller';
import { startTestApiServer } from '@kube-rx/testing';
import { awaitCondition } from '@kube-rx/watcher';
import { installCrd } from './crd.js';
import { startOperator } from './operator.js';
import { WidgetResource, type Widget } from './widget.js';

/** Options of {@link runEmbedded}. */
export interface EmbeddedConfig {
  logger: Logger;
  /** Exit after the sample Widget went through its whole life cycle (`--once`). */
  once: boolean;
  /** Upper bound of a `once` run in ms. */
  timeoutMs: number;
  /** Stops the run (Ctrl-C). */
  signal: AbortSignal;
}

/**
 * Starts the in-memory API server of `@kube-rx/testing`, installs the CRD, creates a sample
 * Widget and runs the operator against it. With `once`: waits until the Widget is Ready, deletes
 * it, waits until the finalizer let it go, stops and returns whether all of that happened in
 * time. Without: runs until `signal` (Ctrl-C) and returns `true`.
 */
export async function runEmbedded(config: EmbeddedConfig): Promise<boolean> {
  const { logger } = config;
  const server = await startTestApiServer();
  try {
    const kubeConfig = server.kubeConfig();
    logger.info('embedded API server started', { url: server.url });
    await installCrd(kubeConfig);
    const widgets = Api.namespaced<Widget>(kubeConfig, WidgetResource, 'default');
    await lastValueFrom(
      widgets.create({
        apiVersion: 'example.com/v1alpha1',
        kind: 'Widget',
        metadata: { name: 'hello' },
        spec: { message: 'Hello from kube-rx' },
      }),
    );
    logger.info('created Widget default/hello');
    const operator = startOperator(kubeConfig, logger);
    try {
      if (!config.once) {
        logger.info('running; Ctrl-C to stop');
        await sleep(2 ** 31 - 1, undefined, { signal: config.signal }).catch(() => undefined);
        return true;
      }
      const timeout = config.timeoutMs;
      await firstValueFrom(
        awaitCondition(widgets, 'hello', (w) => isConditionTrue(w?.status?.conditions, 'Ready'), {
          timeout,
        }),
      );
      logger.info('Widget default/hello is Ready; deleting it');
      await lastValueFrom(widgets.delete('hello'));
      await firstValueFrom(awaitCondition(widgets, 'hello', (w) => w === undefined, { timeout }));
      logger.info('Widget default/hello is gone: the finalizer cleaned up');
      return true;
    } finally {
      await operator.stop();
    }
  } finally {
    await server.close();
  }
}
