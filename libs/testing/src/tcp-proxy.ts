import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP forwarder on 127.0.0.1 whose link can be cut and restored: an unreachable server. */
export interface TcpProxy {
  /** The port it accepts on (127.0.0.1). */
  readonly port: number;
  /** Destroys every open connection and refuses new ones until `restore()`. */
  cut(): void;
  restore(): void;
  /** Connections forwarded so far (a client that reconnected shows up here). */
  readonly accepted: number;
  /** Connections dropped because the link was cut: attempts to reconnect. */
  readonly refused: number;
  close(): Promise<void>;
}

/** Starts a proxy to `target` on a free port of 127.0.0.1. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let isCut = false;
  let accepted = 0;
  let refused = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A reset peer is the point of the exercise, not a test failure.
    socket.on('error', () => undefined);
  };
  const server: Server = createServer((client) => {
    track(client);
    // While cut, a connection is accepted and dropped at once: the client sees it refused.
    if (isCut) {
      refused++;
      client.destroy();
      return;
    }
    accepted++;
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    port,
    get accepted() {
      return accepted;
    },
    get refused() {
      return refused;
    },
    cut() {
      isCut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      isCut = false;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
