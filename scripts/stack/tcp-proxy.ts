import { createConnection, createServer, type Socket } from 'node:net';

/**
 * What a fault test puts between a client and a server (the API and Temporal) to lose their connection at a chosen
 * moment. Modes, for connections open now and later: `pass` forwards both ways; `hold-replies` forwards the client's
 * bytes but keeps the server's (the request arrives, its answer does not); `drop-requests` swallows the client's bytes
 * (the request never arrives). `cut()` drops every connection; `refuse(true)` drops each new one as it comes.
 */
export interface TcpProxy {
  address: string;
  mode: 'pass' | 'hold-replies' | 'drop-requests';
  /** Bytes the client sent that the proxy swallowed (drop-requests) since it started. */
  readonly dropped: number;
  cut(): void;
  refuse(on: boolean): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<Socket>();
  let refusing = false;
  let dropped = 0;
  const proxy = {
    mode: 'pass' as TcpProxy['mode'],
    get dropped() { return dropped; },
  };
  const track = (s: Socket) => { sockets.add(s); s.once('close', () => sockets.delete(s)); s.on('error', () => undefined); };
  const server = createServer((client) => {
    track(client);
    if (refusing) { client.destroy(); return; }
    const upstream = createConnection({ host, port });
    track(upstream);
    client.on('data', (chunk: Buffer) => {
      if (proxy.mode === 'drop-requests') dropped += chunk.length;
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => { if (proxy.mode !== 'hold-replies') client.write(chunk); });
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as { port: number };
  return Object.assign(proxy, {
    address: `127.0.0.1:${own}`,
    cut: () => { for (const s of sockets) s.destroy(); },
    refuse: (on: boolean) => { refusing = on; },
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  });
}
