import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver got it: raw body and headers, and the envelope parsed. */
export interface Received {
  webhookId: string;
  timestamp: string;
  signature: string;
  contentType: string;
  body: string;
  headers: Record<string, string>;
  event: { id: string; type: string; subject: string; time: string; specversion: string; source: string; datacontenttype: string; data: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** How the receiver answers: 204, a 500, never in time (`slow`), or holding each request until released. */
export type ReceiverMode = 'ok' | 'error' | 'slow' | 'hold';

/**
 * A subscriber on loopback (127.0.0.1, a free port) that records every request it gets. `down()` closes the port
 * (connection refused) and `up()` listens on the same port again.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  mode: ReceiverMode = 'ok';
  private server: Server | undefined;
  private port = 0;
  private readonly held: ServerResponse[] = [];
  private readonly sockets = new Set<import('node:net').Socket>();

  get url(): string { return `http://127.0.0.1:${this.port}/hooks/precharge`; }

  async up(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => { this.sockets.add(socket); socket.on('close', () => this.sockets.delete(socket)); });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Closes the port and every open connection: the next attempt is refused. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** Answers every held request with 204 (whether or not its sender is still there). */
  release(): void {
    for (const res of this.held.splice(0)) { try { res.writeHead(204).end(); } catch { /* the sender is gone */ } }
  }

  get heldCount(): number { return this.held.length; }

  /** Every event once, in the order first received, for one case. */
  firstReceipts(caseId: string): Received[] {
    const seen = new Set<string>();
    return this.received.filter((r) => r.event.subject === caseId && !seen.has(r.webhookId) && seen.add(r.webhookId));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const header = (name: string) => String(req.headers[name] ?? '');
    this.received.push({
      webhookId: header('webhook-id'), timestamp: header('webhook-timestamp'), signature: header('webhook-signature'), contentType: header('content-type'),
      body, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), event: JSON.parse(body),
    });
    if (this.mode === 'ok') res.writeHead(204).end();
    else if (this.mode === 'error') res.writeHead(500).end('synthetic failure');
    else if (this.mode === 'hold') this.held.push(res);
    // `slow`: never answers; the sender's timeout ends it.
  }
}
