import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, v3World, type V3App } from './fixture.js';

type W = Awaited<ReturnType<typeof v3World>>;
let w: W;
let appA: V3App;
let appB: V3App;
let carA: Awaited<ReturnType<W['connect']>>;
let carB: Awaited<ReturnType<W['connect']>>;

beforeAll(async () => {
  w = await v3World();
  appA = await w.makeApp('A');
  appB = await w.makeApp('B');
  carA = await w.connect(appA, 'owner-a@example.com');
  carB = await w.connect(appB, 'owner-b@example.com');
});
afterAll(async () => w?.close());

const token = (payload: unknown, headers: Record<string, string> = {}) => w.app.inject({ method: 'POST', url: '/oauth2/token', payload: payload as string, headers });
const keys = (o: object) => Object.keys(o).sort();

describe('POST /oauth2/token (client credentials)', () => {
  it('answers a JSON body with exactly access_token, token_type and expires_in 3600, no refresh token', async () => {
    const res = await token({ grant_type: 'client_credentials', client_id: appA.v3ClientId, client_secret: appA.v3Secret });
    expect(res.statusCode).toBe(200);
    expect(keys(res.json())).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(res.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(res.headers['cache-control']).toContain('no-store');
  });

  it('answers a form body the same way', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: appA.v3ClientId, client_secret: appA.v3Secret }).toString();
    const res = await token(form, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(200);
    expect(keys(res.json())).toEqual(['access_token', 'expires_in', 'token_type']);
  });

  it('accepts Basic client authentication', async () => {
    const basic = Buffer.from(`${appA.v3ClientId}:${appA.v3Secret}`).toString('base64');
    const res = await token({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    expect(res.statusCode).toBe(200);
  });

  it.each([
    ['no grant_type', { client_id: 'client_x', client_secret: 'y' }],
    ['another grant type', { grant_type: 'authorization_code', client_id: 'client_x', client_secret: 'y' }],
    ['no client_id', { grant_type: 'client_credentials', client_secret: 'y' }],
    ['no client_secret', { grant_type: 'client_credentials', client_id: 'client_x' }],
    ['a repeated field', 'grant_type=client_credentials&client_id=a&client_id=b&client_secret=c'],
    ['a non-string field', { grant_type: 'client_credentials', client_id: 1, client_secret: 'y' }],
  ])('refuses %s with 400 invalid_request', async (_name, payload) => {
    const res = typeof payload === 'string' ? await token(payload, { 'content-type': 'application/x-www-form-urlencoded' }) : await token(payload);
    expect(res.statusCode).toBe(400);
    expect(keys(res.json())).toEqual(['error', 'error_description']);
    expect(res.json().error).toBe('invalid_request');
  });

  it('refuses a wrong secret, an unknown client and the legacy credentials with 401 invalid_client', async () => {
    for (const [id, secret] of [[appA.v3ClientId, 'wrong'], ['client_00000000000000000000000000000000', 'x'], [appA.id, appA.legacySecret], [appA.v3ClientId, appB.v3Secret]] as const) {
      const res = await token({ grant_type: 'client_credentials', client_id: id, client_secret: secret });
      expect(res.statusCode).toBe(401);
      expect(keys(res.json())).toEqual(['error', 'error_description']);
      expect(res.json().error).toBe('invalid_client');
    }
  });
});

describe('application token on the v3 API', () => {
  it('reads GET /v3/vehicles/{id} without sc-user-id', async () => {
    const tok = await w.appToken(appA);
    const res = await w.app.inject({ url: `/v3/vehicles/${carA.vehicleId}`, headers: auth(tok) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: carA.vehicleId, type: 'vehicle' });
  });

  it('needs sc-user-id for signals: 400 VALIDATION MISSING_PARAMETER in the v3 error object', async () => {
    const tok = await w.appToken(appA);
    for (const path of ['signals', 'signals/odometer-traveleddistance']) {
      const res = await w.app.inject({ url: `/v3/vehicles/${carA.vehicleId}/${path}`, headers: auth(tok) });
      expect(res.statusCode).toBe(400);
      expect(keys(res.json())).toEqual(['code', 'description', 'docURL', 'errors', 'resolution', 'suggestedUserMessage', 'type']);
      expect(res.json().errors[0]).toMatchObject({ status: '400', type: 'VALIDATION', code: 'MISSING_PARAMETER' });
    }
    const ok = await w.app.inject({ url: `/v3/vehicles/${carA.vehicleId}/signals/odometer-traveleddistance`, headers: auth(tok, carA.userId) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().attributes.code).toBe('odometer-traveleddistance');
  });

  it('a user who is not connected to that vehicle gets 404', async () => {
    const tok = await w.appToken(appA);
    const res = await w.app.inject({ url: `/v3/vehicles/${carA.vehicleId}/signals`, headers: auth(tok, carB.userId) });
    expect(res.statusCode).toBe(404);
    expect(res.json().errors[0]).toMatchObject({ type: 'RESOURCE_NOT_FOUND' });
  });

  it('never reaches another app\'s vehicle', async () => {
    const tok = await w.appToken(appA);
    for (const url of [`/v3/vehicles/${carB.vehicleId}`, `/v3/vehicles/${carB.vehicleId}/signals`]) {
      const res = await w.app.inject({ url, headers: auth(tok, carB.userId) });
      expect(res.statusCode).toBe(404);
    }
  });

  it('is not a v2.0 access token', async () => {
    const tok = await w.appToken(appA);
    const res = await w.app.inject({ url: `/v2.0/vehicles/${carA.vehicleId}/odometer`, headers: auth(tok) });
    expect(res.statusCode).toBe(401);
    expect(res.json().type).toBe('AUTHENTICATION');
  });

  it('an owner access token (the Node SDK) needs no sc-user-id, and a different sc-user-id is refused', async () => {
    const res = await w.app.inject({ url: `/v3/vehicles/${carA.vehicleId}/signals/odometer-traveleddistance`, headers: auth(carA.userToken) });
    expect(res.statusCode).toBe(200);
    const other = await w.app.inject({ url: `/v3/vehicles/${carA.vehicleId}/signals/odometer-traveleddistance`, headers: auth(carA.userToken, carB.userId) });
    expect(other.statusCode).toBe(404);
  });

  it('expires after 3600 s', async () => {
    const tok = await w.appToken(appA);
    w.clock.advance(3600_000 + 1000);
    const res = await w.app.inject({ url: `/v3/vehicles/${carA.vehicleId}`, headers: auth(tok) });
    expect(res.statusCode).toBe(401);
    expect(res.json().errors[0]).toMatchObject({ type: 'AUTHENTICATION' });
  });
});
