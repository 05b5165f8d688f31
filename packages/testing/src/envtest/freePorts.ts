import { createServer, type Server } from 'node:net';

function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * `count` distinct TCP ports on 127.0.0.1 that were free a moment ago: the kernel picks them for
 * listeners that are all open at once (so no port is handed out twice) and then closed. Another
 * process may take one before the caller binds it; the window is short enough for tests.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let index = 0; index < count; index++) servers.push(await listen());
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address !== 'object') {
        throw new Error('freePorts: a listener has no TCP address');
      }
      return address.port;
    });
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }
}
