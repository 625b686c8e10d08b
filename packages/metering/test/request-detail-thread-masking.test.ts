import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { openStorage, type Storage } from '@opencar/storage';
import { LedgerThread, MASK, RequestDetailWriter, detailRow, type RequestDetail } from '../src/index.js';

const dirs: string[] = [];
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function withThread(): Promise<{ storage: Storage; thread: LedgerThread; posted: unknown[][] }> {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-detail-mask-'));
  dirs.push(dir);
  const file = join(dir, 'db.sqlite');
  const storage = await openStorage(`sqlite:${file}`);
  open.push(storage);
  const thread = new LedgerThread(file);
  open.push(thread);
  const posted: unknown[][] = [];
  const post = thread.appendDetails.bind(thread);
  thread.appendDetails = (params) => { posted.push([...params]); return post(params); };
  return { storage, thread, posted };
}

const detail = (id: string, over: Partial<RequestDetail> = {}): RequestDetail => ({
  requestId: id, appId: 'app1', at: 5_000, method: 'POST', url: '/v2.0/vehicles/v1/charge/limit?access_token=abc&limit=5',
  requestHeaders: { authorization: 'Bearer eyJ-secret-token', 'content-type': 'application/json' },
  requestBody: { limit: 0.8, client_secret: 'cs-1' }, status: 200, responseHeaders: { 'content-type': 'application/json', 'content-length': 35 },
  responseBody: '{"status":"success","refresh_token":"rt-1"}', ...over,
});

const stored = (s: Storage) => s.db.selectFrom('request_details').selectAll().orderBy('request_id').execute();

describe('request detail masked on the ledger writer thread', () => {
  it('posts the detail unmasked and stores it masked, row for row as the main thread masks it', async () => {
    const { storage, thread } = await withThread();
    const w = new RequestDetailWriter(storage, pino({ level: 'silent' }), { thread, maxDelayMs: 1 });
    w.add(detail('m1'));
    await w.close();
    const rows = await stored(storage);
    expect(rows.map((r) => ({ ...r, at: Number(r.at) }))).toEqual([detailRow(detail('m1'))]);
    expect(JSON.stringify(rows)).not.toMatch(/eyJ-secret-token|cs-1|rt-1|access_token=abc/);
  });

  it('the main thread hands over raw columns only: no masking before the crossing', async () => {
    const { storage, thread, posted } = await withThread();
    const w = new RequestDetailWriter(storage, pino({ level: 'silent' }), { thread, maxDelayMs: 1 });
    w.add(detail('m2'));
    await w.close();
    expect(posted).toHaveLength(1);
    expect(posted[0]).toHaveLength(15);
    // Query and headers as received: the secrets are masked by the thread, not before.
    expect(posted[0]![5]).toBe('access_token=abc&limit=5');
    expect(posted[0]![6]).toEqual({ authorization: 'Bearer eyJ-secret-token', 'content-type': 'application/json' });
    const [row] = await stored(storage);
    expect(row!.query).toBe(`access_token=${MASK}&limit=5`);
    expect(JSON.parse(row!.request_headers).authorization).toBe(`Bearer ${MASK}`);
    expect(JSON.parse(row!.response_headers)['content-length']).toBe('35');
    expect(JSON.parse(row!.request_body!)).toEqual({ limit: 0.8, client_secret: MASK });
  });

  it('a Buffer body crosses as its text with its byte length; a streamed one is not kept', async () => {
    const { storage, thread } = await withThread();
    const w = new RequestDetailWriter(storage, pino({ level: 'silent' }), { thread, maxDelayMs: 1 });
    const bytes = Buffer.from('{"password":"pw-1","é":1}', 'utf8');
    w.add(detail('b1', { requestBody: bytes, responseBody: { pipe: () => {} } }));
    await w.close();
    const [row] = await stored(storage);
    expect({ ...row, at: Number(row!.at) }).toEqual(detailRow(detail('b1', { requestBody: bytes, responseBody: { pipe: () => {} } })));
    expect(row!.request_body_bytes).toBe(bytes.length);
    expect(JSON.parse(row!.request_body!)).toEqual({ password: MASK, é: 1 });
    expect(row!.response_body).toBeNull();
  });

  it('a batch with a body that is not JSON is masked on the main thread: only that request is left out', async () => {
    const { storage, thread } = await withThread();
    const warned: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => { warned.push(JSON.parse(line).requestId as string); } });
    const w = new RequestDetailWriter(storage, log, { thread, maxDelayMs: 1 });
    w.add(detail('ok1'));
    w.add(detail('bad', { requestBody: { big: 1n } }));
    w.add(detail('ok2'));
    await w.close();
    expect((await stored(storage)).map((r) => r.request_id)).toEqual(['ok1', 'ok2']);
    expect(warned).toEqual(['bad']);
    expect(thread.alive).toBe(true);
  });
});

