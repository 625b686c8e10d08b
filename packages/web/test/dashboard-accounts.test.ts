import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptSecret, sha256 } from '@opencar/core';
import { AccountsRepo } from '@opencar/storage';
import { connectForTest } from '@opencar/oauth';
import { testApp } from '../../../apps/server/test/helpers.js';
import { FormClient, inputValue } from './browser-client.js';

type T = Awaited<ReturnType<typeof testApp>>;
const PASSWORD = 'correct horse battery';

async function signUp(t: T, email = 'dev@example.com'): Promise<FormClient> {
  const c = new FormClient(t.app);
  await c.get('/dashboard/signup');
  const res = await c.post('/dashboard/signup', { name: 'Dev', email, password: PASSWORD, accept_tos: 'on' });
  expect(res.statusCode).toBe(303);
  return c;
}

const APP_FORM = { name: 'My app', logo_url: '', redirect_uris: 'https://app.example/cb\nhttp://localhost:8000/cb', scope: ['read_vin', 'read_odometer'], mode: 'simulated' };

async function createApp(c: FormClient, form: Record<string, string | string[]> = APP_FORM) {
  await c.get('/dashboard/apps/new');
  const res = await c.post('/dashboard/apps', form);
  return { res, clientId: inputValue(res.body, 'client-id'), secret: inputValue(res.body, 'client-secret'), amt: inputValue(res.body, 'amt') };
}

