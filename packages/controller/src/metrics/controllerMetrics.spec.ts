import { ApiError, HttpError } from '@kube-rx/core';
import { Registry } from 'prom-client';
import { from } from 'rxjs';
import { Action } from '../action.js';
import { ControllerError } from '../controller/controllerError.js';
import { ReconcileReason } from '../controller/reconcileReason.js';
import { Err, Ok } from '../result.js';
import { ControllerMetrics } from './controllerMetrics.js';

const ref = { namespace: 'ns', name: 'w1' };
const reason = ReconcileReason.objectUpdated();

describe('ControllerMetrics', () => {
  it('records results by outcome and error class', async () => {
    const metrics = new ControllerMetrics();
    from([
      Ok({ ref, reason, action: Action.awaitChange(), durationMs: 20 }),
      Err(
        new ControllerError('ReconcilerFailed', {
          ref,
          reason,
          durationMs: 5,
          cause: new HttpError('x'),
        }),
      ),
      Err(
        new ControllerError('ReconcilerFailed', {
          ref,
          reason,
          cause: new ApiError({ code: 422 }),
        }),
      ),
      Err(new ControllerError('ObjectNotFound', { ref, reason })),
      Err(new ControllerError('QueueError', { cause: new Error('watch') })),
    ])
      .pipe(metrics.observe('widgets'))
      .subscribe();
    metrics.watcherRestarts.inc({ controller: 'widgets', watcher: 'main' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('kube_rx_reconcile_total{controller="widgets",result="success"} 1');
    expect(text).toContain('kube_rx_reconcile_total{controller="widgets",result="error"} 2');
    expect(text).toContain('kube_rx_reconcile_total{controller="widgets",result="not_found"} 1');
    expect(text).toContain(
      'kube_rx_reconcile_errors_total{controller="widgets",class="transient"} 1',
    );
    expect(text).toContain(
      'kube_rx_reconcile_errors_total{controller="widgets",class="permanent"} 1',
    );
    expect(text).toContain('kube_rx_reconcile_errors_total{controller="widgets",class="queue"} 1');
    expect(text).toContain('kube_rx_reconcile_duration_seconds_count{controller="widgets"} 2');
    expect(text).toContain('kube_rx_watcher_restarts_total{controller="widgets",watcher="main"} 1');
  });

  it('uses its own registry, so two instances do not clash', () => {
    expect(() => [new ControllerMetrics(), new ControllerMetrics()]).not.toThrow();
    const shared = new Registry();
    new ControllerMetrics({ registry: shared, prefix: 'a_' });
    expect(shared.getSingleMetric('a_queue_depth')).toBeDefined();
    expect(() => new ControllerMetrics({ prefix: 'bad-prefix' })).toThrow(TypeError);
  });
});
