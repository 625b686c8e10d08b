import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { openStorage, RequestDetailsRepo, type Storage } from '@opencar/storage';
import { LedgerThread, MASK, RequestDetailWriter, detailRow, type RequestDetail } from '../src/index.js';

const log = pino({ level: 'silent' });
const dirs: string[] = [];
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function fileStorage(): Promise<{ storage: Storage; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-detail-'));
  dirs.push(dir);
  const file = join(dir, 'db.sqlite');
  const storage = await openStorage(`sqlite:${file}`);
  open.push(storage);
  return { storage, file };
}

const detail = (id: string, over: Partial<RequestDetail> = {}): RequestDetail => ({
  requestId: id, appId: 'app1', at: 1_000 + id.length, method: 'POST', url: '/v2.0/vehicles/v1/charge/limit?access_token=abc&limit=5',
  requestHeaders: { authorization: 'Bearer eyJ-secret-token', 'content-type': 'application/json', 'user-agent': 'sdk/1 "quoted"\n' },
  requestBody: { limit: 0.8, note: 'ünïcode ✓' }, status: 200, responseHeaders: { 'content-type': 'application/json; charset=utf-8', 'sc-request-id': id },
  responseBody: '{"status":"success","message":"ok"}', ...over,
});

const stored = (s: Storage) => s.db.selectFrom('request_details').selectAll().orderBy('request_id').execute();

describe('request detail writer on the ledger writer thread (file-backed SQLite)', () => {
  it('writes every batch through the thread exactly as the main thread would, keeping a stored request id', async () => {
    const { storage, file } = await fileStorage();
    await new RequestDetailsRepo(storage.db).insertMany([detailRow(detail('r000', { status: 201 }))]);
    const thread = new LedgerThread(file);
    open.push(thread);
    const posted: number[] = [];
    const post = thread.appendDetails.bind(thread);
    thread.appendDetails = (params) => { posted.push(params.length / 15); return post(params); };
    const w = new RequestDetailWriter(storage, log, { thread, maxBatch: 120, maxDelayMs: 1 });
    const ids = Array.from({ length: 251 }, (_, i) => `r${String(i).padStart(3, '0')}`);
    // Some without bodies (nulls cross too); 120-row batches insert in chunks with a remainder.
    for (const [i, id] of ids.entries()) w.add(detail(id, i % 7 === 0 ? { requestBody: undefined, responseBody: undefined } : {}));
    await w.flush();
    const rows = await stored(storage);
    expect(rows).toHaveLength(251);
    expect(posted).toEqual([120, 120, 11]); // every batch went through the thread
    expect(rows[0]!.response_status).toBe(201); // already stored: left as it was
    for (const [i, r] of rows.entries()) {
      if (i === 0) continue;
      expect({ ...r, at: Number(r.at) }).toEqual(detailRow(detail(ids[i]!, i % 7 === 0 ? { requestBody: undefined, responseBody: undefined } : {})));
    }
    expect(rows[1]!.query).toBe(`access_token=${MASK}&limit=5`);
    expect(JSON.parse(rows[1]!.request_headers).authorization).toBe(`Bearer ${MASK}`);
    expect(thread.alive).toBe(true);
    await w.close();
  });

  it('posts queued batches without waiting for each other; entries on the thread count against maxPending', async () => {
    const { storage, file } = await fileStorage();
    const thread = new LedgerThread(file);
    open.push(thread);
    const post = thread.appendDetails.bind(thread);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => { release = r; });
    const calls: number[] = [];
    thread.appendDetails = async (params) => { calls.push(params.length / 15); await gate; return post(params); };
    const w = new RequestDetailWriter(storage, log, { thread, maxBatch: 2, maxPending: 6, maxDelayMs: 1 });
    for (let i = 0; i < 5; i++) w.add(detail(`p${i}`));
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toEqual([2, 2, 1]); // all three posted while none is written yet
    w.add(detail('p5'));
    w.add(detail('over')); // 5 posted + 1 queued: full
    release();
    await w.flush();
    expect((await stored(storage)).map((r) => r.request_id)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
    await w.close();
  });

  it('falls back to the main thread when the thread died, losing no queued detail', async () => {
    const { storage, file } = await fileStorage();
    const thread = new LedgerThread(file);
    open.push(thread);
    const w = new RequestDetailWriter(storage, log, { thread, maxDelayMs: 10_000 });
    for (let i = 0; i < 5; i++) w.add(detail(`a${i}`));
    await w.flush();
    await (thread as unknown as { worker: Worker }).worker.terminate();
    for (let i = 0; i < 5; i++) w.add(detail(`b${i}`));
    await w.flush();
    expect((await stored(storage)).map((r) => r.request_id)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1', 'b2', 'b3', 'b4']);
    await w.close();
  });

  it('a batch the thread rolled back is dropped and logged; the writer goes on', async () => {
    const { storage, file } = await fileStorage();
    const thread = new LedgerThread(file);
    open.push(thread);
    const errors: string[] = [];
    const spy = pino({ level: 'error' }, { write: (line: string) => { errors.push(JSON.parse(line).msg as string); } });
    const w = new RequestDetailWriter(storage, spy, { thread, maxDelayMs: 10_000 });
    await storage.db.schema.alterTable('request_details').renameTo('request_details_away').execute();
    w.add(detail('lost'));
    await expect(w.flush()).resolves.toBeUndefined();
    expect(errors).toEqual(['request log: could not write request detail; dropped']);
    await storage.db.schema.alterTable('request_details_away').renameTo('request_details').execute();
    w.add(detail('kept'));
    await w.flush();
    expect((await stored(storage)).map((r) => r.request_id)).toEqual(['kept']);
    expect(thread.alive).toBe(true);
    await w.close();
  });
});
