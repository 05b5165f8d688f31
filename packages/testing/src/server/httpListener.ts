import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The HTTP listener on 127.0.0.1 and every socket it accepted, so the server can refuse
 * connections (close the listener), listen again on the same port, and destroy connections.
 */
export class HttpListener {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;
  private listening = false;

  constructor(handler: (request: IncomingMessage, response: ServerResponse) => void) {
    this.server = createServer({ keepAlive: true }, handler);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get port(): number {
    return this.boundPort;
  }

  get isListening(): boolean {
    return this.listening;
  }

  /** Listens on `port` (0: any free port; later calls reuse the first bound port). */
  listen(port: number): Promise<number> {
    if (this.listening) return Promise.resolve(this.boundPort);
    const target = this.boundPort === 0 ? port : this.boundPort;
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(target, '127.0.0.1', () => {
        this.server.off('error', onError);
        const address = this.server.address();
        this.boundPort = typeof address === 'object' && address !== null ? address.port : target;
        this.listening = true;
        resolve(this.boundPort);
      });
    });
  }

  /** Stops accepting connections and destroys every open one; resolves once fully closed. */
  stop(): Promise<void> {
    if (!this.listening) {
      this.destroyConnections();
      return Promise.resolve();
    }
    this.listening = false;
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.destroyConnections();
    });
  }

  /** Destroys every open connection (idle, in-flight, streaming); keeps listening. */
  destroyConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
