import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectForTest } from '@opencar/oauth';
import { VEHICLE_ROUTES, type VehicleRoute } from '../src/index.js';
import { testApp } from '../../../apps/server/test/helpers.js';
import { provision } from '../../../apps/server/src/provision.js';
import { expectShape } from './shape.js';

/**
 * The route-table sweep on the real platform (simulator backend, grants, metering, webhooks):
 * every route either answers its documented shape or, for what the simulated Ford plug-in hybrid
 * cannot do in its current state, a catalogue error — never a 500.
 */
type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
let token: string;
let narrow: string;
let vehicleId: string;
let foreignVehicle: string;

const BODIES: Record<string, unknown> = {
  chargeControl: { action: 'START' }, setChargeLimit: { limit: 0.8 }, lockControl: { action: 'LOCK' },
  sendDestination: { latitude: 48.1, longitude: 11.5 },
};
/** Outcomes that depend on the simulated vehicle's state, not on the API. */
const STATE_DEPENDENT: Record<string, string[]> = { chargeControl: ['VEHICLE_STATE:CHARGING_PLUG_NOT_CONNECTED', 'VEHICLE_STATE:CHARGING_IN_PROGRESS', 'VEHICLE_STATE:FULLY_CHARGED'] };

beforeAll(async () => {
  t = await testApp({
    OPENCAR_SEED_CLIENT_ID: 'app-sweep', OPENCAR_SEED_CLIENT_SECRET: 'sweep-secret-0123456789',
    OPENCAR_SEED_REDIRECT_URIS: 'https://app.example/cb', OPENCAR_SEED_AMT: 'sweep-amt-0123456789',
  });
  await provision(t.platform.config, t.platform.storage, t.clock, t.platform.secretKey, t.platform.log);
  const appId = 'app-sweep';
  const sign = async (make: string, email: string) => {
    const r = await t.platform.backend.signIn({ make, email, password: 'x', mode: 'simulated', country: 'US' });
    if (!r.ok) throw new Error('sign-in failed');
    return r;
  };
  const mine = await sign('FORD', '1FMCU0EZ5LUA00001@phev.smartcar.com');
  const theirs = await sign('FORD', 'someone@example.com');
  vehicleId = mine.vehicles[0]!.vehicleId;
  foreignVehicle = theirs.vehicles[0]!.vehicleId;
  const all = [...new Set(VEHICLE_ROUTES.flatMap((r) => (r.permission ? [r.permission] : [])))];
  token = (await connectForTest(t.platform.storage, t.clock, { appId, userId: mine.accountId, vehicleIds: [vehicleId], permissions: all, mode: 'simulated' })).access_token;
  narrow = (await connectForTest(t.platform.storage, t.clock, { appId, userId: mine.accountId, vehicleIds: [vehicleId], permissions: [], mode: 'simulated' })).access_token;
});
afterAll(async () => t?.close());

const req = (r: VehicleRoute, auth: string | undefined, vehicle: string) => ({
  method: r.method, url: `/v2.0/vehicles/${vehicle}${r.path.replace(':webhookId', 'no-such-webhook')}`,
  headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
  payload: BODIES[r.name] !== undefined ? JSON.stringify(BODIES[r.name]) : undefined,
});

describe('route-table sweep on the real platform', () => {
  // Disconnect last: it ends the grant the other rows use.
  const ordered = [...VEHICLE_ROUTES].sort((a, b) => Number(a.name === 'disconnect') - Number(b.name === 'disconnect'));
  for (const route of ordered) {
    it(`${route.method} /vehicles/{id}${route.path}`, async () => {
      const anon = await t.app.inject(req(route, undefined, vehicleId));
      expect(anon.json()).toMatchObject({ type: 'AUTHENTICATION', statusCode: 401 });
      if (route.permission) expect((await t.app.inject(req(route, narrow, vehicleId))).json()).toMatchObject({ type: 'PERMISSION', statusCode: 403 });
      expect((await t.app.inject(req(route, token, foreignVehicle))).json()).toMatchObject({ type: 'RESOURCE_NOT_FOUND', statusCode: 404 });
      const res = await t.app.inject(req(route, token, vehicleId));
      const body = res.json();
      if (route.name === 'subscribe') {
        expect(body).toMatchObject({ type: 'VALIDATION', statusCode: 400 }); // unknown webhook id
      } else if (res.statusCode === 200) {
        expectShape((route.schema.response as Record<string, unknown>)[200], body);
        expect(res.headers['sc-request-id']).toHaveLength(36);
      } else {
        expect(STATE_DEPENDENT[route.name] ?? [], `${res.statusCode} ${res.body}`).toContain(`${body.type}:${body.code}`);
      }
    });
  }

  it('every authenticated call above is in the request ledger, billed only when it succeeded', async () => {
    const rows = await t.platform.storage.db.selectFrom('ledger').selectAll().where('app_id', '=', 'app-sweep').execute();
    // Per route: the successful call, the foreign-vehicle call and (when the route needs one) the missing-permission
    // call; anonymous calls have no app to bill.
    expect(rows).toHaveLength(VEHICLE_ROUTES.reduce((n, r) => n + (r.permission ? 3 : 2), 0));
    for (const r of rows) {
      if (Number(r.status) >= 400) expect(Number(r.units)).toBe(0);
    }
    const odometer = rows.filter((r) => r.endpoint === 'GET /v2.0/vehicles/:id/odometer' && Number(r.status) === 200);
    expect(odometer.map((r) => Number(r.units))).toEqual([1]);
  });
});
