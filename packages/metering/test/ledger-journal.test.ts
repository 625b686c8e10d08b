import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, ManualClock } from '@opencar/core';
import { MeteringRepo, openStorage, type LedgerRow, type Storage } from '@opencar/storage';
import { LedgerJournal, MeteringService, journalLine, monthOf } from '../src/index.js';
import { entry, seedApp, silent } from './fixtures.js';

const clock = new ManualClock(Date.UTC(2026, 2, 10));
const MONTH = '2026-03';
const ODO = 'GET /v2.0/vehicles/:id/odometer';
const dirs: string[] = [];
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function fileStorage(): Promise<{ storage: Storage; url: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-journal-'));
  dirs.push(dir);
  const file = join(dir, 'db.sqlite');
  const url = `sqlite:${file}`;
  const storage = await openStorage(url);
  open.push(storage);
  return { storage, url, file };
}

function row(appId: string, vehicleId: string): LedgerRow {
  const e = entry({ appId, at: clock.now(), vehicleId });
  return { request_id: e.requestId, at: e.at, month: monthOf(e.at), app_id: appId, vehicle_id: vehicleId, user_id: 'u1', endpoint: e.endpoint, method: 'GET', status: 200, latency_ms: 1, units: 1, woke: 0, request_class: 'data' };
}

/** Writes rows to the journal of `file` as a process would that died before any database commit. */
async function journalOnly(file: string, rows: LedgerRow[]): Promise<string> {
  const j = new LedgerJournal(`${file}.ledger-journal`, () => new Promise(() => undefined), silent);
  j.recover(0);
  j.reset();
  await Promise.all(rows.map((r) => j.append(r).written));
  j.close(); // nothing committed: the journal keeps its entries
  return readFileSync(`${file}.ledger-journal`, 'utf8');
}

async function expectLedger(storage: Storage, appId: string, ids: string[], perVehicle: Record<string, number>): Promise<void> {
  const repo = new MeteringRepo(storage.db, 'sqlite', storage.sqlite);
  const rows = await repo.ledgerForMonth(appId, MONTH);
  const got = rows.map((r) => r.request_id);
  expect(got.length).toBe(new Set(got).size); // exactly once
  expect(new Set(got)).toEqual(new Set(ids));
  expect(await repo.counter(appId, MONTH, '')).toBe(ids.length);
  for (const [v, n] of Object.entries(perVehicle)) expect(await repo.counter(appId, MONTH, v)).toBe(n);
}

