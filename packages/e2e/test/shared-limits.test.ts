import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsRepo, MeteringRepo, openStorage, type Storage } from '@opencar/storage';
import { spawnServer, type ServerProcess } from '../src/index.js';
import { connectVehicle } from './sdk-connect.js';

/**
 * Two real server processes (`node --import tsx apps/server/src/main.ts`) share one PostgreSQL
 * database; requests are spread over both at once. Every limit must hold for the pair exactly as
 * it would for one process: the per-vehicle throttle, the monthly quota and the app bucket.
 */
const URL_ = process.env.TEST_DATABASE_URL;
const CLIENT = { id: 'shared-client-0001', secret: 'shared-client-secret-0123456789', amt: 'shared-amt-0123456789abcdef', redirect: 'https://app.example/callback' };
const LIMITS = {
  appBucket: { capacity: 100, refillPerMinute: 0.001 },
  vehicleBucket: { capacity: 10, refillPerMinute: 0.001 },
  requestsPerMonth: 25,
};

/** Status and error code of each response, counted ("200", "429 RATE_LIMIT:VEHICLE", …). */
async function burst(urls: string[], token: string): Promise<Record<string, number>> {
  const results = await Promise.all(urls.map(async (url) => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.json() as { type?: string; code?: string };
    if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    return res.status === 200 ? '200' : `${res.status} ${body.type}:${body.code}`;
  }));
  const counts: Record<string, number> = {};
  for (const r of results) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

describe.skipIf(!URL_)('limits hold across two server processes sharing PostgreSQL', () => {
  const dbName = `opencar_shared_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'opencar-shared-'));
  const servers: ServerProcess[] = [];
  let bases: string[] = [];
  let storage: Storage | undefined;
  /** One token per connected vehicle, each for its own simulated owner. */
  const cars: { token: string; vehicleId: string }[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: URL_ });
    await admin.connect();
    try { await admin.query(`create database ${dbName}`); } finally { await admin.end(); }
    const u = new URL(URL_!);
    u.pathname = `/${dbName}`;
    const env = {
      DATABASE_URL: u.toString(), OPENCAR_DATA_DIR: dir, OPENCAR_SECRET_KEY: 'shared-limits-secret-key-0123', OPENCAR_SIM_LATENCY: 'zero',
      OPENCAR_SEED_CLIENT_ID: CLIENT.id, OPENCAR_SEED_CLIENT_SECRET: CLIENT.secret, OPENCAR_SEED_REDIRECT_URIS: CLIENT.redirect, OPENCAR_SEED_AMT: CLIENT.amt,
    };
    // The first process migrates and seeds; the limits are set before either serves a request.
    servers.push(await spawnServer(env));
    storage = await openStorage(env.DATABASE_URL);
    const accounts = new AccountsRepo(storage.db);
    const app = await accounts.getApp(CLIENT.id);
    await accounts.updateDeveloper(app!.developerId, { plan: 'enterprise', plan_limits: JSON.stringify(LIMITS) });
    servers.push(await spawnServer(env));
    bases = servers.map((s) => s.base);
    for (let i = 0; i < 3; i++) cars.push(await connectVehicle(bases[i % 2]!, CLIENT, { make: 'TESLA', email: `shared-${i}@example.com` }, ['read_odometer']));
  }, 90_000);

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await storage?.close();
    const admin = new pg.Client({ connectionString: URL_ });
    await admin.connect();
    try { await admin.query(`drop database if exists ${dbName} with (force)`); } finally { await admin.end(); }
    rmSync(dir, { recursive: true, force: true });
  });

  /** `n` odometer reads of one car, alternating between the two processes. */
  const odometer = (car: { vehicleId: string }, n: number) => Array.from({ length: n }, (_, i) => `${bases[i % 2]}/v2.0/vehicles/${car.vehicleId}/odometer`);

  it('the per-vehicle throttle (10) admits exactly 10 of 30 concurrent reads over both processes', async () => {
    expect(await burst(odometer(cars[0]!, 30), cars[0]!.token)).toEqual({ '200': 10, '429 RATE_LIMIT:VEHICLE': 20 });
    expect(await burst(odometer(cars[1]!, 30), cars[1]!.token)).toEqual({ '200': 10, '429 RATE_LIMIT:VEHICLE': 20 });
  });

  it('the monthly quota (25) admits exactly the 5 requests left of it, and the ledger bills 25', async () => {
    // Rate limits come first: the throttle passes 10, of which the quota admits the last 5 units.
    expect(await burst(odometer(cars[2]!, 30), cars[2]!.token)).toEqual({ '200': 5, '430 BILLING:VEHICLE_REQUEST_LIMIT': 5, '429 RATE_LIMIT:VEHICLE': 20 });
    const repo = new MeteringRepo(storage!.db, 'postgres');
    const month = new Date().toISOString().slice(0, 7);
    expect(await repo.counter(CLIENT.id, month, '')).toBe(25);
    expect((await repo.ledgerForMonth(CLIENT.id, month)).reduce((s, r) => s + r.units, 0)).toBe(25);
    expect(await storage!.db.selectFrom('quota_holds').selectAll().execute()).toEqual([]);
  });

  it('the app bucket hands out each remaining token once, whichever process asks', async () => {
    const probe = await fetch(`${bases[0]}/v2.0/vehicles`, { headers: { authorization: `Bearer ${cars[0]!.token}` } });
    const left = Number(probe.headers.get('ratelimit-remaining'));
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(60);
    const urls = Array.from({ length: 60 }, (_, i) => `${bases[i % 2]}/v2.0/vehicles`);
    expect(await burst(urls, cars[0]!.token)).toEqual({ '200': left, '429 RATE_LIMIT:SMARTCAR_API': 60 - left });
  });
});

if (!URL_) it.skip('limits across server processes sharing PostgreSQL: skipped, TEST_DATABASE_URL is not set', () => {});
