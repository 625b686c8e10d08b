import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { pino } from 'pino';
import { openStorage } from '@opencar/storage';
import { LedgerThread, RequestDetailWriter, type RequestDetail } from '../src/index.js';

const dirs: string[] = [];
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const detail = (id: string): RequestDetail => ({
  requestId: id, appId: 'app1', at: 1_000, method: 'GET', url: '/v2.0/vehicles/v1/odometer', requestHeaders: { authorization: 'Bearer secret' },
  requestBody: undefined, status: 200, responseHeaders: { 'content-type': 'application/json; charset=utf-8' }, responseBody: '{"distance":1}',
});

it('on the writer thread, a full batch is posted as it fills, not held until the timer; the rest waits for the timer or a flush', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-detail-eager-'));
  dirs.push(dir);
  const storage = await openStorage(`sqlite:${join(dir, 'db.sqlite')}`);
  open.push(storage);
  const thread = new LedgerThread(join(dir, 'db.sqlite'));
  open.push(thread);
  const posted: number[] = [];
  const post = thread.appendDetails.bind(thread);
  thread.appendDetails = (params) => { posted.push(params.length / 15); return post(params); };
  const w = new RequestDetailWriter(storage, pino({ level: 'silent' }), { thread, maxBatch: 50, maxDelayMs: 60_000 });
  for (let i = 0; i < 120; i++) w.add(detail(`e${String(i).padStart(3, '0')}`));
  expect(posted).toEqual([50, 50]); // at once, while the timer (a minute away) has not fired
  await w.flush();
  expect(posted).toEqual([50, 50, 20]);
  const rows = await storage.db.selectFrom('request_details').select('request_id').orderBy('request_id').execute();
  expect(rows.map((r) => r.request_id)).toEqual(Array.from({ length: 120 }, (_, i) => `e${String(i).padStart(3, '0')}`));
  await w.close();
});
