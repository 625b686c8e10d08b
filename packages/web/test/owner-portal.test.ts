import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectForTest } from '@opencar/oauth';
import { TEST_CLIENT } from '@opencar/e2e';
import { testApp } from '../../../apps/server/test/helpers.js';
import { FormClient } from './browser-client.js';

type T = Awaited<ReturnType<typeof testApp>>;
const OEM = { make: 'TESLA', email: 'owner@example.com', password: 'anything', mode: 'simulated' as const, country: 'US' };

async function seedApp(t: T, id: string, name: string) {
  await t.platform.storage.db.insertInto('developers').values({ id: `dev-${id}`, email: `${id}@dev.example`, password_hash: null, name, tos_version: null, tos_accepted_at: null, plan: 'enterprise', plan_limits: null, status: 'active', created_at: 0 }).execute();
  await t.platform.storage.db.insertInto('apps').values({ id, developer_id: `dev-${id}`, name, logo_url: null, client_secret_hash: 'x', amt_hash: `amt-${id}`, amt_enc: 'x', redirect_uris: '["https://a.example/cb"]', default_scope: '["read_vin"]', mode: 'simulated', sim_latency: null, created_at: 0, updated_at: 0, deleted_at: null }).execute();
}

async function ownerSignedIn(t: T) {
  expect((await t.platform.backend.signIn(OEM)).ok).toBe(true); // the account exists once the owner used Connect
  const c = new FormClient(t.app);
  await c.get('/account');
  const res = await c.post('/account/signin', { make: OEM.make, email: OEM.email, password: OEM.password, mode: OEM.mode });
  expect(res.statusCode).toBe(303);
  return c;
}

