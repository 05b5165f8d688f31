import { firstValueFrom, lastValueFrom, type Observable } from 'rxjs';
import type { Api } from '@kube-rx/core';
import {
  apiVersionOf,
  type ConfigMap,
  isApiError,
  type Logger,
  objectKey,
  objectRef,
  Patch,
} from '@kube-rx/core';
import {
  Action,
  finalizer,
  getCondition,
  setCondition,
  type ConditionInput,
  type EventInput,
  type Recorder,
} from '@kube-rx/controller';
import { configMapName, WIDGET_FINALIZER, WidgetResource, type Widget } from './widget.js';

/** What every reconcile gets as `ctx`. */
export interface WidgetContext {
  /** Widgets in all namespaces (`inNamespace(ns)` for single-object calls). */
  widgets: Api<Widget>;
  /** ConfigMaps in all namespaces. */
  configMaps: Api<ConfigMap>;
  /** Publishes Events about Widgets. */
  recorder: Recorder;
  logger: Logger;
}

/**
 * Reconciles one Widget. `finalizer()` adds the finalizer first; then `Apply` makes the Widget's
 * ConfigMap match its spec and sets `Ready=True`, and `Cleanup` (the Widget is being deleted)
 * deletes the ConfigMap before the finalizer is released.
 */
export function reconcileWidget(widget: Widget, ctx: WidgetContext): Observable<Action> {
  const namespace = widget.metadata?.namespace ?? 'default';
  return finalizer(ctx.widgets.inNamespace(namespace), WIDGET_FINALIZER, widget, (event) =>
    event.type === 'Apply' ? applyWidget(event.object, ctx) : cleanupWidget(event.object, ctx),
  );
}

async function applyWidget(widget: Widget, ctx: WidgetContext): Promise<Action> {
  const desired = desiredConfigMap(widget);
  const name = configMapName(widget);
  const configMaps = ctx.configMaps.inNamespace(widget.metadata?.namespace ?? 'default');
  const current = await firstValueFrom(configMaps.getOpt(name));
  if (current === undefined) {
    await lastValueFrom(configMaps.create(desired));
    publish(ctx, widget, { reason: 'ConfigMapCreated', action: 'Reconcile', note: name });
  } else if (current.data?.['message'] !== desired.data?.['message']) {
    await lastValueFrom(configMaps.patch(name, Patch.merge({ data: desired.data })));
    publish(ctx, widget, { reason: 'ConfigMapUpdated', action: 'Reconcile', note: name });
  }
  await writeCondition(widget, ctx, {
    type: 'Ready',
    status: 'True',
    reason: 'ConfigMapReady',
    message: `ConfigMap ${name} is up to date`,
  });
  // Our own writes trigger the next reconcile; look again in 5 minutes anyway (drift repair).
  return Action.requeue(300_000);
}

async function cleanupWidget(widget: Widget, ctx: WidgetContext): Promise<Action> {
  const name = configMapName(widget);
  const configMaps = ctx.configMaps.inNamespace(widget.metadata?.namespace ?? 'default');
  try {
    await lastValueFrom(configMaps.delete(name));
  } catch (error) {
    if (!isApiError(error, 404)) throw error;
  }
  publish(ctx, widget, { reason: 'ConfigMapDeleted', action: 'Cleanup', note: name });
  return Action.awaitChange();
}

/** The ConfigMap a Widget wants, owned by it (Kubernetes' garbage collector follows the owner). */
export function desiredConfigMap(widget: Widget): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configMapName(widget),
      namespace: widget.metadata?.namespace ?? 'default',
      ownerReferences: [
        {
          apiVersion: apiVersionOf(WidgetResource),
          kind: WidgetResource.kind,
          name: widget.metadata?.name ?? '',
          uid: widget.metadata?.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    data: { message: widget.spec?.message ?? '' },
  };
}

/**
 * Sets a condition on the Widget's status for its current generation; writes nothing when it
 * is already there (so the status write does not trigger reconciles forever).
 */
export async function writeCondition(
  widget: Widget,
  ctx: WidgetContext,
  condition: Omit<ConditionInput, 'observedGeneration'>,
): Promise<void> {
  const generation = widget.metadata?.generation;
  const current = getCondition(widget.status?.conditions, condition.type);
  if (
    current?.status === condition.status &&
    current.reason === condition.reason &&
    current.message === condition.message &&
    current.observedGeneration === generation
  ) {
    return;
  }
  const conditions = setCondition(widget.status?.conditions, {
    ...condition,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  });
  const widgets = ctx.widgets.inNamespace(widget.metadata?.namespace ?? 'default');
  const status = { observedGeneration: generation, conditions };
  await lastValueFrom(widgets.patchStatus(widget.metadata?.name ?? '', Patch.merge({ status })));
}

// Events are informational: a failure to publish one is logged, never fails the reconcile.
function publish(ctx: WidgetContext, widget: Widget, event: EventInput): void {
  ctx.recorder.publish(event, objectRef(widget)).catch((error: unknown) => {
    ctx.logger.warn('publishing an event failed', { object: objectKey(widget), error });
  });
}
