import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One payload 4.0 delivery as a receiver got it: the raw bytes, whether SC-Signature matched them, and the parsed event. */
export interface V3Received { path: string; raw: string; signed: boolean; event: { eventId: string; eventType: string; data: Record<string, unknown>; meta: Record<string, unknown> } }

/** A receiver on 127.0.0.1 that checks SC-Signature over the raw body (hex HMAC-SHA256 keyed by the AMT). */
export class V3Receiver {
  readonly received: V3Received[] = [];
  /** Answer with this status instead of 204 (e.g. 503 while "down"). */
  failWith: number | null = null;
  private server: Server | null = null;
  port = 0;
  constructor(private readonly amt: string) {}
  url(path = '/events'): string { return `http://127.0.0.1:${this.port}${path}`; }
  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  /** Accepted deliveries (2xx answered). */
  accepted(): V3Received[] { return this.received.filter((r) => (r as V3Received & { ok?: boolean }).ok); }
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const signed = createHmac('sha256', this.amt).update(raw).digest('hex') === req.headers['sc-signature'];
    const r = { path: req.url ?? '', raw, signed, event: JSON.parse(raw) as V3Received['event'], ok: this.failWith === null };
    this.received.push(r);
    if (this.failWith !== null) { res.writeHead(this.failWith).end('down'); return; }
    res.writeHead(204).end();
  }
}
