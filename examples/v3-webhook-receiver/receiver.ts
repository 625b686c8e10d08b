/**
 * A receiver for opencar (and Smartcar) API v3 webhooks, payload 4.0, with Node's standard library
 * only. It verifies `SC-Signature` on the raw request bytes, answers the VERIFY challenge, skips
 * events it has already handled (by `eventId`: retries carry the same one) and hands each vehicle's
 * events to the app in `meta.sequence` order (holding back an event until the one before it came).
 *
 * Run it: `npx tsx examples/v3-webhook-receiver/receiver.ts <application management token>`
 * (listens on 127.0.0.1:8787, path /webhooks).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface V3Event {
  eventId: string;
  eventType: 'VERIFY' | 'VEHICLE_STATE' | 'VEHICLE_ERROR' | string;
  data: Record<string, unknown> & { vehicle?: { id: string } };
  meta: { version: string; webhookId: string; sequence?: number; deliveryId?: string; deliveredAt?: number } & Record<string, unknown>;
}

/** Hex HMAC-SHA256 of `data` keyed with the application management token. */
export function hmacHex(amt: string, data: string | Buffer): string {
  return createHmac('sha256', amt).update(data).digest('hex');
}

/** True when `signature` (the SC-Signature header) is the HMAC of exactly these bytes. */
export function verifySignature(amt: string, raw: Buffer, signature: string | undefined): boolean {
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  const want = Buffer.from(hmacHex(amt, raw), 'hex');
  const got = Buffer.from(signature, 'hex');
  return want.length === got.length && timingSafeEqual(want, got);
}

export interface ReceiverOptions {
  amt: string;
  /** Called once per event, per vehicle in sequence order. Throwing makes the sender retry. */
  onEvent: (event: V3Event) => Promise<void> | void;
  /** Most event ids remembered for de-duplication (default 10,000; the oldest are forgotten first). */
  rememberIds?: number;
  /** Most events held back per vehicle waiting for a missing sequence number before they are handed on anyway (default 50). */
  maxHeld?: number;
}

/**
 * The receiving logic without the HTTP server: `handle(raw, signature)` returns the status and
 * body to answer. Kept in memory; a real app keeps the seen ids and sequence numbers in its database.
 */
export class V3Receiver {
  private readonly seen = new Set<string>();
  private readonly next = new Map<string, number>();
  private readonly held = new Map<string, Map<number, V3Event>>();
  constructor(private readonly o: ReceiverOptions) {}

  async handle(raw: Buffer, signature: string | undefined): Promise<{ status: number; body: string }> {
    let event: V3Event;
    try { event = JSON.parse(raw.toString('utf8')) as V3Event; } catch { return { status: 400, body: 'not JSON' }; }
    if (event.eventType === 'VERIFY') {
      // VERIFY is not signed: answer the challenge with its HMAC.
      const challenge = (event.data as { challenge?: unknown }).challenge;
      if (typeof challenge !== 'string') return { status: 400, body: 'no challenge' };
      return { status: 200, body: JSON.stringify({ challenge: hmacHex(this.o.amt, challenge) }) };
    }
    if (!verifySignature(this.o.amt, raw, signature)) return { status: 401, body: 'bad signature' };
    if (this.seen.has(event.eventId)) return { status: 204, body: '' };
    await this.inOrder(event);
    this.remember(event.eventId);
    return { status: 204, body: '' };
  }

  private async inOrder(event: V3Event): Promise<void> {
    const seq = event.meta.sequence;
    const key = `${event.meta.webhookId}/${event.data.vehicle?.id ?? ''}`;
    if (typeof seq !== 'number') { await this.o.onEvent(event); return; }
    const expected = this.next.get(key);
    if (expected !== undefined && seq > expected) {
      const held = this.held.get(key) ?? new Map<number, V3Event>();
      held.set(seq, event);
      this.held.set(key, held);
      if (held.size <= (this.o.maxHeld ?? 50)) return;
      // Too long a gap: the missing events are given up on and the held ones handed on in order.
      this.next.set(key, Math.min(...held.keys()));
      return this.release(key);
    }
    if (expected !== undefined && seq < expected) return; // older than what the app already has
    await this.o.onEvent(event);
    this.next.set(key, seq + 1);
    await this.release(key);
  }

  private async release(key: string): Promise<void> {
    const held = this.held.get(key);
    for (let i = 0; held && i < 10_000; i++) {
      const n = this.next.get(key)!;
      const e = held.get(n);
      if (!e) break;
      held.delete(n);
      await this.o.onEvent(e);
      this.remember(e.eventId);
      this.next.set(key, n + 1);
    }
  }

  private remember(id: string): void {
    this.seen.add(id);
    const max = this.o.rememberIds ?? 10_000;
    if (this.seen.size > max) this.seen.delete(this.seen.values().next().value as string);
  }
}

/** An HTTP server around a V3Receiver, reading the raw body before anything parses it. */
export function receiverServer(receiver: V3Receiver, path = '/webhooks'): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== path) { res.writeHead(404).end(); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => { size += c.length; if (size <= 5_000_000) chunks.push(c); });
    req.on('end', () => {
      if (size > 5_000_000) { res.writeHead(413).end(); return; }
      const sig = req.headers['sc-signature'];
      receiver.handle(Buffer.concat(chunks), Array.isArray(sig) ? sig[0] : sig)
        .then((r) => res.writeHead(r.status, r.body.startsWith('{') ? { 'content-type': 'application/json' } : {}).end(r.body))
        .catch(() => res.writeHead(500).end('handler failed'));
    });
  });
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const amt = process.argv[2];
  if (!amt) { console.error('usage: receiver.ts <application management token>'); process.exit(1); }
  const server = receiverServer(new V3Receiver({ amt, onEvent: (e) => console.log(e.eventType, e.data.vehicle?.id, e.meta.sequence, e.eventId) }));
  server.listen(8787, '127.0.0.1', () => console.log('listening on http://127.0.0.1:8787/webhooks'));
}
