import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../storage/src/testing.js';
import { Browser, CLIENT, OTHER, authorizeUrl, connect, harness, token, type Harness } from './harness.js';

async function code(h: Harness, params: Record<string, string | undefined> = {}, email = 'owner@x.test'): Promise<string> {
  const b = await connect(h, { make: 'TESLA', approval_prompt: 'force', ...params }, { email });
  const c = b.result.get('code');
  if (!c) throw new Error(`no code: ${b.location}`);
  return c;
}

for (const engine of testEngines(process.env)) {
describe.skipIf(!engine.url)(`POST /oauth/token [${engine.name}]`, () => {
  let h: Harness;
  beforeAll(async () => { h = await harness(engine); });
  afterAll(async () => h?.close());

  it('exchanges a code (Basic credentials) for exactly access_token, token_type, expires_in, refresh_token', async () => {
    const r = await token(h, { code: await code(h), grant_type: 'authorization_code', redirect_uri: CLIENT.redirect });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: 7200 });
    expect(r.headers['cache-control']).toBe('no-store');
    const ctx = await h.grants.verifyAccessToken(String(r.body.access_token));
    expect(ctx).toMatchObject({ appId: CLIENT.id, userId: 'acct-TESLA-owner@x.test', vehicleIds: ['acct-TESLA-owner@x.test-v0'] });
    expect([...ctx!.permissions]).toEqual(['read_odometer', 'read_vin']);
  });

  it('accepts client credentials in the form body, and the trailing-slash path', async () => {
    const c = await code(h);
    const res = await h.app.inject({ method: 'POST', url: '/oauth/token/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect, client_id: CLIENT.id, client_secret: CLIENT.secret }).toString() });
    expect(res.statusCode).toBe(200);
  });

  it('answers malformed JSON and unsupported content types with 400 invalid_request, never the v2 API error body', async () => {
    const auth = { authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}` };
    const broken = await h.app.inject({ method: 'POST', url: '/oauth/token', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"grant_type": ' });
    const xml = await h.app.inject({ method: 'POST', url: '/oauth/token', headers: { ...auth, 'content-type': 'application/xml' }, payload: '<grant_type/>' });
    for (const res of [broken, xml]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('answers an unexpected failure with 500 server_error', async () => {
    const broken = await harness(engine);
    await broken.storage.db.destroy();
    const res = await token(broken, { grant_type: 'authorization_code', code: 'x', redirect_uri: CLIENT.redirect });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'server_error', error_description: expect.any(String) });
    await broken.close().catch(() => undefined);
  });

  it('rejects a wrong client secret, an unknown client and missing credentials with 401 invalid_client', async () => {
    const c = await code(h);
    const wrong = await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect }, { id: CLIENT.id, secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic/);
    expect((await token(h, { grant_type: 'authorization_code', code: c }, { id: 'ghost', secret: 'x' })).status).toBe(401);
    expect((await token(h, { grant_type: 'authorization_code', code: c }, null)).body.error).toBe('invalid_client');
    // the code survived the failed attempts
    expect((await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect })).status).toBe(200);
  });

  it('refuses an expired code (10 minutes)', async () => {
    const c = await code(h);
    h.clock.advance(10 * 60 * 1000);
    const r = await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_grant');
    expect(r.body.error_description).toMatch(/expired/);
  });

  it('a replayed code fails and revokes every token issued from it', async () => {
    const c = await code(h);
    const first = await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect });
    const refreshed = await token(h, { grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) });
    expect(refreshed.status).toBe(200);
    // Cached verifications must be dropped by the revocation (GrantService.invalidate), not wait for the cache TTL.
    expect(await h.grants.verifyAccessToken(String(refreshed.body.access_token))).toBeDefined();
    const replay = await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect(await h.grants.verifyAccessToken(String(first.body.access_token))).toBeUndefined();
    expect(await h.grants.verifyAccessToken(String(refreshed.body.access_token))).toBeUndefined();
    expect((await token(h, { grant_type: 'refresh_token', refresh_token: String(refreshed.body.refresh_token) })).body.error).toBe('invalid_grant');
  });

  it('a code is bound to its client: another app cannot redeem it (and it stays usable)', async () => {
    const c = await code(h);
    const foreign = await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: OTHER.redirect }, { id: OTHER.id, secret: OTHER.secret });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toBe('invalid_grant');
    expect((await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect })).status).toBe(200);
    expect((await token(h, { grant_type: 'authorization_code', code: 'made-up-code' })).body.error).toBe('invalid_grant');
  });

  it('a code is bound to its redirect URI; "undefined" counts as absent when Connect used the default', async () => {
    const c = await code(h, { redirect_uri: CLIENT.second });
    expect((await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect })).body.error).toBe('invalid_grant');
    expect((await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: 'undefined' })).body.error).toBe('invalid_grant');
    expect((await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.second })).status).toBe(200);
    const d = await code(h, { redirect_uri: undefined });
    expect((await token(h, { code: d, grant_type: 'authorization_code', redirect_uri: 'undefined' })).status).toBe(200);
    const e = await code(h, { redirect_uri: undefined });
    expect((await token(h, { code: e, grant_type: 'authorization_code', redirect_uri: CLIENT.second })).body.error).toBe('invalid_grant');
  });

  it('rotates refresh tokens; the previous one works during the grace period, then its reuse revokes the family', async () => {
    const first = await token(h, { grant_type: 'authorization_code', code: await code(h), redirect_uri: CLIENT.redirect });
    const r1 = String(first.body.refresh_token);
    const second = await token(h, { grant_type: 'refresh_token', refresh_token: r1 });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(r1);
    expect(second.body.access_token).not.toBe(first.body.access_token);
    h.clock.advance(59_000);
    const retry = await token(h, { grant_type: 'refresh_token', refresh_token: r1 });
    expect(retry.status).toBe(200);
    // old access tokens stay valid until their own expiry
    expect(await h.grants.verifyAccessToken(String(first.body.access_token))).toBeDefined();
    h.clock.advance(2_000);
    const late = await token(h, { grant_type: 'refresh_token', refresh_token: r1 });
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
    for (const t of [first, second, retry]) expect(await h.grants.verifyAccessToken(String(t.body.access_token))).toBeUndefined();
    expect((await token(h, { grant_type: 'refresh_token', refresh_token: String(second.body.refresh_token) })).body.error).toBe('invalid_grant');
  });

  it('refresh tokens expire after 60 days and belong to their client', async () => {
    const first = await token(h, { grant_type: 'authorization_code', code: await code(h), redirect_uri: CLIENT.redirect });
    const other = await token(h, { grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) }, { id: OTHER.id, secret: OTHER.secret });
    expect(other.body.error).toBe('invalid_grant');
    expect((await token(h, { grant_type: 'refresh_token', refresh_token: String(first.body.access_token) })).body.error).toBe('invalid_grant');
    h.clock.advance(60 * 24 * 3600 * 1000);
    expect((await token(h, { grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) })).body.error).toBe('invalid_grant');
  });

  it('enforces PKCE S256 when the authorize request carried a code_challenge', async () => {
    const verifier = 'v'.repeat(20) + '-._~' + 'A1'.repeat(12);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const c = await code(h, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect((await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect })).body.error).toBe('invalid_grant');
    const bad = await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect, code_verifier: 'w'.repeat(43) });
    expect(bad.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/code_verifier/) });
    expect((await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect, code_verifier: verifier })).status).toBe(200);
    // plain is refused at authorize time (error page, then configuration_error on Exit)
    const b = new Browser(h.app);
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'read_vin', code_challenge: challenge, code_challenge_method: 'plain', state: 'p' }));
    expect(b.html).toContain('S256');
    await b.post('exit');
    expect(b.result.get('error')).toBe('configuration_error');
  });

  it('refuses a code_verifier for a code issued without a code_challenge (no PKCE downgrade), and the code stays usable', async () => {
    const c = await code(h);
    const downgraded = await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect, code_verifier: 'v'.repeat(43) });
    expect(downgraded.status).toBe(400);
    expect(downgraded.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/code_challenge/) });
    expect((await token(h, { grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect })).status).toBe(200);
  });

  it('answers invalid_request / unsupported_grant_type for malformed requests', async () => {
    expect((await token(h, {})).body.error).toBe('invalid_request');
    const u = await token(h, { grant_type: 'password', username: 'a', password: 'b' });
    expect(u.status).toBe(400);
    expect(u.body.error).toBe('unsupported_grant_type');
    expect((await token(h, { grant_type: 'authorization_code' })).body.error).toBe('invalid_request');
    expect((await token(h, { grant_type: 'refresh_token' })).body.error).toBe('invalid_request');
  });

  it('disconnecting every vehicle of a grant ends its tokens', async () => {
    const t = await token(h, { grant_type: 'authorization_code', code: await code(h, {}, 'gone@x.test'), redirect_uri: CLIENT.redirect });
    await h.grants.deleteConnections(CLIENT.id, { userId: 'acct-TESLA-gone@x.test' });
    expect(await h.grants.verifyAccessToken(String(t.body.access_token))).toBeUndefined();
    expect((await token(h, { grant_type: 'refresh_token', refresh_token: String(t.body.refresh_token) })).body.error).toBe('invalid_grant');
  });
});
  if (!engine.url) it.skip(`POST /oauth/token on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
}