describe('developer accounts and sessions', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('sends signed-out visitors to the sign-in page', async () => {
    const res = await new FormClient(t.app).get('/dashboard');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/dashboard/signin?next=%2Fdashboard');
  });

  it('requires accepting the ToS and records version and time; passwords are scrypt hashes', async () => {
    const c = new FormClient(t.app);
    await c.get('/dashboard/signup');
    const refused = await c.post('/dashboard/signup', { name: 'Dev', email: 'dev@example.com', password: PASSWORD });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('You must accept the Terms of Service.');
    const ok = await c.post('/dashboard/signup', { name: 'Dev', email: 'Dev@Example.com', password: PASSWORD, accept_tos: 'on' });
    expect(ok.statusCode).toBe(303);
    const dev = await new AccountsRepo(t.platform.storage.db).findDeveloperByEmail('dev@example.com');
    expect(dev).toMatchObject({ tos_version: '2026-01', tos_accepted_at: t.clock.now(), status: 'active', plan: 'free' });
    expect(dev!.password_hash).toMatch(/^scrypt\$/);
    await c.get('/dashboard/signup');
    const dup = await c.post('/dashboard/signup', { name: 'Dev', email: 'dev@example.com', password: PASSWORD, accept_tos: 'on' });
    expect(dup.body).toContain('already exists');
  });

  it('session cookie is HttpOnly, SameSite=Lax, path-scoped; only its hash is stored; sign-out ends it', async () => {
    const c = new FormClient(t.app);
    await c.get('/dashboard/signup');
    const res = await c.post('/dashboard/signup', { name: 'Dev', email: 'dev@example.com', password: PASSWORD, accept_tos: 'on' });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] as string[]).find((h) => h.startsWith('oc_dev='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/dashboard/);
    expect(cookie).not.toMatch(/Secure/);
    const id = c.cookies.get('oc_dev')!;
    const rows = await t.platform.storage.db.selectFrom('web_sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).toBe(sha256(decodeURIComponent(id)));
    expect(JSON.stringify(rows)).not.toContain(decodeURIComponent(id));
    expect((await c.get('/dashboard')).statusCode).toBe(200);
    await c.post('/dashboard/signout', {});
    expect(await t.platform.storage.db.selectFrom('web_sessions').selectAll().execute()).toHaveLength(0);
    c.cookies.set('oc_dev', id); // a stolen cookie replayed after sign-out
    expect((await c.get('/dashboard')).statusCode).toBe(303);
  });

  it('sign-ins purge expired sessions from storage', async () => {
    const a = new FormClient(t.app);
    await a.get('/dashboard/signup');
    await a.post('/dashboard/signup', { name: 'Dev', email: 'dev@example.com', password: PASSWORD, accept_tos: 'on' });
    expect(await t.platform.storage.db.selectFrom('web_sessions').selectAll().execute()).toHaveLength(1);
    t.clock.advance(13 * 3600_000); // past the idle limit: the first session is expired
    const b = new FormClient(t.app);
    await b.get('/dashboard/signin');
    expect((await b.post('/dashboard/signin', { email: 'dev@example.com', password: PASSWORD })).statusCode).toBe(303);
    const rows = await t.platform.storage.db.selectFrom('web_sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.created_at).toBe(t.clock.now());
  });

  it('sets Secure cookies when served over https', async () => {
    const s = await testApp({ PUBLIC_URL: 'https://opencar.test' });
    try {
      const res = await new FormClient(s.app).get('/dashboard/signin');
      expect(String(res.headers['set-cookie'])).toMatch(/Secure/);
    } finally { await s.close(); }
  });

  it('rejects forms without a valid CSRF token or from another origin', async () => {
    const c = await signUp(t);
    await c.get('/dashboard/apps/new');
    expect((await c.post('/dashboard/apps', { ...APP_FORM, _csrf: '' })).statusCode).toBe(403);
    expect((await c.post('/dashboard/apps', { ...APP_FORM, _csrf: 'f'.repeat(64) })).statusCode).toBe(403);
    await c.get('/dashboard/apps/new');
    expect((await c.post('/dashboard/apps', APP_FORM, { origin: 'https://evil.example' })).statusCode).toBe(403);
    await c.get('/dashboard/apps/new');
    expect((await c.post('/dashboard/apps', APP_FORM)).statusCode).toBe(201);
    // A signed-out form token does not work once signed in (tokens are bound to the session).
    const anon = new FormClient(t.app);
    await anon.get('/dashboard/signin');
    const stale = anon.csrf();
    expect((await c.post('/dashboard/apps', { ...APP_FORM, _csrf: stale })).statusCode).toBe(403);
  });

  it('signs in with the right password only, and throttles guessing', async () => {
    await signUp(t);
    const c = new FormClient(t.app);
    await c.get('/dashboard/signin');
    expect((await c.post('/dashboard/signin', { email: 'dev@example.com', password: 'wrong-password' })).statusCode).toBe(401);
    const ok = await c.post('/dashboard/signin', { email: 'DEV@example.com', password: PASSWORD, next: '/dashboard/account' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/dashboard/account');
    await c.get('/dashboard/signin');
    const evil = await c.post('/dashboard/signin', { email: 'dev@example.com', password: PASSWORD, next: '//evil.example/x' });
    expect(evil.headers.location).toBe('/dashboard');
    const g = new FormClient(t.app);
    await g.get('/dashboard/signin');
    for (let i = 0; i < 5; i++) expect((await g.post('/dashboard/signin', { email: 'dev@example.com', password: `guess-${i}` })).statusCode).toBe(401);
    expect((await g.post('/dashboard/signin', { email: 'dev@example.com', password: PASSWORD })).statusCode).toBe(429);
    t.clock.advance(15 * 60_000 + 1);
    expect((await g.post('/dashboard/signin', { email: 'dev@example.com', password: PASSWORD })).statusCode).toBe(303);
  });
});

describe('applications', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('creates an app, shows secret and management token once, stores only hashes / the sealed AMT', async () => {
    const c = await signUp(t);
    const { res, clientId, secret, amt } = await createApp(c);
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    const app = (await new AccountsRepo(t.platform.storage.db).getApp(clientId!))!;
    expect(app.clientSecretHash).toBe(sha256(secret!));
    expect(app.amtHash).toBe(sha256(amt!));
    expect(decryptSecret(t.platform.secretKey, app.amtEnc)).toBe(amt);
    expect(app).toMatchObject({ name: 'My app', mode: 'simulated', defaultScope: ['read_vin', 'read_odometer'], redirectUris: ['https://app.example/cb', 'http://localhost:8000/cb'] });
    const settings = await c.get(`/dashboard/apps/${clientId}`);
    expect(settings.body).not.toContain(secret!);
    expect(settings.body).not.toContain(amt!);
    expect(settings.body).toContain(`/oauth/authorize?response_type=code&amp;client_id=${clientId}&amp;redirect_uri=https%3A%2F%2Fapp.example%2Fcb&amp;scope=read_vin%20read_odometer&amp;mode=simulated`);
  });

  it('validates redirect URIs as Connect does, including the app-specific custom scheme', async () => {
    const c = await signUp(t);
    const bad = await createApp(c, { ...APP_FORM, redirect_uris: 'http://app.example/cb' });
    expect(bad.res.statusCode).toBe(400);
    expect(bad.res.body).toContain('Not an allowed redirect URI: http://app.example/cb');
    const { clientId } = await createApp(c);
    await c.get(`/dashboard/apps/${clientId}`);
    const other = await c.post(`/dashboard/apps/${clientId}`, { ...APP_FORM, redirect_uris: 'scotherapp://callback' });
    expect(other.statusCode).toBe(400);
    await c.get(`/dashboard/apps/${clientId}`);
    const own = await c.post(`/dashboard/apps/${clientId}`, { ...APP_FORM, name: 'Renamed', logo_url: 'https://cdn.example/logo.png', redirect_uris: `sc${clientId}://callback`, mode: 'test' });
    expect(own.statusCode).toBe(303);
    const app = (await new AccountsRepo(t.platform.storage.db).getApp(clientId!))!;
    expect(app).toMatchObject({ name: 'Renamed', logoUrl: 'https://cdn.example/logo.png', redirectUris: [`sc${clientId}://callback`], mode: 'test' });
    await c.get(`/dashboard/apps/${clientId}`);
    expect((await c.post(`/dashboard/apps/${clientId}`, { ...APP_FORM, logo_url: 'http://insecure.example/l.png' })).statusCode).toBe(400);
    expect((await c.post(`/dashboard/apps/${clientId}`, { ...APP_FORM, scope: ['read_vin', 'not_a_permission'] })).statusCode).toBe(400);
  });

  it('rotates the client secret and the management token (new values shown once, old ones dead)', async () => {
    const c = await signUp(t);
    const { clientId, secret, amt } = await createApp(c);
    const repo = new AccountsRepo(t.platform.storage.db);
    await c.get(`/dashboard/apps/${clientId}`);
    const r1 = await c.post(`/dashboard/apps/${clientId}/secret`, {});
    const secret2 = inputValue(r1.body, 'client-secret')!;
    expect(secret2).toBeTruthy();
    expect(secret2).not.toBe(secret);
    expect((await repo.getApp(clientId!))!.clientSecretHash).toBe(sha256(secret2));
    const r2 = await c.post(`/dashboard/apps/${clientId}/amt`, {});
    const amt2 = inputValue(r2.body, 'amt')!;
    expect(amt2).not.toBe(amt);
    expect(await repo.findAppByAmtHash(sha256(amt!))).toBeUndefined();
    expect((await repo.findAppByAmtHash(sha256(amt2)))?.id).toBe(clientId);
  });

  it('issues v3 machine credentials with the app, shows them once, and rotation ends the old secret and its application tokens', async () => {
    const c = await signUp(t);
    const { res, clientId } = await createApp(c);
    const v3Id = inputValue(res.body, 'v3-client-id')!;
    const v3Secret = inputValue(res.body, 'v3-client-secret')!;
    expect(v3Id).toMatch(/^client_[0-9a-f]{32}$/);
    const tokenOf = (id: string, secret: string) => t.app.inject({ method: 'POST', url: '/oauth2/token', payload: { grant_type: 'client_credentials', client_id: id, client_secret: secret } });
    const first = await tokenOf(v3Id, v3Secret);
    expect(first.statusCode).toBe(200);
    const settings = await c.get(`/dashboard/apps/${clientId}`);
    expect(settings.body).toContain(v3Id);
    expect(settings.body).not.toContain(v3Secret);
    expect(settings.body).toContain('id="application-id-value"');
    const rotated = await c.post(`/dashboard/apps/${clientId}/machine-credentials`, {});
    const v3Id2 = inputValue(rotated.body, 'v3-client-id')!;
    const v3Secret2 = inputValue(rotated.body, 'v3-client-secret')!;
    expect(v3Id2).not.toBe(v3Id);
    expect((await tokenOf(v3Id, v3Secret)).statusCode).toBe(401);
    expect((await tokenOf(v3Id2, v3Secret2)).statusCode).toBe(200);
    const old = await t.app.inject({ url: '/v3/vehicles/00000000-0000-4000-8000-0000000000aa', headers: { authorization: `Bearer ${first.json().access_token}` } });
    expect(old.statusCode).toBe(401);
  });

  it('never shows or changes another developer\'s app', async () => {
    const owner = await signUp(t, 'owner@example.com');
    const { clientId } = await createApp(owner);
    const other = await signUp(t, 'other@example.com');
    expect((await other.get(`/dashboard/apps/${clientId}`)).statusCode).toBe(404);
    await other.get('/dashboard');
    expect((await other.post(`/dashboard/apps/${clientId}/secret`, {})).statusCode).toBe(404);
  });

  it('deleting an app revokes its tokens', async () => {
    const c = await signUp(t);
    const { clientId } = await createApp(c);
    const tokens = await connectForTest(t.platform.storage, t.clock, { appId: clientId!, userId: 'u1', vehicleIds: ['v1'], permissions: ['read_vin'] });
    expect(await t.platform.grants.verifyAccessToken(tokens.access_token)).toBeDefined();
    await c.get(`/dashboard/apps/${clientId}`);
    expect((await c.post(`/dashboard/apps/${clientId}/delete`, {})).statusCode).toBe(303);
    t.clock.advance(5_000);
    expect(await t.platform.grants.verifyAccessToken(tokens.access_token)).toBeUndefined();
    expect(await new AccountsRepo(t.platform.storage.db).getApp(clientId!)).toBeUndefined();
  });
});

describe('account termination', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('disconnects every vehicle, revokes every token, deletes apps, ends sessions and blocks sign-in', async () => {
    const c = await signUp(t);
    const a = await createApp(c);
    const b = await createApp(c);
    const ta = await connectForTest(t.platform.storage, t.clock, { appId: a.clientId!, userId: 'u1', vehicleIds: ['v1', 'v2'], permissions: ['read_vin'] });
    const tb = await connectForTest(t.platform.storage, t.clock, { appId: b.clientId!, userId: 'u2', vehicleIds: ['v3'], permissions: ['read_vin'] });
    await c.get('/dashboard/account');
    const wrong = await c.post('/dashboard/account/terminate', { confirm: 'dev@example.com', password: 'not my password' });
    expect(wrong.statusCode).toBe(400);
    expect(await t.platform.grants.appVehicleIds(a.clientId!)).toHaveLength(2);
    await c.get('/dashboard/account');
    const done = await c.post('/dashboard/account/terminate', { confirm: 'dev@example.com', password: PASSWORD });
    expect(done.statusCode).toBe(303);
    t.clock.advance(5_000);
    expect(await t.platform.grants.verifyAccessToken(ta.access_token)).toBeUndefined();
    expect(await t.platform.grants.verifyAccessToken(tb.access_token)).toBeUndefined();
    expect(await t.platform.grants.appVehicleIds(a.clientId!)).toEqual([]);
    const repo = new AccountsRepo(t.platform.storage.db);
    expect((await repo.findDeveloperByEmail('dev@example.com'))?.status).toBe('terminated');
    expect(await repo.findAppByAmtHash(sha256(a.amt!))).toBeUndefined();
    expect(await t.platform.storage.db.selectFrom('web_sessions').selectAll().execute()).toHaveLength(0);
    const again = new FormClient(t.app);
    await again.get('/dashboard/signin');
    expect((await again.post('/dashboard/signin', { email: 'dev@example.com', password: PASSWORD })).statusCode).toBe(401);
  });
});
