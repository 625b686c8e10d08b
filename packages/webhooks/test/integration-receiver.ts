import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

const smartcar = createRequire(import.meta.url)('smartcar') as { hashChallenge(amt: string, challenge: string): string };

export interface RawRequest { raw: string; headers: IncomingMessage['headers']; body: { eventType?: string; data?: { challenge?: string }; [k: string]: unknown } }

/**
 * A payload 4.0 receiver on 127.0.0.1 that answers VERIFY (`data.challenge`) with the official SDK's
 * hashChallenge, keeping every raw request. `answer` 'wrong' hashes with another key, 'error' fails.
 */
export class IntegrationReceiver {
  readonly requests: RawRequest[] = [];
  answer: 'ok' | 'wrong' | 'error' = 'ok';
  private server: Server | null = null;
  port = 0;

  constructor(private readonly amt: string) {}

  get url(): string { return `http://127.0.0.1:${this.port}/v3-hook`; }

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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = JSON.parse(raw) as RawRequest['body'];
    this.requests.push({ raw, headers: req.headers, body });
    if (this.answer === 'error') { res.writeHead(500).end('down'); return; }
    if (body.eventType === 'VERIFY') {
      const key = this.answer === 'wrong' ? `${this.amt}-not` : this.amt;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: smartcar.hashChallenge(key, body.data!.challenge!) }));
      return;
    }
    res.writeHead(204).end();
  }
}
