/**
 * A TCP proxy in front of the real PostgreSQL server, so a test can take the "server" away
 * (cut connections, stop listening, hold replies) and bring it back on the same port.
 */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Stops forwarding replies: queries in flight hang as on a partitioned network. */
  holdReplies(): void;
  /** Drops every open connection, like a server crash or restart. */
  cutConnections(): void;
  /** Stops accepting connections (connection refused), leaving open ones / accepts again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let holding = false;
  let port = 0;
  let server: net.Server | null = null;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => undefined);
        }
        client.on('data', (chunk) => upstream.write(chunk));
        upstream.on('data', (chunk) => {
          if (!holding) client.write(chunk);
        });
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });

  /** Refuses new connections at once; open ones live on until cut (close() waits for them). */
  const stopListening = async () => {
    const s = server;
    server = null;
    s?.close();
  };

  const cut = () => {
    for (const s of sockets) s.destroy();
  };

  await listen();
  return {
    get port() {
      return port;
    },
    holdReplies: () => {
      holding = true;
    },
    cutConnections: cut,
    stop: stopListening,
    start: async () => {
      holding = false;
      await listen();
    },
    close: async () => {
      cut();
      await stopListening();
    },
  };
}
