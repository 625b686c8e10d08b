import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressKind, checkTarget, postSigned, type Resolver } from '../src/index.js';

/** A resolver that answers from a table and counts its calls; no query ever leaves the process. */
function table(entries: Record<string, string[]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (host: string) => {
    calls.push(host);
    const addresses = entries[host];
    if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }));
  };
  return Object.assign(resolve, { calls });
}

describe('webhook target policy (addresses)', () => {
  it.each([
    ['93.184.215.14', 'public'], ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', 'public'], ['8.8.8.8', 'public'],
    ['127.0.0.1', 'private'], ['127.255.0.9', 'private'], ['::1', 'private'], ['10.1.2.3', 'private'], ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['100.64.0.1', 'private'], ['fc00::1', 'private'], ['fd12:3456::1', 'private'],
    ['::ffff:127.0.0.1', 'private'], ['::ffff:10.0.0.1', 'private'],
    ['169.254.169.254', 'forbidden'], ['169.254.0.1', 'forbidden'], ['fe80::1', 'forbidden'], ['::ffff:169.254.169.254', 'forbidden'],
    ['100.100.100.200', 'forbidden'], ['fd00:ec2::254', 'forbidden'], ['0.0.0.0', 'forbidden'], ['0.1.2.3', 'forbidden'], ['::', 'forbidden'],
    ['224.0.0.1', 'forbidden'], ['255.255.255.255', 'forbidden'], ['240.0.0.1', 'forbidden'], ['ff02::1', 'forbidden'],
    ['64:ff9b::a9fe:a9fe', 'forbidden'], ['2002:a9fe:a9fe::1', 'forbidden'], ['not-an-ip', 'forbidden'],
  ])('%s is %s', (address, kind) => {
    expect(addressKind(address).kind).toBe(kind);
  });
});

describe('webhook target policy (URLs)', () => {
  const resolve = table({
    'hooks.example': ['93.184.215.14'], 'metadata.internal': ['169.254.169.254'], 'intranet.example': ['10.0.0.7'],
    'mixed.example': ['93.184.215.14', '127.0.0.1'], 'mixed-meta.example': ['93.184.215.14', '169.254.169.254'], 'v6.example': ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'], 'empty.example': [],
  });
  const strict = { allowPrivate: false, resolve };
  const lenient = { allowPrivate: true, resolve };
  const check = (url: string, p = strict) => checkTarget(new URL(url), p);

  it('accepts a public host and returns the address to connect to', async () => {
    expect(await check('https://hooks.example/cb')).toEqual({ ok: true, hostname: 'hooks.example', address: '93.184.215.14', family: 4 });
    expect(await check('https://v6.example/cb')).toMatchObject({ ok: true, family: 6 });
    expect(await check('https://93.184.215.14/cb')).toMatchObject({ ok: true, address: '93.184.215.14' });
  });

  it('refuses loopback and private targets, in every spelling, unless the operator allows them', async () => {
    for (const url of ['http://127.0.0.1:8080/x', 'http://[::1]/x', 'http://2130706433/x', 'http://0x7f.1/x', 'http://127.1/x', 'http://intranet.example/x', 'http://[::ffff:7f00:1]/x']) {
      const refused = await check(url);
      expect(refused.ok, url).toBe(false);
      expect(refused.ok ? '' : refused.reason, url).toMatch(/OPENCAR_WEBHOOK_ALLOW_PRIVATE/);
      expect((await check(url, lenient)).ok, url).toBe(true);
    }
  });

  it('always refuses link-local and metadata targets, and names that mix in a refused address', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://metadata.internal/', 'http://[fe80::1]/', 'http://100.100.100.200/', 'http://[fd00:ec2::254]/', 'http://0.0.0.0:3000/', 'http://mixed-meta.example/']) {
      expect((await check(url, lenient)).ok, url).toBe(false);
    }
    expect(await check('http://mixed.example/')).toMatchObject({ ok: false, reason: expect.stringContaining('127.0.0.1') });
  });

  it('refuses hosts that do not resolve or have no address', async () => {
    expect(await check('https://nowhere.example/')).toMatchObject({ ok: false, reason: expect.stringContaining('cannot be resolved') });
    expect(await check('https://empty.example/')).toMatchObject({ ok: false, reason: expect.stringContaining('no address') });
  });
});

describe('delivery connects to the checked address only', () => {
  let server: Server;
  let port: number;
  const seen: { host: string | undefined; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { seen.push({ host: req.headers.host, body }); res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => { await new Promise<void>((r) => server.close(() => r())); });

  it('resolves once and never asks DNS again before connecting (no rebinding)', async () => {
    let answers = 0;
    // First answer 127.0.0.1 (allowed here), every later one the metadata address.
    const rebinding: Resolver = async () => [{ address: answers++ === 0 ? '127.0.0.1' : '169.254.169.254', family: 4 }];
    const res = await postSigned(`http://hooks.test:${port}/hook`, '{"a":1}', { 'SC-Signature': 'x' }, 2000, { allowPrivate: true, resolve: rebinding });
    expect(res).toMatchObject({ status: 200, error: null, body: '{"ok":true}' });
    expect(answers).toBe(1);
    expect(seen.at(-1)).toEqual({ host: `hooks.test:${port}`, body: '{"a":1}' });
  });

  it('sends nothing when the target is refused', async () => {
    const before = seen.length;
    const res = await postSigned(`http://127.0.0.1:${port}/hook`, '{}', {}, 2000, { allowPrivate: false });
    expect(res).toMatchObject({ status: null, error: expect.stringMatching(/^refused: .*loopback/) });
    expect(seen.length).toBe(before);
  });

  it('keeps only the first kilobyte of a long answer', async () => {
    const big = createServer((_req, res) => { res.writeHead(200); res.end('y'.repeat(100_000)); });
    await new Promise<void>((r) => big.listen(0, '127.0.0.1', r));
    const res = await postSigned(`http://127.0.0.1:${(big.address() as AddressInfo).port}/`, '{}', {}, 2000, { allowPrivate: true });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1024);
    await new Promise<void>((r) => big.close(() => r()));
  });
});
