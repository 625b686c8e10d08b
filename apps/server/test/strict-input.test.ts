import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectForTest } from '@opencar/oauth';
import { provision } from '../src/provision.js';
import { testApp } from './helpers.js';

/**
 * Strict input types on the real platform: JSON numbers stay JSON numbers (the charge limit's
 * plain decimal string is the one documented exception), text numbers are plain finite decimals,
 * and form routes read only strings, whatever a client sends.
 */
type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
let token: string;
let vehicleId: string;
const CLIENT = { id: 'app-strict', secret: 'strict-secret-0123456789', amt: 'strict-amt-0123456789' };
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  t = await testApp({
    OPENCAR_SEED_CLIENT_ID: CLIENT.id, OPENCAR_SEED_CLIENT_SECRET: CLIENT.secret,
    OPENCAR_SEED_REDIRECT_URIS: 'https://app.example/cb', OPENCAR_SEED_AMT: CLIENT.amt,
  });
  await provision(t.platform.config, t.platform.storage, t.clock, t.platform.secretKey, t.platform.log);
  const r = await t.platform.backend.signIn({ make: 'TESLA', email: 'strict@example.com', password: 'x', mode: 'simulated', country: 'US' });
  if (!r.ok) throw new Error('sign-in failed');
  vehicleId = r.vehicles[0]!.vehicleId;
  token = (await connectForTest(t.platform.storage, t.clock, { appId: CLIENT.id, userId: r.accountId, vehicleIds: [vehicleId], permissions: ['control_navigation', 'control_charge', 'read_odometer'], mode: 'simulated' })).access_token;
});
afterAll(async () => t?.close());

const post = (path: string, payload: string) =>
  t.app.inject({ method: 'POST', url: `/v2.0/vehicles/${vehicleId}${path}`, headers: { ...json, authorization: `Bearer ${token}` }, payload });

describe('strict input types', () => {
  it('a destination takes JSON numbers only: no string, null, boolean, array or overflow is coerced', async () => {
    for (const lat of ['"Infinity"', '"1e309"', '"10"', 'null', 'true', '" "', '"0x10"', '[null]', '[10]', '1e309', '{}']) {
      const res = await post('/navigation/destination', `{"latitude":${lat},"longitude":1}`);
      expect(res.statusCode, lat).toBe(400);
      expect(res.json(), lat).toMatchObject({ type: 'VALIDATION', statusCode: 400 });
    }
    expect((await post('/navigation/destination', '{"latitude":48.1,"longitude":11.5}')).statusCode).toBe(200);
  });

  it('the charge limit takes a number or a plain decimal string (as the Node SDK sends it), nothing else', async () => {
    for (const ok of ['0.8', '"0.8"', '"1"', '1', '"0.50"']) expect((await post('/charge/limit', `{"limit":${ok}}`)).statusCode, ok).toBe(200);
    for (const bad of ['true', '[1]', '["0.8"]', 'null', '"0x1"', '" 1"', '"1e0"', '".8"', '"+0.8"', '"Infinity"', '"NaN"', '"1.5"', '1.5', '"0.2"', '{}']) {
      const res = await post('/charge/limit', `{"limit":${bad}}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().type, bad).toBe('VALIDATION');
    }
  });

  it('query numbers are plain finite decimals given once', async () => {
    const get = (q: string) => t.app.inject({ url: `/v2.0/vehicles?${q}`, headers: { authorization: `Bearer ${token}` } });
    expect((await get('limit=5&offset=0')).statusCode).toBe(200);
    for (const q of ['limit=Infinity', 'limit=-Infinity', 'limit=1e309', 'limit=1e1', 'limit=0x10', 'limit=%20', 'limit=true', 'limit=5&limit=6', 'offset=NaN', 'limit=', 'limit=1.5']) {
      const res = await get(q);
      expect(res.statusCode, q).toBe(400);
      expect(res.json(), q).toMatchObject({ type: 'VALIDATION' });
    }
  });

  it('webhook deliveries ?limit=Infinity|-Infinity|1e309 is a VALIDATION error, not a 500', async () => {
    const auth = { authorization: basic('default', CLIENT.amt) };
    const created = await t.app.inject({ method: 'POST', url: '/v2.0/management/webhooks', headers: { ...auth, ...json }, payload: { url: 'http://127.0.0.1:9/hook', type: 'scheduled', endpoints: ['/odometer'] } });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { id: string }).id;
    for (const limit of ['Infinity', '-Infinity', '1e309', '0x10', '2&limit=3']) {
      const res = await t.app.inject({ url: `/v2.0/management/webhooks/${id}/deliveries?limit=${limit}`, headers: auth });
      expect(res.statusCode, limit).toBe(400);
      expect(res.json().type).toBe('VALIDATION');
    }
    expect((await t.app.inject({ url: `/v2.0/management/webhooks/${id}/deliveries?limit=10`, headers: auth })).statusCode).toBe(200);
  });

  it('the simulator refuses a non-number odometer, so /odometer never answers a non-finite distance', async () => {
    const auth = { authorization: basic(CLIENT.id, CLIENT.secret) };
    for (const v of ['"Infinity"', '"12"', '1e309', 'null', '1e12', '-1']) {
      const res = await t.app.inject({ method: 'PATCH', url: `/simulator/vehicles/${vehicleId}/state`, headers: { ...auth, ...json }, payload: `{"odometerKm":${v}}` });
      expect(res.statusCode, v).toBe(400);
    }
    const odo = await t.app.inject({ url: `/v2.0/vehicles/${vehicleId}/odometer`, headers: { authorization: `Bearer ${token}` } });
    expect(Number.isFinite(odo.json().distance)).toBe(true);
  });

  it('JSON bodies with __proto__ or constructor.prototype keys are refused', async () => {
    for (const body of ['{"latitude":1,"longitude":1,"__proto__":{"x":1}}', '{"latitude":1,"longitude":1,"constructor":{"prototype":{"x":1}}}']) {
      const res = await post('/navigation/destination', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().type).toBe('VALIDATION');
    }
  });
});

describe('form routes posted as JSON with non-string fields', () => {
  /** The CSRF token and pre-session cookie of a dashboard or portal form page. */
  async function formPage(url: string): Promise<{ cookie: string; csrf: string }> {
    const page = await t.app.inject({ url });
    const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    return { cookie: cookies, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '' };
  }

  it('answer a page (never a 500) for every field type on sign-in, sign-up and the owner portal', async () => {
    const routes = [
      { page: '/dashboard/signin', post: '/dashboard/signin', fields: ['email', 'password', 'next'] },
      { page: '/dashboard/signup', post: '/dashboard/signup', fields: ['name', 'email', 'password', 'accept_tos'] },
      { page: '/account', post: '/account/signin', fields: ['make', 'email', 'password', 'mode'] },
    ];
    const values: unknown[] = [true, 12, null, [], [1, 2], { a: 'b' }, ['x', 'y'], 1e308];
    for (const r of routes) {
      const { cookie, csrf } = await formPage(r.page);
      for (const field of r.fields) {
        for (const value of values) {
          const res = await t.app.inject({ method: 'POST', url: r.post, headers: { ...json, cookie }, payload: JSON.stringify({ _csrf: csrf, [field]: value }) });
          expect(res.statusCode, `${r.post} ${field}=${JSON.stringify(value)}`).toBeLessThan(500);
        }
      }
      const csrfTyped = await t.app.inject({ method: 'POST', url: r.post, headers: { ...json, cookie }, payload: JSON.stringify({ _csrf: [csrf] }) });
      expect(csrfTyped.statusCode).toBe(403);
    }
  });
});