describe('request ledger journal (file-backed SQLite)', () => {
  it('acknowledged entries that never reached the database are replayed once at startup, counters included', async () => {
    const { storage, file } = await fileStorage();
    await seedApp(storage, 'jr', 'enterprise', { requestsPerMonth: 10 });
    const rows = Array.from({ length: 9 }, (_, i) => row('jr', i % 2 ? 'a' : 'b'));
    await journalOnly(file, rows);

    const m = new MeteringService(storage, clock, silent);
    open.push(m);
    expect(m.ledgerJournaled).toBe(true);
    await expectLedger(storage, 'jr', rows.map((r) => r.request_id), { a: 4, b: 5 });
    expect(statSync(`${file}.ledger-journal`).size).toBe(0); // emptied once committed
    // Quotas see the replayed entries exactly once: one more fits under 10, the next does not.
    await m.admit({ appId: 'jr', vehicleId: 'a', endpoint: ODO, units: 1 });
    await m.record(entry({ appId: 'jr', at: clock.now(), vehicleId: 'a' }));
    await expect(m.admit({ appId: 'jr', vehicleId: 'a', endpoint: ODO, units: 1 })).rejects.toThrow(ApiError);
  });

  it('replay after a committed batch adds only what the database lacks, and a second restart adds nothing', async () => {
    const { storage, url, file } = await fileStorage();
    const rows = Array.from({ length: 10 }, () => row('dup', 'car'));
    const text = await journalOnly(file, rows);
    // The first six were committed (with their journal sequence) before the crash.
    new MeteringRepo(storage.db, 'sqlite', storage.sqlite).appendLedgerNow(rows.slice(0, 6), 6);

    let m = new MeteringService(storage, clock, silent);
    await m.close();
    await expectLedger(storage, 'dup', rows.map((r) => r.request_id), { car: 10 });

    // A crash between the replay's commit and the journal truncation: the same journal again.
    writeFileSync(`${file}.ledger-journal`, text);
    m = new MeteringService(storage, clock, silent);
    await m.close();
    await expectLedger(storage, 'dup', rows.map((r) => r.request_id), { car: 10 });

    // Sequences keep increasing across restarts: new entries commit above the old ones.
    m = new MeteringService(storage, clock, silent);
    const more = entry({ appId: 'dup', at: clock.now(), vehicleId: 'car' });
    await m.record(more);
    await m.close();
    expect(new MeteringRepo(storage.db, 'sqlite', storage.sqlite).committedJournalSeq()).toBe(11);
    await expectLedger(storage, 'dup', [...rows.map((r) => r.request_id), more.requestId], { car: 11 });
    await storage.close();
    open.splice(open.indexOf(storage), 1);
    const again = await openStorage(url);
    open.push(again);
    await expectLedger(again, 'dup', [...rows.map((r) => r.request_id), more.requestId], { car: 11 });
  });

  it('a torn last line (killed mid-write, never acknowledged) is skipped', async () => {
    const { storage, file } = await fileStorage();
    const rows = Array.from({ length: 3 }, () => row('torn', 'car'));
    const text = await journalOnly(file, rows);
    writeFileSync(`${file}.ledger-journal`, `${text}[4,"req-torn",17`);
    const m = new MeteringService(storage, clock, silent);
    await m.close();
    await expectLedger(storage, 'torn', rows.map((r) => r.request_id), { car: 3 });
  });

  it('quota counters include acknowledged entries before their database commit', async () => {
    const { storage } = await fileStorage();
    await seedApp(storage, 'q', 'enterprise', { vehicleRequestsPerMonth: 50 });
    const m = new MeteringService(storage, clock, silent);
    open.push(m);
    await m.admit({ appId: 'q', vehicleId: 'car', endpoint: ODO, units: 1 });
    // Acknowledged (journaled); the commit may still be in flight on the writer thread.
    await Promise.all(Array.from({ length: 50 }, () => m.record(entry({ appId: 'q', at: clock.now(), vehicleId: 'car' }))));
    await expect(m.admit({ appId: 'q', vehicleId: 'car', endpoint: ODO, units: 1 })).rejects.toThrow(ApiError);
    await m.flush();
    await expect(m.admit({ appId: 'q', vehicleId: 'car', endpoint: ODO, units: 1 })).rejects.toThrow(ApiError);
    expect(await m.repo.counter('q', MONTH, 'car')).toBe(50);
  });

  it('the journal rotates and is reclaimed once committed', async () => {
    const { storage, file } = await fileStorage();
    const path = `${file}.ledger-journal`;
    const repo = new MeteringRepo(storage.db, 'sqlite', storage.sqlite);
    const j = new LedgerJournal(path, async (entries) => { const seq = entries[entries.length - 1]!.seq; repo.appendLedgerNow(entries.map((e) => e.row), seq); j.committed(seq); }, silent, { segmentBytes: 2000, truncateBytes: 1000 });
    j.recover(0);
    j.reset();
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 4 }, () => j.append(row('rot', 'car')).written));
    expect(statSync(path).size).toBeLessThan(3000);
    expect(existsSync(`${path}.1`)).toBe(false);
    j.close();
    expect(statSync(path).size).toBe(0);
    expect(await repo.counter('rot', MONTH, '')).toBe(80);
  });

  it('SIGKILL mid-stream: after restart every acknowledged entry is in the ledger exactly once, counters matching', async () => {
    const { storage, url } = await fileStorage();
    await seedApp(storage, 'kill', 'enterprise');
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/metering/test/journal-child.ts', url, 'kill'], { cwd: join(import.meta.dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    const acked: string[] = [];
    let buf = '';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('child acknowledged too few entries within 30 s')), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop()!;
        acked.push(...lines);
        if (acked.length >= 3000) { clearTimeout(timer); child.kill('SIGKILL'); resolve(); }
      });
    });
    await exited;
    child.stdout!.destroy();
    expect(acked.length).toBeGreaterThanOrEqual(3000);

    const m = new MeteringService(storage, clock, silent); // replays the journal
    await m.close();
    const repo = new MeteringRepo(storage.db, 'sqlite', storage.sqlite);
    const rows = await repo.ledgerForMonth('kill', MONTH);
    const ids = rows.map((r) => r.request_id);
    expect(ids.length).toBe(new Set(ids).size);
    const have = new Set(ids);
    expect(acked.filter((id) => !have.has(id))).toEqual([]);
    expect(await repo.counter('kill', MONTH, '')).toBe(rows.length);
    for (const v of ['car-0', 'car-1', 'car-2']) expect(await repo.counter('kill', MONTH, v)).toBe(rows.filter((r) => r.vehicle_id === v).length);
    await storage.close();
    open.splice(open.indexOf(storage), 1);
    const again = await openStorage(url);
    open.push(again);
    expect((await new MeteringRepo(again.db, 'sqlite').ledgerForMonth('kill', MONTH)).length).toBe(rows.length);
  }, 60_000);
});

describe('journal lines', () => {
  it('are byte for byte JSON.stringify of [seq, ...columns], whatever the strings hold', () => {
    const odd = ['', 'plain-id', 'quote " inside', 'back\\slash', 'new\nline', 'tab\tcr\r', 'ü é', '\u2028\u2029', '\u0000\u001f', 'emoji 🚗', '</script>', null];
    const numbers = [0, 1, 200, 1.25, 1763790000123, Number.NaN, Number.POSITIVE_INFINITY, -0];
    for (let i = 0; i < odd.length * numbers.length; i++) {
      const s = odd[i % odd.length]!;
      const n = numbers[i % numbers.length]!;
      const r: LedgerRow = {
        request_id: s ?? 'r', at: n, month: '2026-03', app_id: s ?? 'a', vehicle_id: s, user_id: odd[(i + 3) % odd.length] ?? null,
        endpoint: `GET /${s ?? ''}`, method: 'GET', status: n, latency_ms: n, units: 1, woke: 0, request_class: s ?? 'data',
      };
      const line = journalLine(i, r);
      expect(line).toBe(`${JSON.stringify([i, r.request_id, r.at, r.month, r.app_id, r.vehicle_id, r.user_id, r.endpoint, r.method, r.status, r.latency_ms, r.units, r.woke, r.request_class])}\n`);
    }
  });
});
