import { ApiError, HttpError } from '@kube-rx/core';
import { Registry } from 'prom-client';
import { from } from 'rxjs';
import { Action } from '../action.js';
import { ControllerError } from '../controller/controllerError.js';
import { ReconcileReason } from '../controller/reconcileReason.js';
import { Err, Ok } from '../result.js';
import { ControllerMetrics } from './controllerMetrics.js';
import { startHealthServer } from './healthServer.js';

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

describe('startHealthServer', () => {
  it('serves /healthz, /readyz and /metrics, and closes cleanly', async () => {
    const metrics = new ControllerMetrics();
    metrics.activeWorkers.set({ controller: 'w' }, 3);
    let ready = false;
    const server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      metrics,
      readiness: () => ready,
    });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
      ready = true;
      const readyz = await fetch(`${server.url}/readyz`);
      expect([readyz.status, await readyz.text()]).toEqual([200, 'ok\n']);
      const response = await fetch(`${server.url}/metrics`);
      expect(response.headers.get('content-type')).toContain('text/plain');
      expect(await response.text()).toContain('kube_rx_active_workers{controller="w"} 3');
      expect((await fetch(`${server.url}/nope`)).status).toBe(404);
      expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('reports a failing liveness check and has no /metrics without a registry', async () => {
    const server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      liveness: () => {
        throw new Error('wedged');
      },
    });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('rejects a bad port', async () => {
    await expect(startHealthServer({ port: -1 })).rejects.toThrow(TypeError);
  });
});
