import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, sha256 } from '@opencar/core';
import { reauthenticateUrl } from '../src/index.js';
import { Browser, CLIENT, OTHER, SECRET_KEY, authorizeUrl, connect, harness, type Harness } from './harness.js';

const start = (over: Record<string, string | undefined> = {}) =>
  authorizeUrl({ response_type: 'code', client_id: CLIENT.id, redirect_uri: CLIENT.redirect, scope: 'read_odometer', state: 'st', make: 'TESLA', ...over });

async function signIn(h: Harness, email: string, over: Record<string, string | undefined> = {}, password = 'pw') {
  const b = new Browser(h.app);
  await b.open(start(over));
  await b.post('continue');
  await b.post('login', { username: email, password });
  return b;
}

describe('Connect error branches', () => {
  let h: Harness;
  beforeAll(async () => { h = await harness(); });
  afterAll(async () => h?.close());

  it('an unknown client_id shows an error page and never redirects', async () => {
    for (const id of ['nope', '', '../../etc']) {
      const b = new Browser(h.app);
      await b.open(start({ client_id: id, redirect_uri: 'https://evil.example/cb' }));
      expect(b.status).toBe(400);
      expect(b.location).toBeUndefined();
      expect(b.html).toContain('not belong to a registered application');
      expect(b.html).not.toContain('evil.example');
    }
  });

  it('open-redirect attempts: any redirect_uri that is not exactly registered gets an error page, no redirect', async () => {
    const attempts = [
      'https://evil.example/callback', 'https://app.example/callback/', 'https://app.example/callback?next=https://evil.example',
      'https://app.example/callback#x', 'https://app.example.evil.example/callback', 'https://app.example@evil.example/callback',
      'HTTPS://APP.EXAMPLE/callback', '//evil.example/callback', 'javascript:alert(1)', 'http://app.example/callback',
      'https://app.example/callback/../evil', 'undefined', '',
    ];
    for (const uri of attempts) {
      const b = new Browser(h.app);
      await b.open(start({ redirect_uri: uri }));
      expect(b.status, uri).toBe(400);
      expect(b.location, uri).toBeUndefined();
      expect(b.headers['set-cookie'], uri).toBeUndefined();
      expect(b.html).toContain('not registered');
    }
    // even mid-flow: a later page never accepts a new target
    const ok = new Browser(h.app);
    await ok.open(start());
    await ok.open(`${ok.flowPath}?redirect_uri=https://evil.example`);
    await ok.post('return', { redirect_uri: 'https://evil.example' });
    expect(ok.location!.startsWith(`${CLIENT.redirect}?`)).toBe(true);
  });

  it('a repeated client_id or redirect_uri is refused without a redirect; another repeated parameter ends on an error page (RFC 6749 §3.1)', async () => {
    const base = start().replace(/^\/oauth\/authorize\?/, '');
    for (const extra of [`client_id=${OTHER.id}`, `redirect_uri=${encodeURIComponent(CLIENT.second)}`, `redirect_uri=${encodeURIComponent(CLIENT.redirect)}`]) {
      for (const url of [`/oauth/authorize?${base}&${extra}`, `/oauth/authorize?${extra}&${base}`]) {
        const b = new Browser(h.app);
        await b.open(url);
        expect(b.status, url).toBe(400);
        expect(b.location, url).toBeUndefined();
        expect(b.headers['set-cookie'], url).toBeUndefined();
        expect(b.html).toMatch(/repeats the parameter (client_id|redirect_uri)/);
      }
    }
    const b = new Browser(h.app);
    await b.open(`/oauth/authorize?${base}&scope=read_vin`);
    expect(b.status).toBe(400);
    expect(b.html).toContain('scope appears more than once');
    await b.post('exit');
    expect(b.result.get('error')).toBe('configuration_error');
  });

  it('denied consent → access_denied with state', async () => {
    const b = await connect(h, { make: 'TESLA', state: 'd1' }, { email: 'deny@x.test', decision: 'deny' });
    expect(b.result.get('error')).toBe('access_denied');
    expect(b.result.get('error_description')).toBe('User denied access to application.');
    expect(b.result.get('state')).toBe('d1');
    expect(b.result.get('code')).toBeNull();
    expect(await h.grants.ownerConnections('acct-TESLA-deny@x.test')).toEqual([]);
  });

  it('"Back to application" → user_manually_returned_to_application from any page', async () => {
    for (const steps of [0, 1, 2]) {
      const b = new Browser(h.app);
      await b.open(start({ make: undefined }));
      if (steps > 0) await b.post('continue');
      if (steps > 1) await b.post('brand', { make: 'BMW' });
      expect(b.html).toMatch(/id="back-to-app-button"/);
      await b.post('return');
      expect(b.result.get('error')).toBe('user_manually_returned_to_application');
      expect(b.result.get('state')).toBe('st');
    }
  });

  it('no_vehicles, invalid_subscription and vehicle_incompatible from the brand account', async () => {
    expect((await signIn(h, 'none@x.test')).result.get('error')).toBe('no_vehicles');
    const sub = await signIn(h, 'sub@x.test');
    expect(sub.result.get('error')).toBe('invalid_subscription');
    const inc = await signIn(h, 'incompat@x.test');
    expect(Object.fromEntries(inc.result)).toMatchObject({ error: 'vehicle_incompatible', make: 'TESLA', model: 'Old', year: '2009', vin: 'INCVIN00000000000', state: 'st' });
  });

  it('vehicle_incompatible with make/model/year/vin when no vehicle can meet a required permission', async () => {
    const b = await signIn(h, '2-cars@x.test', { scope: 'required:read_odometer required:read_location' });
    expect(b.html).toMatch(/id="approval-button"/); // v0 can
    const only = new Browser(h.app);
    await only.open(start({ scope: 'required:read_odometer', single_select: 'true', single_select_vin: 'VIN10000000000000' }));
    await only.post('continue');
    await only.post('login', { username: '2-cars@x.test', password: 'pw' });
    expect(Object.fromEntries(only.result)).toMatchObject({ error: 'vehicle_incompatible', make: 'TESLA', model: 'Basic', year: '2022', vin: 'VIN10000000000000' });
    expect(only.result.get('error_description')).toContain('read_odometer');
  });

  it('server_error when the brand sign-in fails unexpectedly', async () => {
    expect((await signIn(h, 'boom@x.test')).result.get('error')).toBe('server_error');
  });

  it('configuration_error (with status_code and error_message) when the owner exits an error page', async () => {
    for (const over of [{ scope: 'read_odometer read_everything' }, { mode: 'turbo' }, { response_type: undefined }, { single_select: 'maybe' }]) {
      const b = new Browser(h.app);
      await b.open(start(over));
      expect(b.status).toBe(400);
      expect(b.html).toMatch(/id="exit-button"/);
      await b.post('exit');
      expect(b.result.get('error')).toBe('configuration_error');
      expect(b.result.get('status_code')).toBe('400');
      expect(b.result.get('error_message')).toBeTruthy();
    }
    const vin = await signIn(h, '2-cars@x.test', { single_select: 'true', single_select_vin: 'NOTINACCOUNT00000' });
    expect(vin.status).toBe(404);
    await vin.post('exit');
    expect(vin.result.get('status_code')).toBe('404');
  });

  it('wrong password shows the login page again (401); five failures lock the account for 15 minutes (429)', async () => {
    const b = new Browser(h.app);
    await b.open(start());
    await b.post('continue');
    for (let i = 0; i < 5; i++) {
      await b.post('login', { username: 'victim@x.test', password: 'guess' });
      expect(b.status).toBe(401);
      expect(b.html).toContain('did not work');
    }
    const before = h.backend.signIns;
    await b.post('login', { username: 'victim@x.test', password: 'pw' });
    expect(b.status).toBe(429);
    expect(Number(b.headers['retry-after'])).toBe(900);
    expect(h.backend.signIns).toBe(before); // the brand is not even asked
    // a fresh flow for the same account is locked too
    const other = await signIn(h, 'victim@x.test');
    expect(other.status).toBe(429);
    h.clock.advance(15 * 60 * 1000);
    await b.post('login', { username: 'victim@x.test', password: 'pw' });
    expect(b.html).toMatch(/id="approval-button"/);
  });

  it('every form needs the CSRF token and the browser that started the flow', async () => {
    const b = new Browser(h.app);
    await b.open(start());
    const csrf = b.csrf;
    await b.post('continue', {}, { csrf: 'forged' });
    expect(b.status).toBe(403);
    await b.post('continue', {}, { csrf, cookie: '' });
    expect(b.status).toBe(403);
    const stranger = new Browser(h.app);
    await stranger.open(b.flowPath);
    expect(stranger.status).toBe(403);
    await b.open(b.flowPath);
    await b.post('continue');
    expect(b.html).toMatch(/id="sign-in-button"/);
  });

  it('out-of-order posts just show the current step; an unknown or expired flow shows an error page', async () => {
    const b = new Browser(h.app);
    await b.open(start());
    await b.post('consent', { decision: 'approve', vehicle: 'x' });
    expect(b.html).toMatch(/id="continue-button"/);
    const gone = new Browser(h.app);
    await gone.open('/connect/00000000-0000-4000-8000-000000000000');
    expect(gone.status).toBe(404);
    h.clock.advance(31 * 60 * 1000);
    await b.open(b.flowPath);
    expect(b.status).toBe(404);
    expect(b.html).toContain('expired');
  });

  it('anonymous re-authentication answers the same page whether the vehicle is connected, connected elsewhere or unknown', async () => {
    await connect(h, {}, { email: 'mine@x.test' });
    await connect(h, { client_id: OTHER.id, redirect_uri: OTHER.redirect }, { email: 'theirs@x.test' });
    const link = (vehicleId: string, extra = '') => `/oauth/reauthenticate?response_type=vehicle_id&client_id=${CLIENT.id}&vehicle_id=${encodeURIComponent(vehicleId)}&state=z${extra}`;
    const seen = async (url: string) => {
      const b = new Browser(h.app);
      await b.open(url);
      const page = b.html.replaceAll(b.flowPath, '/connect/F').replaceAll(b.csrf, 'C').replace(/nonce-[^']+'|nonce="[^"]+"/g, 'N');
      return { b, page: `${b.status} ${page}` };
    };
    for (const extra of ['', '&make=TESLA', '&make=FORD&mode=test']) {
      const pages = await Promise.all(['acct-TESLA-mine@x.test-v0', 'acct-TESLA-theirs@x.test-v0', 'acct-BMW-ghost@x.test-v0', 'no-such-vehicle']
        .map(async (id) => (await seen(link(id, extra))).page));
      expect(new Set(pages).size, extra).toBe(1);
      expect(pages[0]).not.toMatch(/not connected|Charge Planner<\/strong>.*Tesla account/);
    }
    // once signed in, an owner learns about their own vehicle only
    const stranger = (await seen(link('acct-TESLA-theirs@x.test-v0', '&make=TESLA'))).b;
    await stranger.post('login', { username: 'mine@x.test', password: 'pw' });
    expect(stranger.status).toBe(404);
    expect(stranger.html).toContain('is not in this Tesla account');
    expect(stranger.html).not.toContain('not connected');
    const owner = (await seen(link('acct-TESLA-theirs@x.test-v0', '&make=TESLA'))).b;
    await owner.post('login', { username: 'theirs@x.test', password: 'pw' });
    expect(owner.status).toBe(404);
    expect(owner.html).toContain('is not connected to Charge Planner');
    await owner.post('exit');
    expect(owner.result.get('error')).toBe('configuration_error');
    expect(owner.result.get('state')).toBe('z');
    // the link the API signed for this app tells at once
    const signed = new Browser(h.app);
    await signed.open(`${reauthenticateUrl('', SECRET_KEY, CLIENT.id, 'acct-TESLA-theirs@x.test-v0')}&state=y`);
    expect(signed.status).toBe(404);
    expect(signed.html).toContain('is not connected to Charge Planner');
    const forged = new Browser(h.app);
    await forged.open(`${link('acct-TESLA-theirs@x.test-v0')}&token=${'0'.repeat(64)}`);
    expect(forged.html).toContain('id="brand-search"');
  });

  it('a flow keeps only hashes of its CSRF token and browser secret; expired flows are removed', async () => {
    const b = new Browser(h.app);
    await b.open(start());
    const csrf = b.csrf;
    expect(csrf).toMatch(/^[0-9a-f]{64}$/);
    const binding = b.cookie.split('=')[1]!;
    const rows = await h.storage.db.selectFrom('oauth_flows').selectAll().execute();
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(csrf);
    expect(stored).not.toContain(binding);
    const row = rows.find((r) => b.flowPath.endsWith(r.id))!;
    expect(row.csrf_hash).toBe(sha256(csrf));
    // what storage holds does not pass as the token
    await b.post('continue', {}, { csrf: row.csrf_hash });
    expect(b.status).toBe(403);
    await b.open(b.flowPath);
    await b.post('continue');
    expect(b.html).toMatch(/id="sign-in-button"/);
    // abandoned: once expired, the next flow started removes it from storage
    h.clock.advance(31 * 60 * 1000);
    await new Browser(h.app).open(start());
    const left = await h.storage.db.selectFrom('oauth_flows').select(['id', 'expires_at']).execute();
    expect(left.map((r) => r.id)).not.toContain(row.id);
    expect(left.every((r) => Number(r.expires_at) > h.clock.now())).toBe(true);
  });
});

describe('Connect and the plan\'s connected-vehicle cap', () => {
  let h: Harness;
  const calls: number[][] = [];
  beforeAll(async () => {
    h = await harness(undefined, { metering: { assertVehicleCapacity: async (_app, now, adding) => {
      calls.push([now, adding]);
      if (now + adding > 2) throw new ApiError('BILLING:VEHICLE_LIMIT');
    } } });
  });
  afterAll(async () => h?.close());

  it('connects up to the cap, counts reconnected vehicles once, then shows an error page (Exit → configuration_error)', async () => {
    expect((await connect(h, { make: 'TESLA' }, { email: '2-cars@x.test' })).result.get('code')).toBeTruthy();
    expect((await connect(h, { make: 'TESLA', approval_prompt: 'force' }, { email: '2-cars@x.test' })).result.get('code')).toBeTruthy();
    expect(calls).toEqual([[0, 2], [2, 0]]);
    const b = await connect(h, { make: 'TESLA', state: 'cap' }, { email: '3-cars@x.test', vehicles: ['acct-TESLA-3-cars@x.test-v0', 'acct-TESLA-3-cars@x.test-v2'] });
    expect(b.status).toBe(430);
    await b.post('exit');
    expect(Object.fromEntries(b.result)).toMatchObject({ error: 'configuration_error', status_code: '430', state: 'cap' });
    expect(await h.grants.appVehicleIds(CLIENT.id)).toHaveLength(2);
  });
});
