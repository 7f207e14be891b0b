import { connect, createServer, type Socket } from 'node:net';

/** A TCP relay on loopback that a test can cut and restore, standing between a server and its database. */
export interface TcpRelay {
  port: number;
  /**
   * The database goes away as a crashed host does: open connections are dropped, and new ones are accepted but
   * never answered, so only the client's own timeouts end them.
   */
  cut(): void;
  /** Connections made from now on reach the database again. */
  restore(): void;
  close(): Promise<void>;
}

/**
 * Relays 127.0.0.1:<port> to `host:port`.
 *
 * @example const relay = await openRelay('127.0.0.1', 5432); relay.cut(); relay.restore();
 */
export function openRelay(host: string, port: number): Promise<TcpRelay> {
  const open = new Set<Socket>();
  let down = false;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const server = createServer((client) => {
    track(client);
    if (down) return;
    const upstream = connect(port, host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  const dropAll = () => {
    for (const socket of open) socket.destroy();
  };

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        cut() {
          down = true;
          dropAll();
        },
        restore() {
          down = false;
          // What was held while down has long timed out on the client's side.
          dropAll();
        },
        close: () =>
          new Promise((done) => {
            dropAll();
            server.close(() => done());
          }),
      });
    });
  });
}
