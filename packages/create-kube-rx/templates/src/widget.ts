import type { ApiResource, KubeObject } from '@kube-rx/core';
import type { Condition } from '@kube-rx/controller';

/** The Widget custom resource (manifests/crd.yaml). */
export const WidgetResource: ApiResource = Object.freeze({
  group: 'example.com',
  version: 'v1alpha1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
});

/** What a Widget asks for. */
export interface WidgetSpec {
  /** Written to the data of the Widget's ConfigMap. */
  message: string;
}

/** What the operator reports back. */
export interface WidgetStatus {
  /** `metadata.generation` the status describes. */
  observedGeneration?: number;
  /** `Ready`: `True` once the ConfigMap matches the spec. */
  conditions?: Condition[];
}

/** A Widget object. */
export interface Widget extends KubeObject {
  spec?: WidgetSpec;
  status?: WidgetStatus;
}

/** Keeps a Widget until its ConfigMap is deleted. */
export const WIDGET_FINALIZER = 'example.com/cleanup';

/** Field manager and `reportingController` of everything the operator writes. */
export const OPERATOR_NAME = 'example.com/widget-operator';

/** Name of the ConfigMap a Widget owns. */
export function configMapName(widget: Widget): string {
  return `${widget.metadata?.name ?? ''}-widget`;
}
