import { createPrivateKey, createPublicKey } from 'node:crypto';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TeslaBackend, publicKeyHex, teslaScopes, teslaSelfTest } from '../../../src/index.js';
import { PROXY_CA_FILE } from './emulator/server.js';
import { REDIRECT, SECRET, teslaHarness, teslaLogin, type TeslaHarness } from './harness.js';

/** Tesla sign-in, the key pair, partner registration and the start-up self-test. */
let h: TeslaHarness;
afterEach(async () => { await h?.close(); });

describe('Tesla sign-in', () => {
  it('the authorize URL: code flow with PKCE S256, opencar\'s callback, and the scopes of the permissions asked', async () => {
    h = await teslaHarness();
    const { url } = h.backend.beginSignIn({ permissions: ['read_odometer', 'read_location', 'control_charge'], state: 'abc' });
    const u = new URL(url);
    expect(`${u.origin}${u.pathname}`).toBe(`${h.emu.urls.auth}/oauth2/v3/authorize`);
    expect(Object.fromEntries(u.searchParams)).toMatchObject({ response_type: 'code', client_id: 'emulated-client', redirect_uri: REDIRECT, state: 'abc', code_challenge_method: 'S256' });
    expect(u.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(u.searchParams.get('scope')!.split(' ').sort()).toEqual(['offline_access', 'openid', 'vehicle_charging_cmds', 'vehicle_device_data', 'vehicle_location']);
    expect(teslaScopes(['read_odometer'])).not.toContain('vehicle_cmds');
    expect(teslaScopes(['control_security'])).toContain('vehicle_cmds');
  });

  it('exchanges the code (confidential app) and lists the account\'s vehicles with stable ids', async () => {
    h = await teslaHarness();
    const a = await h.connect();
    const b = await h.connect('app-2');
    if (!a.ok || !b.ok) throw new Error('sign-in failed');
    expect(a.vehicles).toEqual([expect.objectContaining({ vin: h.car.vin, make: 'TESLA', model: 'Model 3', year: 2019, powertrain: 'BEV', mode: 'live' })]);
    expect(b.accountId).toBe(a.accountId);
    expect(b.vehicles[0]!.vehicleId).toBe(a.vehicles[0]!.vehicleId);
    expect((await h.backend.repo.tokenApps(a.accountId)).sort()).toEqual(['app-1', 'app-2']);
  });

  it('Tesla\'s tokens are sealed at rest: no column holds the access or refresh token Tesla issued', async () => {
    h = await teslaHarness();
    const r = await h.connect();
    if (!r.ok) throw new Error('sign-in failed');
    const rows = await h.storage.db.selectFrom('oem_tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    const issued = [...h.emu.state.tokens.keys()];
    const refresh = [...(h.emu.state as unknown as { refresh: Map<string, unknown> }).refresh.keys()];
    expect(issued.length).toBeGreaterThan(0);
    expect(refresh).toHaveLength(1);
    for (const t of [...issued, ...refresh]) {
      expect(stored).not.toContain(t);
      // Nor any recognisable part of it (the JWT's payload, the refresh token's random tail).
      expect(stored).not.toContain(t.split('.')[1] ?? t.slice(3, 40));
    }
    // The sealed pair still opens to the tokens Tesla issued.
    const session = await h.backend.tokens.session(r.accountId, 'app-1');
    expect(issued).toContain(session.accessToken);
  });

  it('a public app (no client secret) signs in with PKCE alone', async () => {
    h = await teslaHarness({ config: { clientSecret: undefined } });
    h.emu.state.clients.get('emulated-client')!.secret = null;
    expect((await h.connect()).ok).toBe(true);
  });

  it('a wrong PKCE verifier is refused by Tesla and Connect gets a server_error to show', async () => {
    h = await teslaHarness();
    const { url } = h.backend.beginSignIn({ permissions: ['read_odometer'], state: 's' });
    const back = await teslaLogin(url, h.owner.email, h.owner.password);
    const r = await h.backend.completeSignIn({ appId: 'app-1', code: back.searchParams.get('code')!, verifier: 'not-the-verifier-not-the-verifier-000000' });
    expect(r).toMatchObject({ ok: false, reason: 'connect_error', error: 'server_error' });
  });

  it('the code is single-use', async () => {
    h = await teslaHarness();
    const { url, verifier } = h.backend.beginSignIn({ permissions: ['read_odometer'], state: 's' });
    const code = (await teslaLogin(url, h.owner.email, h.owner.password)).searchParams.get('code')!;
    expect((await h.backend.completeSignIn({ appId: 'app-1', code, verifier })).ok).toBe(true);
    expect((await h.backend.completeSignIn({ appId: 'app-1', code, verifier })).ok).toBe(false);
  });

  it('revoking one app deletes its Tesla tokens only', async () => {
    h = await teslaHarness();
    const a = await h.connect('app-1');
    await h.connect('app-2');
    if (!a.ok) throw new Error('sign-in failed');
    await h.backend.forgetAccess('app-1', a.accountId);
    expect(await h.backend.repo.tokenApps(a.accountId)).toEqual(['app-2']);
    await h.backend.forgetAccess('app-2');
    expect(await h.backend.repo.tokenApps(a.accountId)).toEqual([]);
  });

  it('without an app, the sign-in only identifies the owner: no tokens are kept', async () => {
    h = await teslaHarness();
    const { url, verifier } = h.backend.oauth.begin({ permissions: [], state: 's' });
    const code = (await teslaLogin(url, h.owner.email, h.owner.password)).searchParams.get('code')!;
    const r = await h.backend.oauth.complete({ code, verifier });
    if (!r.ok) throw new Error('sign-in failed');
    expect(r.vehicles.map((v) => v.vin)).toEqual([h.car.vin]);
    expect(await h.backend.repo.tokenApps(r.accountId)).toEqual([]);
  });
});

describe('key pair and partner registration', () => {
  it('generates an EC secp256r1 key pair once; the private key is sealed at rest and exports as SEC1 PEM for the proxy', async () => {
    h = await teslaHarness();
    const pub = (await h.backend.keys.publicPem())!;
    expect(pub).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(createPublicKey(pub).asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect((await h.backend.keys.generate()).created).toBe(false);
    const priv = (await h.backend.keys.privatePem())!;
    expect(priv).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    expect(createPublicKey(createPrivateKey(priv)).export({ type: 'spki', format: 'pem' })).toBe(pub);
    expect((await h.backend.repo.key('tesla'))!.private_sealed).not.toContain('PRIVATE KEY');
    const again = await h.backend.keys.generate({ force: true });
    expect(again.created).toBe(true);
    expect(again.publicPem).not.toBe(pub);
  });

  it('registers the partner account in a region: Tesla fetches the served key and holds the same one', async () => {
    h = await teslaHarness();
    h.emu.state.registrations.clear();
    const r = await h.backend.registerPartner('eu');
    expect(r).toEqual({ region: 'eu', domain: 'opencar.test', keyMatches: true });
    expect(h.emu.state.registrations.get('emulated-client|eu')!.publicKey).toBe(publicKeyHex((await h.backend.keys.publicPem())!));
    expect((await h.backend.repo.registeredRegions('tesla')).map((x) => x.region)).toEqual(['eu']);
    expect(h.emu.state.callsTo(/oauth2\/v3\/token$/).length).toBe(1);
  });

  it('registration without a key pair, or for a public app, says what is missing', async () => {
    h = await teslaHarness();
    await h.storage.db.deleteFrom('oem_keys').execute();
    await expect(h.backend.registerPartner('na')).rejects.toThrow(/key pair first/);
    const pub = new TeslaBackend({ config: h.emu.config({ clientSecret: undefined }), storage: h.storage, clock: h.clock, secretKey: SECRET, redirectUri: REDIRECT });
    await pub.keys.generate();
    try { await expect(pub.registerPartner('na')).rejects.toThrow(/CLIENT_SECRET/); } finally { await pub.close(); }
  });
});

describe('start-up self-test', () => {
  const byCheck = (c: { check: string; status: string }[]) => Object.fromEntries(c.map((x) => [x.check, x.status]));

  it('names what is missing without calling Tesla', async () => {
    h = await teslaHarness();
    const calls = h.emu.state.calls.length;
    let r = byCheck(await h.backend.selfTest('https://opencar.test'));
    // The emulated regions are plain http on 127.0.0.1, which the self-test flags.
    expect(r).toMatchObject({ credentials: 'ok', 'key pair': 'ok', 'command proxy': 'ok', 'proxy CA': 'ok', 'region na': 'warn', 'partner registration': 'warn' });
    await h.backend.registerPartner('na');
    await h.backend.registerPartner('eu');
    expect(h.emu.state.calls.filter((c) => c.server !== 'auth' && !/partner_accounts/.test(c.path)).length).toBe(calls);
    r = byCheck(await h.backend.selfTest('http://127.0.0.1:3000'));
    expect(r['public URL']).toBe('warn');
    expect(r.domain).toBe('warn');
    await h.storage.db.deleteFrom('oem_keys').execute();
    expect(byCheck(await h.backend.selfTest('https://opencar.test'))['key pair']).toBe('fail');
  });

  it('commands without a proxy, and an unreadable CA file', async () => {
    h = await teslaHarness();
    const dir = mkdtempSync(join(tmpdir(), 'tesla-ca-'));
    writeFileSync(join(dir, 'bad.pem'), 'not a certificate');
    const noProxy = await teslaSelfTest({ config: h.emu.config({ commandProxy: undefined }), repo: h.backend.repo, publicUrl: 'https://opencar.test' });
    expect(byCheck(noProxy)['command proxy']).toBe('warn');
    const badCa = await teslaSelfTest({ config: h.emu.config({ commandProxy: { url: h.emu.urls.proxy, caFile: join(dir, 'bad.pem') } }), repo: h.backend.repo, publicUrl: 'https://opencar.test' });
    expect(byCheck(badCa)['proxy CA']).toBe('fail');
    const ok = await teslaSelfTest({ config: h.emu.config({ commandProxy: { url: h.emu.urls.proxy, caFile: PROXY_CA_FILE } }), repo: h.backend.repo, publicUrl: 'https://opencar.test' });
    expect(byCheck(ok)['proxy CA']).toBe('ok');
    expect(await teslaSelfTest({ config: undefined, repo: h.backend.repo, publicUrl: 'https://x' })).toEqual([expect.objectContaining({ status: 'warn' })]);
  });
});
