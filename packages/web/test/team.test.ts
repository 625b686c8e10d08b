import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '@opencar/core';
import { AccountsRepo, MailRepo } from '@opencar/storage';
import { testApp } from '../../../apps/server/test/helpers.js';
import { FormClient, inputValue } from './browser-client.js';

type T = Awaited<ReturnType<typeof testApp>>;
const PASSWORD = 'correct horse battery';
const MEMBERS = '/dashboard/account/members';

async function signUp(t: T, email = 'owner@example.com', name = 'Owner Co'): Promise<FormClient> {
  const c = new FormClient(t.app);
  await c.get('/dashboard/signup');
  expect((await c.post('/dashboard/signup', { name, email, password: PASSWORD, accept_tos: 'on' })).statusCode).toBe(303);
  return c;
}

async function createApp(c: FormClient): Promise<{ appId: string }> {
  await c.get('/dashboard/apps/new');
  const res = await c.post('/dashboard/apps', { name: 'Team app', redirect_uris: 'https://app.example/cb', scope: ['read_vin'], mode: 'simulated' });
  expect(res.statusCode).toBe(201);
  return { appId: inputValue(res.body, 'client-id')! };
}

const outbox = (t: T, to: string) => new MailRepo(t.platform.storage.db).list(100, to);
const linkIn = (text: string) => /http:\/\/opencar\.test(\/dashboard\/invite\?token=[\w%-]+)/.exec(text)?.[1];
const tokenOf = (link: string) => decodeURIComponent(new URL(link, 'http://x').searchParams.get('token')!);

async function invite(owner: FormClient, t: T, email: string, role: string): Promise<string> {
  t.clock.advance(1_000); // the outbox lists newest first: one message per instant
  await owner.get(MEMBERS);
  const res = await owner.post(MEMBERS, { email, role });
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toBe(`${MEMBERS}?done=invited`);
  const [mail] = await outbox(t, email);
  return linkIn(mail!.body_text)!;
}

/** The invitee opens the link and sets a password: a new login, signed in. */
async function join(t: T, link: string, name = 'Member'): Promise<FormClient> {
  const c = new FormClient(t.app);
  expect((await c.get(link)).statusCode).toBe(200);
  const res = await c.post('/dashboard/invite', { token: tokenOf(link), name, password: PASSWORD, accept_tos: 'on' });
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toBe('/dashboard?joined=1');
  return c;
}

async function member(t: T, owner: FormClient, email: string, role: string) {
  return join(t, await invite(owner, t, email, role));
}

async function signIn(t: T, email: string, password = PASSWORD) {
  const c = new FormClient(t.app);
  await c.get('/dashboard/signin');
  const res = await c.post('/dashboard/signin', { email, password });
  return { c, res };
}

/** Posts from a page of the client's own session (so the CSRF token is valid). */
async function postFrom(c: FormClient, page: string, url: string, form: Record<string, string | string[]> = {}) {
  expect((await c.get(page)).statusCode).toBe(200);
  return c.post(url, form);
}

const apps = (t: T, owner: string) => new AccountsRepo(t.platform.storage.db).listApps(owner);
const ownerId = async (t: T) => (await new AccountsRepo(t.platform.storage.db).findDeveloperByEmail('owner@example.com'))!.id;

