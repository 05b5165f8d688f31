import { ControllerMetrics } from './controllerMetrics.js';
import { startHealthServer } from './healthServer.js';

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
      expect(await response.text()).toContain(
        'controller_runtime_active_workers{controller="w"} 3',
      );
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
