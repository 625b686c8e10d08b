import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ApiError, ManualClock } from '@opencar/core';
import { MeteringRepo, openStorage, type LedgerRow, type Storage } from '@opencar/storage';
import { LedgerThread, LedgerThreadDied, LedgerWriter, MeteringService, monthOf } from '../src/index.js';
import { entry, seedApp, silent } from './fixtures.js';

const clock = new ManualClock(Date.UTC(2026, 2, 10));
const dirs: string[] = [];
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function fileStorage(): Promise<{ storage: Storage; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-ledger-'));
  dirs.push(dir);
  const url = `sqlite:${join(dir, 'db.sqlite')}`;
  const storage = await openStorage(url);
  open.push(storage);
  return { storage, url };
}

function row(appId: string, vehicleId = 'car'): LedgerRow {
  const e = entry({ appId, at: clock.now(), vehicleId });
  return { request_id: e.requestId, at: e.at, month: monthOf(e.at), app_id: appId, vehicle_id: vehicleId, user_id: 'u1', endpoint: e.endpoint, method: 'GET', status: 200, latency_ms: 1, units: 1, woke: 0, request_class: 'data' };
}

describe('ledger writer thread (file-backed SQLite)', () => {
  it('commits through the worker: records survive reopening, counters match the ledger and admission, no duplicates', async () => {
    const { storage, url } = await fileStorage();
    await seedApp(storage, 'thr', 'enterprise', { vehicleRequestsPerMonth: 400 });
    const m = new MeteringService(storage, clock, silent);
    expect(m.ledgerThreaded).toBe(true);
    await m.admit({ appId: 'thr', vehicleId: 'car', endpoint: 'GET /v2.0/vehicles/:id/odometer', units: 1 }); // loads the counters
    const entries = Array.from({ length: 399 }, () => entry({ appId: 'thr', at: clock.now(), vehicleId: 'car' }));
    await Promise.all(entries.map((e) => m.record(e))); // several batches and insert chunks
    // Admission follows the worker's commits: one more fits under 400, the next does not.
    await m.admit({ appId: 'thr', vehicleId: 'car', endpoint: 'GET /v2.0/vehicles/:id/odometer', units: 1 });
    await m.record(entry({ appId: 'thr', at: clock.now(), vehicleId: 'car' }));
    await expect(m.admit({ appId: 'thr', vehicleId: 'car', endpoint: 'GET /v2.0/vehicles/:id/odometer', units: 1 })).rejects.toThrow(ApiError);
    await m.close();
    expect(m.ledgerThreaded).toBe(false);
    await storage.close();
    open.pop();

    const again = await openStorage(url);
    open.push(again);
    const repo = new MeteringRepo(again.db, 'sqlite', again.sqlite);
    const rows = await repo.ledgerForMonth('thr', '2026-03');
    expect(rows).toHaveLength(400);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(400);
    expect(Object.keys(rows[0]!).sort()).toEqual(['app_id', 'at', 'endpoint', 'latency_ms', 'method', 'month', 'request_class', 'request_id', 'status', 'units', 'user_id', 'vehicle_id', 'woke']);
    expect(await repo.counter('thr', '2026-03', '')).toBe(400);
    expect(await repo.counter('thr', '2026-03', 'car')).toBe(400);
    expect(await repo.hasLedgerEntry(entries[7]!.requestId, { appId: 'thr', month: '2026-03' })).toBe(true);
  });

  it('rows cross to the thread as journal text and arrive exactly as recorded (quotes, newlines, unicode, nulls, fractions)', async () => {
    const { storage } = await fileStorage();
    await seedApp(storage, 'txt', 'enterprise');
    const m = new MeteringService(storage, clock, silent);
    expect(m.ledgerJournaled && m.ledgerThreaded).toBe(true);
    const odd = [
      entry({ appId: 'txt', at: clock.now(), vehicleId: null, userId: null, endpoint: 'GET /v2.0/"quoted"\n\u2028line', latencyMs: 0.125 }),
      entry({ appId: 'txt', at: clock.now() + 1, vehicleId: 'vé,hicle]', userId: 'ü', method: 'POST', status: 409, units: 0, woke: true, requestClass: 'command' }),
    ];
    await Promise.all(odd.map((e) => m.record(e)));
    await m.flush();
    const rows = await m.repo.ledgerForMonth('txt', '2026-03');
    await m.close();
    expect(rows.map((r) => [r.request_id, r.vehicle_id, r.user_id, r.endpoint, r.method, r.status, r.latency_ms, r.units, r.woke, r.request_class])).toEqual([
      [odd[0]!.requestId, null, null, 'GET /v2.0/"quoted"\n\u2028line', 'GET', 200, 0.125, 1, 0, 'data'],
      [odd[1]!.requestId, 'vé,hicle]', 'ü', 'GET /v2.0/vehicles/:id/odometer', 'POST', 409, 3, 0, 1, 'command'],
    ]);
  });

  it('retries a batch the worker rolled back (database locked) without duplicating it', async () => {
    const { storage } = await fileStorage();
    const raw = storage.sqlite!;
    const repo = new MeteringRepo(storage.db, 'sqlite', raw);
    // The main connection holds the write lock; the worker gives up after 20 ms and rolls back.
    // The writer logs the failure before retrying: that is when the lock is released.
    raw.prepare('begin immediate').run();
    let failures = 0;
    const log = pino({ level: 'error' }, new Writable({ write(_c, _e, cb) { failures += 1; if (raw.inTransaction) raw.prepare('commit').run(); cb(); } }));
    const writer = new LedgerWriter(repo, log, { thread: new LedgerThread(raw.name, 20) });
    open.push(writer);
    const rows = Array.from({ length: 100 }, () => row('busy'));
    await Promise.all(rows.map((r) => writer.write(r)));
    expect(failures).toBeGreaterThan(0);
    expect(writer.threaded).toBe(true);
    expect(await repo.ledgerForMonth('busy', '2026-03')).toHaveLength(100);
    expect(await repo.counter('busy', '2026-03', '')).toBe(100);
  });

  it('fails over to the main thread when the worker dies, losing and duplicating nothing', async () => {
    const { storage } = await fileStorage();
    const repo = new MeteringRepo(storage.db, 'sqlite', storage.sqlite);
    const thread = new LedgerThread(storage.sqlite!.name);
    const writer = new LedgerWriter(repo, silent, { thread });
    open.push(writer);
    const first = Array.from({ length: 50 }, () => row('crash'));
    await Promise.all(first.map((r) => writer.write(r)));
    expect(writer.threaded).toBe(true);
    // Killed with a batch posted: committed or not, the writer resolves it exactly once. On a busy
    // machine the thread may finish that batch before it dies; the writer then learns of the death
    // from the next batch, so the fall-back is checked after both.
    const second = Array.from({ length: 80 }, () => row('crash'));
    const pending = second.map((r) => writer.write(r));
    await new Promise((r) => setImmediate(r)); // the batch is posted
    await (thread as unknown as { worker: Worker }).worker.terminate();
    await Promise.all(pending);
    const third = Array.from({ length: 20 }, () => row('crash'));
    await Promise.all(third.map((r) => writer.write(r)));
    expect(writer.threaded).toBe(false);
    const rows = await repo.ledgerForMonth('crash', '2026-03');
    expect(rows).toHaveLength(150);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(150);
    expect(await repo.counter('crash', '2026-03', '')).toBe(150);
  });

  it('does not commit a batch twice when the worker died right after committing it', async () => {
    const { storage } = await fileStorage();
    const repo = new MeteringRepo(storage.db, 'sqlite', storage.sqlite);
    // A thread that commits, then dies before reporting: the ambiguous outcome.
    const dying = { append: async (rows: LedgerRow[]) => { await repo.appendLedger(rows); throw new LedgerThreadDied('exited (code 1)'); }, close: async () => {} } as unknown as LedgerThread;
    const commits: number[] = [];
    const writer = new LedgerWriter(repo, silent, { thread: dying, onCommit: (d) => commits.push(...d.filter((x) => x.scope === '').map((x) => x.total!)) });
    open.push(writer);
    const rows = Array.from({ length: 30 }, () => row('amb'));
    await Promise.all(rows.map((r) => writer.write(r)));
    expect(writer.threaded).toBe(false);
    expect(await repo.ledgerForMonth('amb', '2026-03')).toHaveLength(30);
    expect(await repo.counter('amb', '2026-03', '')).toBe(30);
    expect(commits).toEqual([30]);
  });
});
