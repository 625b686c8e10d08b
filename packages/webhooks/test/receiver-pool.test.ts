import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiverPool, postSigned, type Resolver } from '../src/index.js';

/** A receiver on 127.0.0.1 that counts the connections it accepts and keeps what it was sent. */
async function receiver(answer: (body: string, res: import('node:http').ServerResponse) => void = (_b, res) => { res.writeHead(204).end(); }) {
  const seen: { host: string | undefined; body: string }[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { seen.push({ host: req.headers.host, body }); answer(body, res); });
  });
  server.on('connection', (s: Socket) => { connections++; sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port, seen, get connections() { return connections; },
    /** Closes every connection that is not serving a request (what a receiver's idle timeout does). */
    dropIdle: () => server.closeIdleConnections(),
    stop: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('receiver pools: keep-alive connections, each new one checked against the target policy', () => {
  let rx: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => { rx = await receiver(); });
  afterAll(async () => { await rx?.stop(); });

  it('sends consecutive deliveries over kept-alive connections', async () => {
    const pool = new ReceiverPool({ allowPrivate: true });
    const before = rx.connections;
    for (let i = 0; i < 20; i++) {
      const res = await postSigned(`http://127.0.0.1:${rx.port}/hook`, `{"n":${i}}`, { 'SC-Signature': 'x' }, 2000, { allowPrivate: true }, pool);
      expect(res).toMatchObject({ status: 204, error: null });
    }
    // undici may open a second connection when the next request comes before the last one has freed its own.
    expect(rx.connections - before).toBeLessThanOrEqual(2);
    expect(rx.seen.slice(-20).map((s) => s.body)).toEqual(Array.from({ length: 20 }, (_, i) => `{"n":${i}}`));
    await pool.close();
  });

  it('resolves and checks the host for every new connection, never for a reused one, and connects to the checked address', async () => {
    let answers = 0;
    let rebound = false;
    // Allowed answers until the name is rebound to an address webhooks never target (0.0.0.0, the unspecified
    // address: were the check ever skipped, a connection to it would still stay on this machine).
    const rebinding: Resolver = async () => { answers++; return [{ address: rebound ? '0.0.0.0' : '127.0.0.1', family: 4 }]; };
    const policy = { allowPrivate: true, resolve: rebinding };
    const pool = new ReceiverPool(policy);
    const url = `http://hooks.test:${rx.port}/hook`;
    const opened = rx.connections;
    for (let i = 0; i < 10; i++) expect(await postSigned(url, '{"a":1}', {}, 2000, policy, pool)).toMatchObject({ status: 204, error: null });
    expect(answers).toBe(rx.connections - opened); // one check per new connection, none for a reused one
    expect(answers).toBeLessThanOrEqual(2);
    expect(rx.seen.at(-1)).toEqual({ host: `hooks.test:${rx.port}`, body: '{"a":1}' });
    // Rebound, and the receiver closes the idle connections: the next delivery needs a new one, whose check refuses it.
    rebound = true;
    rx.dropIdle();
    await new Promise((r) => setTimeout(r, 50));
    const before = rx.seen.length;
    const refused = await postSigned(url, '{"a":2}', {}, 2000, policy, pool);
    expect(refused).toMatchObject({ status: null, body: null, error: expect.stringMatching(/^refused: hooks\.test points to 0\.0\.0\.0, a unspecified address/) });
    expect(rx.seen.length).toBe(before);
    await pool.close();
  });

  it('refuses a loopback receiver when private targets are not allowed, and sends nothing', async () => {
    const pool = new ReceiverPool({ allowPrivate: false });
    const before = rx.seen.length;
    const res = await postSigned(`http://127.0.0.1:${rx.port}/hook`, '{}', {}, 2000, { allowPrivate: false }, pool);
    expect(res).toMatchObject({ status: null, error: expect.stringMatching(/^refused: .*loopback/) });
    expect(rx.seen.length).toBe(before);
    await pool.close();
  });

  it('delivers on a new connection when the receiver closed the kept-alive one', async () => {
    const pool = new ReceiverPool({ allowPrivate: true });
    const url = `http://127.0.0.1:${rx.port}/hook`;
    for (let round = 0; round < 5; round++) {
      expect(await postSigned(url, `{"r":${round}}`, {}, 2000, { allowPrivate: true }, pool)).toMatchObject({ status: 204, error: null });
      rx.dropIdle();
    }
    await pool.close();
  });

  it('keeps only the first kilobyte of a long answer, and times out a receiver that never answers', async () => {
    const big = await receiver((_b, res) => { res.writeHead(200); res.end('y'.repeat(100_000)); });
    const hang = await receiver(() => {});
    const pool = new ReceiverPool({ allowPrivate: true });
    const long = await postSigned(`http://127.0.0.1:${big.port}/`, '{}', {}, 2000, { allowPrivate: true }, pool);
    expect(long.status).toBe(200);
    expect(long.body).toHaveLength(1024);
    const t0 = performance.now();
    const slow = await postSigned(`http://127.0.0.1:${hang.port}/`, '{}', {}, 300, { allowPrivate: true }, pool);
    expect(slow).toMatchObject({ status: null, error: 'timed out after 300 ms' });
    expect(performance.now() - t0).toBeLessThan(2000);
    await pool.close();
    await big.stop();
    await hang.stop();
  });

  it('does not follow redirects', async () => {
    const redirect = await receiver((_b, res) => { res.writeHead(302, { location: `http://127.0.0.1:${rx.port}/hook` }).end(); });
    const pool = new ReceiverPool({ allowPrivate: true });
    const before = rx.seen.length;
    expect(await postSigned(`http://127.0.0.1:${redirect.port}/`, '{}', {}, 2000, { allowPrivate: true }, pool)).toMatchObject({ status: 302 });
    expect(rx.seen.length).toBe(before);
    await pool.close();
    await redirect.stop();
  });
});
