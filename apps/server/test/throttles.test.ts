import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectForTest } from '@opencar/oauth';
import { provision } from '../src/provision.js';
import { testApp } from './helpers.js';

/**
 * Every credential check is throttled per credential and per client address (inject's
 * remoteAddress stands in for distinct clients): failures get their 401 until the limit, then 429
 * with retry-after; the credential's owner, who never guessed, keeps working; successes write nothing.
 */
type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
const APP = { id: 'app-thr', secret: 'thr-secret-0123456789', amt: 'thr-amt-0123456789' };
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const form = { 'content-type': 'application/x-www-form-urlencoded' };
let refresh: string;
let vehicleId: string;
let access: string;

beforeAll(async () => {
  t = await testApp({ OPENCAR_SEED_CLIENT_ID: APP.id, OPENCAR_SEED_CLIENT_SECRET: APP.secret, OPENCAR_SEED_REDIRECT_URIS: 'https://app.example/cb', OPENCAR_SEED_AMT: APP.amt });
  await provision(t.platform.config, t.platform.storage, t.clock, t.platform.secretKey, t.platform.log);
  await t.platform.storage.db.updateTable('developers').set({ plan: 'enterprise' }).execute();
  const r = await t.platform.backend.signIn({ make: 'TESLA', email: 'thr@example.com', password: 'x', mode: 'simulated', country: 'US' });
  if (!r.ok) throw new Error('sign-in failed');
  vehicleId = r.vehicles[0]!.vehicleId;
  const tokens = await connectForTest(t.platform.storage, t.clock, { appId: APP.id, userId: r.accountId, vehicleIds: [vehicleId], permissions: ['read_odometer'], mode: 'simulated' });
  refresh = tokens.refresh_token;
  access = tokens.access_token;
});
afterAll(async () => t?.close());

const failures = async () => Number((await t.platform.storage.db.selectFrom('credential_failures').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const tally = (statuses: number[]) => statuses.reduce<Record<string, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {});

/** Refreshes with the app's real secret from `address`: a successful client check. */
async function honestRefresh(address: string) {
  const res = await t.app.inject({ method: 'POST', url: '/oauth/token', remoteAddress: address, headers: { ...form, authorization: basic(APP.id, APP.secret) }, payload: `grant_type=refresh_token&refresh_token=${refresh}` });
  if (res.statusCode === 200) refresh = (res.json() as { refresh_token: string }).refresh_token;
  return res;
}

describe('credential throttles', () => {
  it('token endpoint: 200 wrong secrets give 5 × 401 then 429 with retry-after; the app itself keeps getting tokens', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 200; i++) {
      last = await t.app.inject({ method: 'POST', url: '/oauth/token', remoteAddress: '203.0.113.1', headers: { ...form, authorization: basic(APP.id, `wrong-${i}`) }, payload: 'grant_type=refresh_token&refresh_token=x' });
      statuses.push(last.statusCode);
    }
    expect(tally(statuses)).toEqual({ 401: 5, 429: 195 });
    expect(Number(last!.headers['retry-after'])).toBe(60);
    expect(last!.json()).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    // The attacker's address is locked even with the right secret; the app's own server is not.
    expect((await honestRefresh('203.0.113.1')).statusCode).toBe(429);
    expect((await honestRefresh('198.51.100.7')).statusCode).toBe(200);
    t.clock.advance(60_000);
    expect((await honestRefresh('203.0.113.1')).statusCode).toBe(200);
  });

  it('successful credential checks write nothing to storage', async () => {
    t.clock.advance(60_000);
    const before = await failures();
    for (let i = 0; i < 30; i++) expect((await honestRefresh('198.51.100.8')).statusCode).toBe(200);
    for (let i = 0; i < 30; i++) expect((await t.app.inject({ url: `/v2.0/vehicles/${vehicleId}/odometer`, remoteAddress: '198.51.100.8', headers: { authorization: `Bearer ${access}` } })).statusCode).toBe(200);
    for (let i = 0; i < 30; i++) expect((await t.app.inject({ url: '/v2.0/management/connections', remoteAddress: '198.51.100.8', headers: { authorization: basic('default', APP.amt) } })).statusCode).toBe(200);
    expect(await failures()).toBe(before);
  });

  it('authorization codes and refresh tokens the client was never issued: 10 × 400 invalid_grant, then 429', async () => {
    t.clock.advance(60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/oauth/token', remoteAddress: '203.0.113.2', headers: { ...form, authorization: basic(APP.id, APP.secret) }, payload: `grant_type=authorization_code&code=guess-${i}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb` });
      statuses.push(res.statusCode);
    }
    expect(tally(statuses)).toEqual({ 400: 10, 429: 5 });
  });

  it('management tokens, access tokens and simulator credentials: locked per client address, others unaffected', async () => {
    t.clock.advance(60_000);
    const cases = [
      { url: '/v2.0/management/connections', auth: (i: number) => basic('default', `amt-guess-${i}`), limit: 20 },
      { url: `/v2.0/vehicles/${vehicleId}/odometer`, auth: (i: number) => `Bearer token-guess-${i}`, limit: 20 },
      { url: '/simulator/vehicles', auth: (i: number) => basic(APP.id, `guess-${i}`), limit: 5 },
      { url: '/v2.0/compatibility?vin=5YJ3E1EA7KF000001&scope=read_odometer', auth: (i: number) => basic(`client-${i}`, 'guess'), limit: 20 },
    ];
    for (const [n, c] of cases.entries()) {
      const address = `203.0.113.${10 + n}`;
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < c.limit + 5; i++) {
        last = await t.app.inject({ url: c.url, remoteAddress: address, headers: { authorization: c.auth(i) } });
        statuses.push(last.statusCode);
      }
      expect(tally(statuses), c.url).toEqual({ 401: c.limit, 429: 5 });
      expect(last!.json(), c.url).toMatchObject({ type: 'RATE_LIMIT', code: 'AUTHENTICATION', statusCode: 429 });
      expect(Number(last!.headers['retry-after']), c.url).toBeGreaterThan(0);
    }
    expect((await t.app.inject({ url: '/v2.0/management/connections', remoteAddress: '198.51.100.9', headers: { authorization: basic('default', APP.amt) } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/v2.0/vehicles/${vehicleId}/odometer`, remoteAddress: '198.51.100.9', headers: { authorization: `Bearer ${access}` } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/simulator/vehicles', remoteAddress: '198.51.100.9', headers: { authorization: basic(APP.id, APP.secret) } })).statusCode).toBe(200);
  });

  it('dashboard sign-in across many e-mails from one client: 20 × 401, then 429 for every account from that address', async () => {
    const signIn = async (address: string, email: string) => {
      const page = await t.app.inject({ url: '/dashboard/signin', remoteAddress: address });
      const cookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      return t.app.inject({ method: 'POST', url: '/dashboard/signin', remoteAddress: address, headers: { ...form, cookie }, payload: new URLSearchParams({ _csrf: csrf, email, password: 'guess' }).toString() });
    };
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await signIn('203.0.113.30', `person-${i}@example.com`)).statusCode);
    expect(tally(statuses)).toEqual({ 401: 20, 429: 5 });
    expect((await signIn('203.0.113.31', 'person-0@example.com')).statusCode).toBe(401);
  });
});
