import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { Subject, share, type Observable } from 'rxjs';
import { Api, ConfigMap, refKey, type Logger } from '@kube-rx/core';
import {
  Controller,
  perKeyBackoff,
  Recorder,
  type ControllerError,
  type ReconcileOk,
  type Result,
} from '@kube-rx/controller';
import { reconcileWidget, writeCondition, type WidgetContext } from './reconcile.js';
import { OPERATOR_NAME, WidgetResource, type Widget } from './widget.js';

/** A running operator. */
export interface RunningOperator {
  /** Every reconcile result (shared: the operator runs whether or not anyone listens). */
  readonly results$: Observable<Result<ReconcileOk, ControllerError>>;
  /** Whether the Widget cache has been listed (the readiness probe). */
  isReady(): boolean;
  /** Graceful shutdown: no new reconciles, running ones finish; resolves when all stopped. */
  stop(): Promise<void>;
}

/** The clients and the Event recorder of the operator. */
export function createContext(kubeConfig: KubeConfig, logger: Logger): WidgetContext {
  return {
    // Client-level retries of 429/503/504 inside each call.
    widgets: Api.all<Widget>(kubeConfig, WidgetResource, { retry: true }),
    configMaps: Api.all<ConfigMap>(kubeConfig, ConfigMap, { retry: true }),
    recorder: new Recorder(kubeConfig, {
      reportingController: OPERATOR_NAME,
      reportingInstance: hostname(),
    }),
    logger,
  };
}

/** The controller: Widgets in all namespaces, and the ConfigMaps they own. */
export function widgetController(ctx: WidgetContext): Controller<Widget> {
  return new Controller<Widget>(ctx.widgets).owns(ctx.configMaps);
}

/**
 * The error policy: transient errors are retried with per-Widget exponential backoff;
 * permanent ones (e.g. 422 from the API) are recorded as `Ready=False` and wait for a change.
 */
export function widgetErrorPolicy() {
  return perKeyBackoff<Widget, unknown, WidgetContext>(undefined, {
    recordCondition: (widget, error, ctx) =>
      writeCondition(widget, ctx, {
        type: 'Ready',
        status: 'False',
        reason: 'ReconcileFailed',
        message: error instanceof Error ? error.message : String(error),
      }),
  });
}

/** Starts the operator and logs each reconcile. */
export function startOperator(kubeConfig: KubeConfig, logger: Logger): RunningOperator {
  const ctx = createContext(kubeConfig, logger);
  const shutdown$ = new Subject<void>();
  const controller = widgetController(ctx).gracefulShutdownOn(shutdown$);
  const results$ = controller.run(reconcileWidget, widgetErrorPolicy(), ctx).pipe(share());
  const finished = new Promise<void>((resolve) => {
    results$.subscribe({
      next: (result) => {
        if (result.ok) {
          logger.info('reconciled', {
            object: refKey(result.val.ref),
            next: result.val.action.toString(),
          });
        } else {
          logger.warn('reconcile failed', { error: result.val });
        }
      },
      complete: resolve,
      error: (error: unknown) => {
        logger.error('controller stopped', { error });
        resolve();
      },
    });
  });
  return {
    results$,
    isReady: () => controller.store.isReady,
    stop: async () => {
      shutdown$.next();
      shutdown$.complete();
      await finished;
    },
  };
}
