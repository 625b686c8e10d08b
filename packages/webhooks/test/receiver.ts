import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

/** The official Smartcar Node SDK (CommonJS, untyped): only its webhook helpers are used here. */
const smartcar = createRequire(import.meta.url)('smartcar') as {
  verifyPayload(amt: string, signature: string, body: unknown): boolean;
  hashChallenge(amt: string, challenge: string): string;
};

export interface Received {
  deliveryId: string | undefined;
  /** The body exactly as it arrived, and its SC-Signature header. */
  raw: string;
  signature: string;
  verified: boolean;
  body: { version: string; webhookId: string; eventName: string; mode?: string; payload: Record<string, unknown> };
}

export type ReceiverMode = 'ok' | 'hang' | 'error';

/**
 * A webhook receiver on 127.0.0.1 that checks every delivery with the official SDK's verifyPayload
 * and answers the verify challenge with hashChallenge. `mode` switches between healthy, hanging
 * (never answers) and failing (HTTP 500); `stop()` + `start()` on the same port simulates refusal.
 */
export class Receiver {
  readonly received: Received[] = [];
  mode: ReceiverMode = 'ok';
  /** Optional per-request override: return a status to answer with. */
  failWhen?: (r: Received) => number | undefined;
  private server: Server | null = null;
  port = 0;

  constructor(private readonly amt: string) {}

  get url(): string { return `http://127.0.0.1:${this.port}/hook`; }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(this.port, '127.0.0.1', () => resolve()); });
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

  /** Payload eventIds of verified event deliveries, in arrival order. */
  events(): { eventId: string; vehicleId: string; deliveryId: string | undefined }[] {
    return this.received.filter((r) => r.body.eventName === 'eventBased')
      .map((r) => ({ eventId: r.body.payload.eventId as string, vehicleId: r.body.payload.vehicleId as string, deliveryId: r.deliveryId }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = JSON.parse(raw) as Received['body'];
    const signature = String(req.headers['sc-signature'] ?? '');
    const r: Received = { deliveryId: req.headers['sc-delivery-id'] as string | undefined, raw, signature, verified: smartcar.verifyPayload(this.amt, signature, body), body };
    this.received.push(r);
    if (this.mode === 'hang') return; // never answers; the sender's timeout fires
    const forced = this.failWhen?.(r);
    if (this.mode === 'error' || forced) { res.writeHead(forced ?? 500).end('down'); return; }
    // API v3 (payload 4.0): VERIFY is unsigned and carries the challenge at data.challenge.
    const v3 = body as unknown as { eventType?: string; data?: { challenge?: string } };
    if (v3.eventType === 'VERIFY') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: smartcar.hashChallenge(this.amt, String(v3.data?.challenge)) }));
      return;
    }
    if (body.eventName === 'verify') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: smartcar.hashChallenge(this.amt, body.payload.challenge as string) }));
      return;
    }
    res.writeHead(204).end();
  }
}
