import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from './helpers.js';

/**
 * Slow and oversized clients against a listening server (127.0.0.1) with short limits: whoever
 * sends too slowly is answered 408 or cut off, idle keep-alives end, a slow answer is not cut, and
 * a body over the limit gets 413 in the documented shape instead of a reset connection.
 */
type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
let port: number;

beforeAll(async () => {
  t = await testApp({ OPENCAR_HEADERS_TIMEOUT_MS: '300', OPENCAR_REQUEST_TIMEOUT_MS: '600', OPENCAR_KEEP_ALIVE_TIMEOUT_MS: '300' });
  t.app.get('/v2.0/__slow-answer', async () => { await new Promise((r) => setTimeout(r, 1500)); return { done: true }; });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as { port: number }).port;
});
afterAll(async () => t?.close());

interface Probe { socket: Socket; closed: Promise<string> }

/** Opens a raw connection, writes `data`, and resolves with what the server sent once it closed (20 s at most). */
function probe(data: string | Buffer): Probe {
  const socket = connect({ host: '127.0.0.1', port });
  let received = '';
  socket.on('data', (d) => { received += d.toString('latin1'); });
  const closed = new Promise<string>((resolve, reject) => {
    const limit = setTimeout(() => { socket.destroy(); reject(new Error(`still open after 20 s; received ${received.slice(0, 120)}`)); }, 20_000);
    socket.on('close', () => { clearTimeout(limit); resolve(received); });
    socket.on('error', () => undefined);
  });
  if (data.length) socket.write(data);
  return { socket, closed };
}

describe('slow clients', () => {
  it('cuts off connections that never finish their headers, or send nothing at all', async () => {
    const probes = [
      ...Array.from({ length: 20 }, (_, i) => probe(`GET /healthz HTTP/1.1\r\nhost: x\r\nx-slow-${i}: `)),
      ...Array.from({ length: 5 }, () => probe('')),
    ];
    const answers = await Promise.all(probes.map((p) => p.closed));
    for (const a of answers) expect(a === '' || a.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('answers 408 and closes connections whose body never arrives in full', async () => {
    const json = 'PATCH /simulator/vehicles/x/state HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"soc"';
    const form = 'POST /oauth/token HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 1000\r\n\r\ngrant_type=';
    const probes = Array.from({ length: 30 }, (_, i) => probe(i % 2 ? json : form));
    const answers = await Promise.all(probes.map((p) => p.closed));
    expect(answers.filter((a) => a.startsWith('HTTP/1.1 408')).length).toBe(30);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const p = probe('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n');
    const answer = await p.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toMatch(/keep-alive: timeout=0/i);
  });

  it('does not cut a request that arrived in time but takes long to answer', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/v2.0/__slow-answer`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
  });
});

describe('bodies over the limit', () => {
  const big = JSON.stringify({ latitude: 1, longitude: 1, pad: 'x'.repeat(2 * 1024 * 1024) });

  it('get 413 VALIDATION:PAYLOAD_TOO_LARGE, announced or chunked, and the client reads it (no reset)', async () => {
    const announced = probe(`PATCH /simulator/vehicles/x/state HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(big)}\r\n\r\n${big}`);
    const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
    const chunked = probe(`PATCH /simulator/vehicles/x/state HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n${chunk(big.slice(0, 700_000))}${chunk(big.slice(700_000, 1_400_000))}${chunk(big.slice(1_400_000))}0\r\n\r\n`);
    for (const p of [announced, chunked]) {
      const answer = await p.closed;
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
      expect(body).toMatchObject({ type: 'VALIDATION', code: 'PAYLOAD_TOO_LARGE', statusCode: 413 });
      expect(Object.keys(body).sort()).toEqual(['code', 'description', 'docURL', 'requestId', 'resolution', 'statusCode', 'suggestedUserMessage', 'type']);
    }
  });

  it('a client still uploading when the answer comes gets the 413, not a reset', async () => {
    const piece = new Uint8Array(64 * 1024).fill(120);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= 128) { controller.close(); return; }
        sent += 1;
        if (sent % 8 === 0) await new Promise((r) => setTimeout(r, 10));
        controller.enqueue(piece);
      },
    });
    const res = await fetch(`http://127.0.0.1:${port}/simulator/vehicles/x/trip`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('through fetch too, on JSON routes, the token endpoint and the dashboard forms', async () => {
    const v = await fetch(`http://127.0.0.1:${port}/simulator/vehicles/x/trip`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(v.status).toBe(413);
    const form = `grant_type=refresh_token&refresh_token=${'x'.repeat(2 * 1024 * 1024)}`;
    const tok = await fetch(`http://127.0.0.1:${port}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(tok.status).toBe(413);
    expect(await tok.json()).toMatchObject({ error: 'invalid_request' });
    const dash = await fetch(`http://127.0.0.1:${port}/dashboard/signin`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(dash.status).toBe(413);
  });
});
