import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@opencar/core';
import { AccountsRepo, MeteringRepo } from '@opencar/storage';
import { twoProcesses } from '../src/index.js';
import { connectVehicle } from './sdk-connect.js';

/**
 * Two real server processes (`node --import tsx apps/server/src/main.ts`) share one PostgreSQL
 * database; requests are spread over both at once. Every limit must hold for the pair exactly as
 * it would for one process: the per-vehicle throttle, the monthly quota, the app bucket and the
 * credential throttles (client addresses come from X-Forwarded-For, the test being the trusted proxy).
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
  const pair = twoProcesses({
    url: URL_!, name: 'shared', client: CLIENT, secretKey: 'shared-limits-secret-key-0123',
    env: {
      OPENCAR_TRUST_PROXY: '127.0.0.1',
      // The cars here are simulated: the smallest simulated bucket leaves the plan's app bucket (120) in force.
      OPENCAR_SIMULATED_BUCKET_CAPACITY: '1', OPENCAR_SIMULATED_BUCKET_REFILL_PER_MINUTE: '1',
    },
    // The limits are set before the second process serves a request (the first one has served none yet).
    beforeSecond: async (storage) => {
      const accounts = new AccountsRepo(storage.db);
      const app = await accounts.getApp(CLIENT.id);
      await accounts.updateDeveloper(app!.developerId, { plan: 'enterprise', plan_limits: JSON.stringify(LIMITS) });
    },
  });
  let bases: string[] = [];
  /** One token per connected vehicle, each for its own simulated owner. */
  const cars: { token: string; vehicleId: string }[] = [];

  beforeAll(async () => {
    bases = pair.servers.map((s) => s.base);
    for (let i = 0; i < 3; i++) cars.push(await connectVehicle(bases[i % 2]!, CLIENT, { make: 'TESLA', email: `shared-${i}@example.com` }, ['read_odometer']));
  }, 90_000);

  /** `n` odometer reads of one car, alternating between the two processes. */
  const odometer = (car: { vehicleId: string }, n: number) => Array.from({ length: n }, (_, i) => `${bases[i % 2]}/v2.0/vehicles/${car.vehicleId}/odometer`);

  it('the per-vehicle throttle (10) admits exactly 10 of 30 concurrent reads over both processes', async () => {
    expect(await burst(odometer(cars[0]!, 30), cars[0]!.token)).toEqual({ '200': 10, '429 RATE_LIMIT:VEHICLE': 20 });
    expect(await burst(odometer(cars[1]!, 30), cars[1]!.token)).toEqual({ '200': 10, '429 RATE_LIMIT:VEHICLE': 20 });
  });

  it('the monthly quota (25) admits exactly the 5 requests left of it, and the ledger bills 25', async () => {
    // Rate limits come first: the throttle passes 10, of which the quota admits the last 5 units.
    expect(await burst(odometer(cars[2]!, 30), cars[2]!.token)).toEqual({ '200': 5, '430 BILLING:VEHICLE_REQUEST_LIMIT': 5, '429 RATE_LIMIT:VEHICLE': 20 });
    const repo = new MeteringRepo(pair.storage.db, 'postgres');
    const month = new Date().toISOString().slice(0, 7);
    expect(await repo.counter(CLIENT.id, month, '')).toBe(25);
    expect((await repo.ledgerForMonth(CLIENT.id, month)).reduce((s, r) => s + r.units, 0)).toBe(25);
    expect(await pair.storage.db.selectFrom('quota_holds').selectAll().execute()).toEqual([]);
  });

  it('the app bucket hands out each remaining token once, whichever process asks', async () => {
    const probe = await fetch(`${bases[0]}/v2.0/vehicles`, { headers: { authorization: `Bearer ${cars[0]!.token}` } });
    const left = Number(probe.headers.get('ratelimit-remaining'));
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(60);
    const urls = Array.from({ length: 60 }, (_, i) => `${bases[i % 2]}/v2.0/vehicles`);
    expect(await burst(urls, cars[0]!.token)).toEqual({ '200': left, '429 RATE_LIMIT:SMARTCAR_API': 60 - left });
  });

  it('credential throttles hold across both processes; the owner, from an address that never guessed, still gets in', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const tally = (statuses: number[]) => statuses.reduce<Record<string, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {});
    const token = (base: string, secret: string, address: string) => fetch(`${base}/oauth/token`, {
      method: 'POST', body: 'grant_type=refresh_token&refresh_token=unknown',
      headers: { ...form, 'x-forwarded-for': address, authorization: `Basic ${Buffer.from(`${CLIENT.id}:${secret}`).toString('base64')}` },
    });
    const secrets: number[] = [];
    for (let i = 0; i < 20; i++) secrets.push((await token(bases[i % 2]!, `wrong-${i}`, '203.0.113.70')).status);
    // A process learns a client secret's lock at its own first failed check past the limit: 5 + 1.
    expect(tally(secrets)).toEqual({ 401: 6, 429: 14 });
    for (const base of bases) {
      const locked = await token(base, CLIENT.secret, '203.0.113.70');
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      // The app's own server passes the secret check (the unknown refresh token is what fails).
      expect((await token(base, CLIENT.secret, '198.51.100.70')).status).toBe(400);
    }

    // Passwords are checked against the stored failures before every attempt: exactly 5 over both.
    await new AccountsRepo(pair.storage.db).createDeveloper({
      id: 'dev-shared-thr', email: 'owner-thr@example.com', password_hash: await hashPassword('right-password-123'), name: 'Owner',
      tos_version: null, tos_accepted_at: null, plan: 'free', plan_limits: null, status: 'active', created_at: Date.now(),
    });
    const signIn = async (base: string, address: string, password: string) => {
      const page = await fetch(`${base}/dashboard/signin`, { headers: { 'x-forwarded-for': address } });
      const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      const body = new URLSearchParams({ _csrf: csrf, email: 'owner-thr@example.com', password }).toString();
      return fetch(`${base}/dashboard/signin`, { method: 'POST', redirect: 'manual', headers: { ...form, cookie, 'x-forwarded-for': address }, body });
    };
    const passwords: number[] = [];
    for (let i = 0; i < 8; i++) passwords.push((await signIn(bases[i % 2]!, '203.0.113.71', `guess-${i}`)).status);
    expect(tally(passwords)).toEqual({ 401: 5, 429: 3 });
    const guesser = await signIn(bases[1]!, '203.0.113.71', 'right-password-123');
    expect(guesser.status).toBe(429);
    expect(Number(guesser.headers.get('retry-after'))).toBeGreaterThan(800);
    for (const base of bases) {
      const owner = await signIn(base, '198.51.100.71', 'right-password-123');
      expect(owner.status, base).toBeGreaterThanOrEqual(300);
      expect(owner.status, base).toBeLessThan(400);
    }
  });
});

if (!URL_) it.skip('limits across server processes sharing PostgreSQL: skipped, TEST_DATABASE_URL is not set', () => {});