describe('team members: invitation lifecycle', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('the owner invites by e-mail; the link (only its hash stored) makes a new login that works in the account with the role, once', async () => {
    const owner = await signUp(t);
    const { appId } = await createApp(owner);
    const link = await invite(owner, t, 'Viewer@Example.com', 'viewer');
    const [mail] = await outbox(t, 'viewer@example.com');
    expect(mail!.subject).toBe('Join Owner Co on opencar');
    expect(mail!.body_text).toContain('as Viewer');
    const token = tokenOf(link);
    const rows = await t.platform.storage.db.selectFrom('team_invites').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ token_hash: sha256(token), email: 'viewer@example.com', role: 'viewer' });
    expect(JSON.stringify(rows)).not.toContain(token);
    const pending = await owner.get(MEMBERS);
    expect(pending.body).toContain('data-invite="viewer@example.com"');

    const form = await new FormClient(t.app).get(link);
    expect(form.body).toContain('Owner Co invites viewer@example.com to the team as Viewer.');
    const c = new FormClient(t.app);
    await c.get(link);
    const short = await c.post('/dashboard/invite', { token, name: 'Vi', password: 'short', accept_tos: 'on' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Use at least 10 characters.');
    const noTos = await c.post('/dashboard/invite', { token, name: 'Vi', password: PASSWORD });
    expect(noTos.statusCode).toBe(400);
    expect(noTos.body).toContain('You must accept the Terms of Service.');
    const ok = await c.post('/dashboard/invite', { token, name: 'Vi', password: PASSWORD, accept_tos: 'on' });
    expect(ok.statusCode).toBe(303);
    const home = await c.get('/dashboard');
    expect(home.body).toContain(`href="/dashboard/apps/${appId}"`); // the owner's app
    expect(home.body).toContain('<span class="who">viewer@example.com</span>');

    // Reused: refused, nothing changes.
    const again = await new FormClient(t.app).get(link);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This invitation was already used.');
    const c2 = new FormClient(t.app);
    await c2.get('/dashboard/signin'); // the refused page has no form to take a CSRF token from
    const reused = await c2.post('/dashboard/invite', { token, name: 'Other', password: 'another passphrase', accept_tos: 'on' });
    expect(reused.statusCode).toBe(400);
    expect(reused.body).toContain('This invitation was already used.');
    expect((await signIn(t, 'viewer@example.com', 'another passphrase')).res.statusCode).toBe(401);

    // Signs in with their own e-mail and password, into the owner's account.
    const { c: again2, res } = await signIn(t, 'viewer@example.com');
    expect(res.statusCode).toBe(303);
    expect((await again2.get(`/dashboard/apps/${appId}`)).statusCode).toBe(200);
    const list = await owner.get(MEMBERS);
    expect(list.body).toContain('data-member="viewer@example.com"');
    expect(list.body).not.toContain('data-invite="viewer@example.com"');
  });

  it('an invitation expires after 7 days and then creates nothing', async () => {
    const owner = await signUp(t);
    const link = await invite(owner, t, 'late@example.com', 'developer');
    t.clock.advance(7 * 86_400_000 - 60_000);
    expect((await new FormClient(t.app).get(link)).statusCode).toBe(200);
    t.clock.advance(60_000);
    const expired = await new FormClient(t.app).get(link);
    expect(expired.statusCode).toBe(400);
    expect(expired.body).toContain('This invitation has expired.');
    const c = new FormClient(t.app);
    await c.get('/dashboard/signin');
    expect((await c.post('/dashboard/invite', { token: tokenOf(link), name: 'Late', password: PASSWORD, accept_tos: 'on' })).statusCode).toBe(400);
    expect(await new AccountsRepo(t.platform.storage.db).findDeveloperByEmail('late@example.com')).toBeUndefined();
    expect((await owner.get(MEMBERS)).body).not.toContain('data-invite="late@example.com"');
  });

  it('an unknown or revoked link is refused; an existing login accepts only with its own password (not another account\'s)', async () => {
    const owner = await signUp(t);
    for (const url of ['/dashboard/invite?token=nope', '/dashboard/invite']) {
      const res = await new FormClient(t.app).get(url);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('This invitation link is not valid.');
    }
    const revokedLink = await invite(owner, t, 'gone@example.com', 'viewer');
    const inviteId = (await t.platform.storage.db.selectFrom('team_invites').select('id').where('email', '=', 'gone@example.com').executeTakeFirst())!.id;
    // Another account's owner cannot revoke it.
    const stranger = await signUp(t, 'stranger@example.com', 'Stranger');
    expect((await postFrom(stranger, MEMBERS, `${MEMBERS}/invites/${inviteId}/revoke`)).statusCode).toBe(404);
    expect((await new FormClient(t.app).get(revokedLink)).statusCode).toBe(200);
    expect((await postFrom(owner, MEMBERS, `${MEMBERS}/invites/${inviteId}/revoke`)).statusCode).toBe(303);
    expect((await new FormClient(t.app).get(revokedLink)).body).toContain('This invitation link is not valid.');

    // An existing login: the page asks for its password; the stranger's password (signed in or not) does not do.
    const existing = await signUp(t, 'existing@example.com', 'Existing');
    const link = await invite(owner, t, 'existing@example.com', 'developer');
    const page = await stranger.get(link);
    expect(page.body).toContain('This e-mail already has a developer login.');
    const wrong = await stranger.post('/dashboard/invite', { token: tokenOf(link), password: 'not the password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The password does not match this login.');
    expect((await stranger.get('/dashboard')).body).toContain('<span class="who">stranger@example.com</span>');
    await existing.get(link);
    const ok = await existing.post('/dashboard/invite', { token: tokenOf(link), password: PASSWORD });
    expect(ok.statusCode).toBe(303);
    expect((await existing.get(MEMBERS)).body).toContain('Everyone here works on the applications of Owner Co');
    // A login already in a team cannot join another.
    const other = await invite(stranger, t, 'existing@example.com', 'viewer');
    await existing.get(other);
    const busy = await existing.post('/dashboard/invite', { token: tokenOf(other), password: PASSWORD });
    expect(busy.statusCode).toBe(400);
    expect(busy.body).toContain('This login already works in another team');
  });

  it('confirming an existing login\'s password on an invitation is throttled like sign-in', async () => {
    const owner = await signUp(t);
    await signUp(t, 'existing@example.com', 'Existing');
    const link = await invite(owner, t, 'existing@example.com', 'viewer');
    const c = new FormClient(t.app, {}, '127.0.0.9');
    await c.get(link);
    for (let i = 0; i < 5; i++) expect((await c.post('/dashboard/invite', { token: tokenOf(link), password: `wrong ${i}` })).statusCode).toBe(400);
    const locked = await c.post('/dashboard/invite', { token: tokenOf(link), password: PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(await t.platform.storage.db.selectFrom('team_members').selectAll().execute()).toEqual([]);
  });

  it('refuses bad invitations: address, role, an existing member', async () => {
    const owner = await signUp(t);
    await owner.get(MEMBERS);
    const bad = await owner.post(MEMBERS, { email: 'not-an-address', role: 'viewer' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a valid e-mail address.');
    expect((await owner.post(MEMBERS, { email: 'x@example.com', role: 'admin' })).statusCode).toBe(400);
    const self = await owner.post(MEMBERS, { email: 'owner@example.com', role: 'viewer' });
    expect(self.statusCode).toBe(400);
    expect(self.body).toContain('This person is already a member of the team.');
    expect(await outbox(t, 'x@example.com')).toEqual([]);
  });
});

describe('team members: roles and the last owner', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('the owner changes roles and removes members; the last owner is neither demoted nor removed', async () => {
    const owner = await signUp(t);
    const holder = await ownerId(t);
    const dev = await member(t, owner, 'dev@example.com', 'developer');
    const devId = (await new AccountsRepo(t.platform.storage.db).findDeveloperByEmail('dev@example.com'))!.id;
    // The only owner cannot step down.
    const demote = await postFrom(owner, MEMBERS, `${MEMBERS}/${holder}/role`, { role: 'viewer' });
    expect(demote.statusCode).toBe(400);
    expect(demote.body).toContain('The account must keep at least one owner');
    expect((await postFrom(owner, MEMBERS, `${MEMBERS}/${holder}/remove`)).body).toContain('The account holder stays in the team');
    // Promote the developer; then the holder may step down to viewer.
    expect((await postFrom(owner, MEMBERS, `${MEMBERS}/${devId}/role`, { role: 'owner' })).statusCode).toBe(303);
    expect((await postFrom(owner, MEMBERS, `${MEMBERS}/${holder}/role`, { role: 'viewer' })).statusCode).toBe(303);
    // The holder is now a viewer: member management is refused to them.
    expect((await postFrom(owner, '/dashboard', `${MEMBERS}/${devId}/role`, { role: 'viewer' })).statusCode).toBe(403);
    // The new owner is the last owner: cannot demote or remove themselves.
    const self = await postFrom(dev, MEMBERS, `${MEMBERS}/${devId}/role`, { role: 'developer' });
    expect(self.statusCode).toBe(400);
    expect((await postFrom(dev, MEMBERS, `${MEMBERS}/${devId}/remove`)).body).toContain('The account must keep at least one owner');
    expect((await postFrom(dev, MEMBERS, `${MEMBERS}/${holder}/role`, { role: 'owner' })).statusCode).toBe(303);
    // Removed: their sessions end; signing in again shows their own (empty) account.
    expect((await postFrom(owner, MEMBERS, `${MEMBERS}/${devId}/remove`)).statusCode).toBe(303);
    expect((await dev.get('/dashboard')).statusCode).toBe(303);
    const { c } = await signIn(t, 'dev@example.com');
    expect((await c.get('/dashboard')).body).toContain('<span class="who">dev@example.com</span>');
    expect((await c.get(MEMBERS)).body).not.toContain('owner@example.com');
  });

  it('an owner of another account cannot change or remove this account\'s members', async () => {
    const owner = await signUp(t);
    await member(t, owner, 'dev@example.com', 'developer');
    const devId = (await new AccountsRepo(t.platform.storage.db).findDeveloperByEmail('dev@example.com'))!.id;
    const stranger = await signUp(t, 'stranger@example.com', 'Stranger');
    expect((await postFrom(stranger, MEMBERS, `${MEMBERS}/${devId}/role`, { role: 'viewer' })).statusCode).toBe(404);
    expect((await postFrom(stranger, MEMBERS, `${MEMBERS}/${devId}/remove`)).statusCode).toBe(404);
    expect((await owner.get(MEMBERS)).body).toMatch(/data-member="dev@example.com">[\s\S]*?data-role="developer"/);
  });

  it('an owner who is a member terminates the account with their own e-mail and password', async () => {
    const owner = await signUp(t);
    const co = await member(t, owner, 'co@example.com', 'owner');
    await co.get('/dashboard/account');
    expect((await co.post('/dashboard/account/terminate', { confirm: 'owner@example.com', password: PASSWORD })).statusCode).toBe(400);
    expect((await co.post('/dashboard/account/terminate', { confirm: 'co@example.com', password: PASSWORD })).statusCode).toBe(303);
    expect((await new AccountsRepo(t.platform.storage.db).getDeveloper(await ownerId(t)))!.status).toBe('terminated');
    expect((await owner.get('/dashboard')).statusCode).toBe(303);
    expect((await signIn(t, 'co@example.com')).res.statusCode).toBe(303);
  });

  it('terminating the account ends its team: members are signed out and back in their own account', async () => {
    const owner = await signUp(t);
    const viewer = await member(t, owner, 'viewer@example.com', 'viewer');
    await owner.get('/dashboard/account');
    expect((await owner.post('/dashboard/account/terminate', { confirm: 'owner@example.com', password: PASSWORD })).statusCode).toBe(303);
    expect((await viewer.get('/dashboard')).statusCode).toBe(303);
    expect((await t.platform.storage.db.selectFrom('team_members').selectAll().execute())).toEqual([]);
    expect((await signIn(t, 'viewer@example.com')).res.statusCode).toBe(303);
  });
});

describe('team members: what each role is refused (server-side, 403)', () => {
  let t: T;
  let owner: FormClient;
  let appId: string;
  beforeEach(async () => {
    t = await testApp();
    owner = await signUp(t);
    ({ appId } = await createApp(owner));
  });
  afterEach(async () => t.close());

  const refusedPage = (body: string, text: string) => {
    expect(body).toContain('Something went wrong');
    expect(body).toContain(text);
  };
  const READ_ONLY = 'Your role in this account is viewer';
  const OWNER_ONLY = 'Only an owner of this account can do this.';

  it('viewer: cannot create an app (form and post)', async () => {
    const v = await member(t, owner, 'v@example.com', 'viewer');
    expect((await v.get('/dashboard/apps/new')).statusCode).toBe(403);
    const res = await postFrom(v, '/dashboard', '/dashboard/apps', { name: 'Nope', redirect_uris: 'https://x.example/cb', scope: ['read_vin'], mode: 'simulated' });
    expect(res.statusCode).toBe(403);
    refusedPage(res.body, READ_ONLY);
    expect(await apps(t, await ownerId(t))).toHaveLength(1);
  });

  it('viewer: cannot change settings, rotate the secret, issue credentials or delete the app', async () => {
    const v = await member(t, owner, 'v@example.com', 'viewer');
    const secretHash = (await t.platform.storage.db.selectFrom('apps').select('client_secret_hash').where('id', '=', appId).executeTakeFirst())!.client_secret_hash;
    const base = `/dashboard/apps/${appId}`;
    for (const [path, form] of [[base, { name: 'Renamed', redirect_uris: 'https://x.example/cb', scope: ['read_vin'], mode: 'simulated' }], [`${base}/secret`, {}], [`${base}/amt`, {}], [`${base}/machine-credentials`, {}], [`${base}/delete`, { confirm: 'Team app' }]] as const) {
      const res = await postFrom(v, base, path, form as Record<string, string | string[]>);
      expect(res.statusCode, path).toBe(403);
      refusedPage(res.body, READ_ONLY);
    }
    const row = await t.platform.storage.db.selectFrom('apps').select(['name', 'client_secret_hash', 'deleted_at']).where('id', '=', appId).executeTakeFirst();
    expect(row).toEqual({ name: 'Team app', client_secret_hash: secretHash, deleted_at: null });
    expect((await v.get(base)).statusCode).toBe(200);
  });

  it('viewer: cannot create, verify, delete or subscribe webhooks, or redeliver', async () => {
    const v = await member(t, owner, 'v@example.com', 'viewer');
    await t.platform.storage.db.insertInto('webhooks').values({ id: 'wh-1', app_id: appId, name: 'Hook', url: 'https://hooks.example/x', kind: 'scheduled', cadence: 'daily', topics: '["/odometer"]', status: 'active', verified_at: t.clock.now(), next_run_at: null, created_at: t.clock.now(), deleted_at: null, anchor_at: null }).execute();
    const base = `/dashboard/apps/${appId}/webhooks`;
    for (const [path, form] of [[base, { name: 'New', url: 'https://hooks.example/y', kind: 'scheduled', cadence: 'daily' }], [`${base}/wh-1/verify`, {}], [`${base}/wh-1/delete`, {}], [`${base}/wh-1/subscriptions`, { vehicle_id: 'veh-1' }], [`${base}/wh-1/deliveries/d1/redeliver`, {}]] as const) {
      const res = await postFrom(v, base, path, form as Record<string, string>);
      expect(res.statusCode, path).toBe(403);
    }
    const hooks = await t.platform.storage.db.selectFrom('webhooks').select(['id', 'deleted_at']).where('app_id', '=', appId).execute();
    expect(hooks).toEqual([{ id: 'wh-1', deleted_at: null }]);
  });

  it('viewer: cannot create, change, verify, enable, delete or subscribe API v3 integrations', async () => {
    const v = await member(t, owner, 'v@example.com', 'viewer');
    const row = { id: 'int-1', app_id: appId, name: 'Integration', url: 'https://hooks.example/v3', kind: 'integration', cadence: null, topics: '[]', status: 'active', verified_at: t.clock.now(), next_run_at: null, created_at: t.clock.now(), deleted_at: null, anchor_at: null, api_version: '3', triggers: '[{"code":"tractionbattery-stateofcharge"}]', signals: '[]', error_url: null, auto_subscribe: 0 };
    await t.platform.storage.db.insertInto('webhooks').values(row).execute();
    const base = `/dashboard/apps/${appId}/integrations`;
    expect((await v.get(`${base}/int-1`)).statusCode).toBe(200);
    for (const [path, form] of [[base, { name: 'New', callbackUri: 'https://hooks.example/y' }], [`${base}/int-1`, { name: 'Renamed', callbackUri: 'https://hooks.example/v3' }], [`${base}/int-1/verify`, {}], [`${base}/int-1/enabled`, { enabled: 'false' }], [`${base}/int-1/delete`, {}], [`${base}/int-1/subscriptions`, { vehicle_id: 'veh-1' }]] as const) {
      const res = await postFrom(v, `${base}/int-1`, path, form as Record<string, string>);
      expect(res.statusCode, path).toBe(403);
      refusedPage(res.body, READ_ONLY);
    }
    const after = await t.platform.storage.db.selectFrom('webhooks').select(['id', 'name', 'status', 'deleted_at']).where('app_id', '=', appId).execute();
    expect(after).toEqual([{ id: 'int-1', name: 'Integration', status: 'active', deleted_at: null }]);
    expect(await t.platform.storage.db.selectFrom('webhook_subscriptions').select('vehicle_id').where('webhook_id', '=', 'int-1').execute()).toEqual([]);
  });

  it('viewer: cannot use the simulator console, add simulated vehicles or disconnect vehicles', async () => {
    const v = await member(t, owner, 'v@example.com', 'viewer');
    const base = `/dashboard/apps/${appId}`;
    const before = await t.platform.storage.db.selectFrom('sim_vehicles').select('id').execute();
    for (const [path, form] of [[`${base}/simulator/veh-1`, { action: 'plug' }], [`${base}/simulator/vehicles`, { make: 'KIA', model: 'KIA|EV6', year: '2023', powertrain: 'BEV', region: 'EUROPE' }], [`${base}/vehicles/disconnect`, { vehicle_id: 'veh-1', user_id: 'u1' }]] as const) {
      const res = await postFrom(v, `${base}/simulator`, path, form as Record<string, string>);
      expect(res.statusCode, path).toBe(403);
    }
    expect(await t.platform.storage.db.selectFrom('sim_vehicles').select('id').execute()).toEqual(before);
  });

  it('viewer: cannot start Try Connect (it connects a vehicle)', async () => {
    const v = await member(t, owner, 'v@example.com', 'viewer');
    const start = await v.get(`/dashboard/apps/${appId}/try-connect`);
    expect(start.statusCode).toBe(403);
    refusedPage(start.body, READ_ONLY);
    expect((await v.get(`/dashboard/apps/${appId}/try-connect/callback?code=x&state=y`)).statusCode).toBe(403);
  });

  it('viewer: cannot invite, change the plan or terminate; every page is readable with its controls disabled or left out', async () => {
    const v = await member(t, owner, 'v@example.com', 'viewer');
    expect((await postFrom(v, MEMBERS, MEMBERS, { email: 'x@example.com', role: 'owner' })).statusCode).toBe(403);
    expect((await postFrom(v, '/dashboard/plans', '/dashboard/plans', { plan: 'payg', confirm: 'yes' })).statusCode).toBe(403);
    expect((await postFrom(v, '/dashboard/account', '/dashboard/account/terminate', { confirm: 'owner@example.com', password: PASSWORD })).statusCode).toBe(403);
    const home = await v.get('/dashboard');
    expect(home.body).toContain('id="role-note" data-role="viewer"');
    expect(home.body).not.toContain('id="new-app"');
    const settings = await v.get(`/dashboard/apps/${appId}`);
    expect(settings.statusCode).toBe(200);
    expect(settings.body).not.toContain('id="try-connect"');
    expect(settings.body).toMatch(/<form[^>]*action="\/dashboard\/apps\/[^"]+\/secret"[^>]*data-locked="viewer"><fieldset class="locked" disabled>/);
    expect(settings.body).not.toMatch(/<form method="post"(?![^>]*data-locked)[^>]*action="\/dashboard\/apps/);
    const members = await v.get(MEMBERS);
    expect(members.body).toMatch(/action="\/dashboard\/account\/members"[^>]*data-locked="viewer"><fieldset class="locked" disabled>/);
    expect((await v.get('/dashboard/plans')).body).toContain('data-locked="viewer"');
    // The owner sees everything enabled.
    const own = await owner.get(`/dashboard/apps/${appId}`);
    expect(own.body).not.toContain('data-locked');
    expect(own.body).toContain('id="try-connect"');
  });

  it('developer: may create apps and use the console, but not manage members, change the plan or terminate', async () => {
    const d = await member(t, owner, 'd@example.com', 'developer');
    await d.get('/dashboard/apps/new');
    expect((await d.post('/dashboard/apps', { name: 'Second', redirect_uris: 'https://x.example/cb', scope: ['read_vin'], mode: 'simulated' })).statusCode).toBe(201);
    expect(await apps(t, await ownerId(t))).toHaveLength(2);
    expect((await postFrom(d, `/dashboard/apps/${appId}`, `/dashboard/apps/${appId}/secret`)).statusCode).toBe(200);
    // Console and Try Connect pass the role check (the console then refuses a vehicle the app does not have).
    expect((await postFrom(d, `/dashboard/apps/${appId}/simulator`, `/dashboard/apps/${appId}/simulator/not-connected`, { action: 'plug' })).statusCode).toBe(404);
    const added = await postFrom(d, `/dashboard/apps/${appId}/simulator`, `/dashboard/apps/${appId}/simulator/vehicles`, { make: 'KIA', model: 'KIA|EV6', year: '2023', powertrain: 'BEV', region: 'EUROPE' });
    expect(added.statusCode).toBeLessThan(400);
    expect((await d.get(`/dashboard/apps/${appId}/try-connect`)).statusCode).toBe(303);

    const invited = await postFrom(d, MEMBERS, MEMBERS, { email: 'x@example.com', role: 'viewer' });
    expect(invited.statusCode).toBe(403);
    refusedPage(invited.body, OWNER_ONLY);
    expect(await outbox(t, 'x@example.com')).toEqual([]);
    const holder = await ownerId(t);
    expect((await postFrom(d, MEMBERS, `${MEMBERS}/${holder}/role`, { role: 'viewer' })).statusCode).toBe(403);
    expect((await postFrom(d, MEMBERS, `${MEMBERS}/${holder}/remove`)).statusCode).toBe(403);
    const plan = await postFrom(d, '/dashboard/plans', '/dashboard/plans', { plan: 'payg', confirm: 'yes' });
    expect(plan.statusCode).toBe(403);
    refusedPage(plan.body, OWNER_ONLY);
    expect((await new AccountsRepo(t.platform.storage.db).getDeveloper(holder))!.plan).toBe('free');
    const term = await postFrom(d, '/dashboard/account', '/dashboard/account/terminate', { confirm: 'owner@example.com', password: PASSWORD });
    expect(term.statusCode).toBe(403);
    expect((await new AccountsRepo(t.platform.storage.db).getDeveloper(holder))!.status).toBe('active');
    const account = await d.get('/dashboard/account');
    expect(account.body).toMatch(/action="\/dashboard\/account\/terminate"[^>]*data-locked="developer"/);
    expect(account.body).toContain('Your role: Developer');
  });
});