describe('owner portal', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('signs in with the OEM account, lists apps with permissions and the access log (incl. wakes)', async () => {
    const signed = await t.platform.backend.signIn(OEM);
    if (!signed.ok) throw new Error('sign-in failed');
    const vehicleId = signed.vehicles[0]!.vehicleId;
    await seedApp(t, TEST_CLIENT.clientId, 'Charging Helper');
    await connectForTest(t.platform.storage, t.clock, { appId: TEST_CLIENT.clientId, userId: signed.accountId, vehicleIds: [vehicleId], permissions: ['read_battery', 'read_location'], mode: 'simulated' });
    await t.platform.metering.record({ requestId: 'r-1', at: t.clock.now(), appId: TEST_CLIENT.clientId, vehicleId, userId: signed.accountId, endpoint: 'GET /v2.0/vehicles/:id/location', method: 'GET', status: 200, latencyMs: 3, units: 1, woke: true, requestClass: 'wake' });
    const c = new FormClient(t.app);
    await c.get('/account');
    expect((await c.post('/account/signin', { make: 'TESLA', email: OEM.email, password: '', mode: 'simulated' })).statusCode).toBe(401);
    await c.get('/account');
    await c.post('/account/signin', { make: 'TESLA', email: OEM.email, password: OEM.password, mode: 'simulated' });
    const page = await c.get('/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`id="vehicle-${vehicleId}"`);
    expect(page.body).toContain('Charging Helper');
    expect(page.body).toContain('<li data-permission="read_location">See the car&#39;s location</li>');
    expect(page.body).not.toContain('<code>read_location</code>');
    expect(page.body).toMatch(/<span class="what">Charging Helper read the car’s location · <span class="badge warn">woke the car<\/span>/);
    expect(page.body).toContain('1 requests in the log, 1 of them woke the car');
    expect(page.body).not.toContain('GET /v2.0/vehicles/:id/location</');
    const cookie = ([] as string[]).concat(c.cookies.has('oc_owner') ? ['ok'] : []);
    expect(cookie).toEqual(['ok']);
  });

  it('refuses a wrong password, and refuses an unknown account without creating it', async () => {
    expect((await t.platform.backend.signIn(OEM)).ok).toBe(true);
    const c = new FormClient(t.app);
    await c.get('/account');
    expect((await c.post('/account/signin', { make: OEM.make, email: OEM.email, password: 'not-the-password', mode: OEM.mode })).statusCode).toBe(401);
    expect(c.cookies.has('oc_owner')).toBe(false);
    await c.get('/account');
    const unknown = await c.post('/account/signin', { make: OEM.make, email: '999-vehicles@smartcar.com', password: 'x', mode: OEM.mode });
    expect(unknown.statusCode).toBe(401);
    const rows = await t.platform.storage.db.selectFrom('sim_accounts').select('email').execute();
    expect(rows.map((r) => r.email)).toEqual([OEM.email]);
    expect((await t.platform.backend.signIn({ ...OEM, password: 'any other' })).ok).toBe(true);
  });

  it('revoke stops the app\'s tokens at once and the management API no longer lists the connection', async () => {
    const signed = await t.platform.backend.signIn(OEM);
    if (!signed.ok) throw new Error('sign-in failed');
    const vehicleId = signed.vehicles[0]!.vehicleId;
    await seedApp(t, 'app-1', 'Insurer');
    const tok = await connectForTest(t.platform.storage, t.clock, { appId: 'app-1', userId: signed.accountId, vehicleIds: [vehicleId], permissions: ['read_odometer'], mode: 'simulated' });
    const c = await ownerSignedIn(t);
    await c.get('/account');
    const bad = await c.post('/account/revoke', { app_id: 'app-1', vehicle_id: 'someone-elses-vehicle' });
    expect(bad.statusCode).toBe(404);
    await c.get('/account');
    const res = await c.post('/account/revoke', { app_id: 'app-1', vehicle_id: vehicleId });
    expect(res.statusCode).toBe(303);
    const ctxAfter = await t.platform.grants.verifyAccessToken(tok.access_token);
    expect(ctxAfter === undefined || ctxAfter.vehicleIds.length === 0).toBe(true);
    expect((await t.platform.grants.listConnections('app-1', {}, { limit: 10 })).connections).toEqual([]);
    const page = await c.get('/account?revoked=1');
    expect(page.body).toContain('Access revoked');
    expect(page.body).not.toContain('data-app-id="app-1"');
  });

  it('exports the owner\'s data as JSON and deletes the account (revoking every app)', async () => {
    const signed = await t.platform.backend.signIn(OEM);
    if (!signed.ok) throw new Error('sign-in failed');
    const vehicleId = signed.vehicles[0]!.vehicleId;
    await seedApp(t, 'app-1', 'Insurer');
    await seedApp(t, 'app-2', 'Fleet');
    await connectForTest(t.platform.storage, t.clock, { appId: 'app-1', userId: signed.accountId, vehicleIds: [vehicleId], permissions: ['read_odometer'], mode: 'simulated' });
    await connectForTest(t.platform.storage, t.clock, { appId: 'app-2', userId: signed.accountId, vehicleIds: [vehicleId], permissions: ['read_vin'], mode: 'simulated' });
    const c = await ownerSignedIn(t);
    const exp = await c.get('/account/export');
    expect(exp.headers['content-disposition']).toMatch(/attachment/);
    const data = JSON.parse(exp.body) as { account: { userId: string }; vehicles: { vehicleId: string; access: { appName: string }[] }[] };
    expect(data.account.userId).toBe(signed.accountId);
    expect(data.vehicles.find((v) => v.vehicleId === vehicleId)!.access.map((a) => a.appName).sort()).toEqual(['Fleet', 'Insurer']);
    await c.get('/account');
    const del = await c.post('/account/delete', {});
    expect(del.headers.location).toBe('/account?deleted=1');
    expect(await t.platform.grants.ownerConnections(signed.accountId)).toEqual([]);
    expect((await c.get('/account/export')).statusCode).toBe(303);
  });

  it('account deletion removes the owner\'s connections with one call per app, whatever the number of vehicles', async () => {
    const login = { ...OEM, email: '3-vehicles@example.com' };
    const signed = await t.platform.backend.signIn(login);
    if (!signed.ok) throw new Error('sign-in failed');
    const ids = signed.vehicles.map((v) => v.vehicleId);
    await seedApp(t, 'app-1', 'Insurer');
    await seedApp(t, 'app-2', 'Fleet');
    await connectForTest(t.platform.storage, t.clock, { appId: 'app-1', userId: signed.accountId, vehicleIds: ids, permissions: ['read_vin'], mode: 'simulated' });
    await connectForTest(t.platform.storage, t.clock, { appId: 'app-2', userId: signed.accountId, vehicleIds: ids.slice(0, 2), permissions: ['read_vin'], mode: 'simulated' });
    const c = new FormClient(t.app);
    await c.get('/account');
    expect((await c.post('/account/signin', { make: login.make, email: login.email, password: login.password, mode: login.mode })).statusCode).toBe(303);
    const spy = vi.spyOn(t.platform.grants, 'deleteConnections');
    await c.get('/account');
    expect((await c.post('/account/delete', {})).headers.location).toBe('/account?deleted=1');
    expect(spy.mock.calls.map((call) => call[0]).sort()).toEqual(['app-1', 'app-2']);
    expect(await t.platform.grants.ownerConnections(signed.accountId)).toEqual([]);
  });

  it('owner and developer sessions are separate (an owner cookie opens no dashboard page)', async () => {
    const c = await ownerSignedIn(t);
    expect((await c.get('/dashboard')).statusCode).toBe(303);
  });

  it('says in the owner\'s language what each app may do and did, and pages the access log', async () => {
    const signed = await t.platform.backend.signIn(OEM);
    if (!signed.ok) throw new Error('sign-in failed');
    const vehicleId = signed.vehicles[0]!.vehicleId;
    await seedApp(t, TEST_CLIENT.clientId, 'ChargeBuddy');
    await connectForTest(t.platform.storage, t.clock, { appId: TEST_CLIENT.clientId, userId: signed.accountId, vehicleIds: [vehicleId], permissions: ['read_charge', 'control_charge'], mode: 'simulated' });
    const base = t.clock.now();
    for (let i = 0; i < 45; i++) {
      await t.platform.metering.record({ requestId: `r-${i}`, at: base + i * 1000, appId: TEST_CLIENT.clientId, vehicleId, userId: signed.accountId, endpoint: i === 44 ? 'POST /v2.0/vehicles/:id/charge' : 'GET /v2.0/vehicles/:id/charge', method: i === 44 ? 'POST' : 'GET', status: i === 43 ? 409 : 200, latencyMs: 3, units: 1, woke: i === 0, requestClass: 'data' });
    }
    const c = await ownerSignedIn(t);
    const de = await c.get('/account?lang=de');
    expect(de.body).toContain('<li data-permission="read_charge">');
    expect(de.body).not.toMatch(/>read_charge</);
    expect(de.body).toContain('ChargeBuddy hat das Laden gestartet oder gestoppt oder das Ladelimit gesetzt');
    expect(de.body).toContain('ChargeBuddy hat Ihren Ladestatus gelesen · <span class="badge bad">ohne Erfolg (409)</span>');
    expect(de.body).toContain('45 Anfragen im Protokoll, 1 davon haben das Auto geweckt');
    expect(de.body.match(/<li data-endpoint=/g)).toHaveLength(20);
    expect(de.body).toContain('Einträge 1–20 von 45');
    const last = await c.get(`/account?vehicle=${vehicleId}&page=3&lang=en`);
    expect(last.body.match(/<li data-endpoint=/g)).toHaveLength(5);
    expect(last.body).toContain('Entries 41–45 of 45');
    expect(last.body).toContain('woke the car</span>');
    expect(last.body).toContain('rel="prev"');
    expect(last.body).not.toContain('rel="next"');
    expect((await c.get(`/account?vehicle=${vehicleId}&page=99`)).body).toContain('Entries 41–45 of 45');
    expect(de.body).toMatch(/<article class="app-card" data-app-id="[^"]+"><div class="app-head"><h4>ChargeBuddy<\/h4>\s*<form method="post" action="\/account\/revoke"/);
  });
});
