import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { CredentialThrottle, ManualClock, MemoryFailureLog, sha256 } from '@opencar/core';
import { installErrorHandler } from '../../../apps/server/src/plugins/error-handler.js';
import { BRANDS, makeVin, simulatorApi } from '../src/index.js';
import { memorySim } from './helpers.js';

async function setup(opts: { withLive?: boolean } = {}) {
  const env = memorySim();
  const r = await env.backend.signIn({ make: 'TESLA', email: '2-vehicles@example.com', password: 'x', mode: 'simulated', country: 'US' });
  if (!r.ok) throw new Error('sign-in');
  const other = await env.backend.signIn({ make: 'FORD', email: 'other@example.com', password: 'x', mode: 'simulated', country: 'US' });
  // A real vehicle connected in live mode: the simulator does not hold it.
  const liveId = '3f1d2c4b-0000-4000-8000-00000000live';
  const app = Fastify();
  installErrorHandler(app, 'http://opencar.test');
  await app.register(simulatorApi({
    simulator: env.backend,
    accounts: { getApp: async (id) => (id === 'app1' ? { id, clientSecretHash: sha256('s3cret') } : undefined) },
    throttle: new CredentialThrottle(new MemoryFailureLog(), new ManualClock(0)),
    vehicleIdsOfApp: async (appId) => (appId === 'app1' ? [...r.vehicles.map((v) => v.vehicleId), ...(opts.withLive ? [liveId] : [])] : []),
  }));
  const auth = `Basic ${Buffer.from('app1:s3cret').toString('base64')}`;
  return { ...env, app, auth, ids: r.vehicles.map((v) => v.vehicleId), otherId: other.ok ? other.vehicles[0]!.vehicleId : '', liveId };
}

describe('simulator control API', () => {
  it('needs the app\'s client credentials', async () => {
    const { app } = await setup();
    const res = await app.inject({ method: 'GET', url: '/simulator/vehicles', headers: { authorization: `Basic ${Buffer.from('app1:wrong').toString('base64')}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ type: 'AUTHENTICATION' });
  });

  it('reads form-encoded client credentials the way the token endpoint does (RFC 6749 §2.3.1)', async () => {
    const { app } = await setup();
    const res = await app.inject({ method: 'GET', url: '/simulator/vehicles', headers: { authorization: `Basic ${Buffer.from('app1:s3cr%65t').toString('base64')}` } });
    expect(res.statusCode).toBe(200);
  });

  it('lists only the app\'s vehicles; others are 404', async () => {
    const { app, auth, ids, otherId } = await setup();
    const res = await app.inject({ method: 'GET', url: '/simulator/vehicles', headers: { authorization: auth } });
    expect(res.statusCode).toBe(200);
    expect(res.json().vehicles.map((v: { vehicleId: string }) => v.vehicleId)).toEqual(ids);
    const other = await app.inject({ method: 'GET', url: `/simulator/vehicles/${otherId}`, headers: { authorization: auth } });
    expect(other.statusCode).toBe(404);
  });

  it('a vehicle connected in live mode cannot be seen or controlled, not even by the fleet clock', async () => {
    const { app, auth, ids, liveId, backend } = await setup({ withLive: true });
    const list = await app.inject({ method: 'GET', url: '/simulator/vehicles', headers: { authorization: auth } });
    expect(list.json().vehicles.map((v: { vehicleId: string }) => v.vehicleId)).toEqual(ids);
    const patch = await app.inject({ method: 'PATCH', url: `/simulator/vehicles/${liveId}/state`, headers: { authorization: auth }, payload: { soc: 0.1 } });
    expect(patch.statusCode).toBe(404);
    const fleet = await app.inject({ method: 'POST', url: '/simulator/clock', headers: { authorization: auth }, payload: { action: 'pause' } });
    expect(fleet.statusCode).toBe(200);
    expect(fleet.json().vehicles).toHaveLength(ids.length);
    expect(await backend.sim.engine.get(liveId)).toBeUndefined();
  });

  it('plug in, advance 8 h: charging completes with its events; faults; trips; validation', async () => {
    const { app, auth, ids } = await setup();
    const id = ids[0]!;
    const plug = await app.inject({ method: 'PATCH', url: `/simulator/vehicles/${id}/state`, headers: { authorization: auth }, payload: { soc: 0.3, pluggedIn: true } });
    expect(plug.statusCode).toBe(200);
    expect(plug.json().events.map((e: { eventType: string }) => e.eventType)).toEqual(['CHARGING_STARTED']);
    const adv = await app.inject({ method: 'POST', url: `/simulator/vehicles/${id}/clock`, headers: { authorization: auth }, payload: { action: 'advance', hours: 12 } });
    expect(adv.json().events.map((e: { eventType: string }) => e.eventType)).toEqual(['CHARGING_COMPLETED']);
    expect(adv.json().view.state.chargeState).toBe('FULLY_CHARGED');
    const fault = await app.inject({ method: 'POST', url: `/simulator/vehicles/${id}/faults`, headers: { authorization: auth }, payload: { error: 'VEHICLE_STATE:ASLEEP', count: 3 } });
    expect(fault.json().view.fault).toEqual({ error: 'VEHICLE_STATE:ASLEEP', remaining: 3 });
    const badFault = await app.inject({ method: 'POST', url: `/simulator/vehicles/${id}/faults`, headers: { authorization: auth }, payload: { error: 'BILLING:INVALID_PLAN' } });
    expect(badFault.statusCode).toBe(400);
    const trip = await app.inject({ method: 'POST', url: `/simulator/vehicles/${id}/trip`, headers: { authorization: auth }, payload: { route: [[37.8, -122.3]], speedKmh: 60 } });
    expect(trip.statusCode).toBe(200);
    expect(trip.json().view.state.driving).toBe(true);
    const bad = await app.inject({ method: 'PATCH', url: `/simulator/vehicles/${id}/state`, headers: { authorization: auth }, payload: { soc: 2 } });
    expect(bad.statusCode).toBe(400);
    const fleet = await app.inject({ method: 'POST', url: '/simulator/clock', headers: { authorization: auth }, payload: { action: 'pause' } });
    expect(fleet.json().vehicles.every((v: { clock: { paused: boolean } }) => v.clock.paused)).toBe(true);
  });

  it('adds a vehicle to order (make, model, year, powertrain, region); a VIN sign-in in its mode gets exactly that car', async () => {
    const { app, auth, backend } = await setup();
    const res = await app.inject({ method: 'POST', url: '/simulator/vehicles', headers: { authorization: auth }, payload: { make: 'KIA', model: 'EV6', year: 2023, region: 'EUROPE' } });
    expect(res.statusCode).toBe(201);
    const added = res.json();
    expect(added).toMatchObject({ make: 'KIA', brandName: 'Kia', model: 'EV6', year: 2023, powertrain: 'BEV', region: 'EUROPE', mode: 'simulated', country: 'DE' });
    expect(added.email).toBe(`${added.vin}@bev.smartcar.com`);
    const signed = await backend.signIn({ make: 'KIA', email: added.email, password: 'any', mode: 'simulated', country: 'DE', appId: 'app1' });
    expect(signed.ok && signed.vehicles).toEqual([expect.objectContaining({ vehicleId: added.vehicleId, vin: added.vin, model: 'EV6', year: 2023, powertrain: 'BEV' })]);
    const byPowertrain = await app.inject({ method: 'POST', url: '/simulator/vehicles', headers: { authorization: auth }, payload: { make: 'KIA', powertrain: 'PHEV' } });
    expect(byPowertrain.json()).toMatchObject({ model: 'Sorento Plug-in Hybrid', powertrain: 'PHEV', mode: 'simulated', region: 'US' });
    const none = await app.inject({ method: 'POST', url: '/simulator/vehicles', headers: { authorization: auth }, payload: { make: 'KIA', model: 'EV6', year: 2019 } });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ type: 'VALIDATION', code: 'PARAMETER', description: 'There is no Kia EV6 of model year 2019 for the US market.' });
    const unknown = await app.inject({ method: 'POST', url: '/simulator/vehicles', headers: { authorization: auth }, payload: { make: 'TRABANT' } });
    expect(unknown.json()).toMatchObject({ code: 'PARAMETER', description: 'Unknown brand TRABANT.' });
    const bad = await app.inject({ method: 'POST', url: '/simulator/vehicles', headers: { authorization: auth }, payload: { make: 'KIA', region: 'MARS' } });
    expect(bad.statusCode).toBe(400);
    const anon = await app.inject({ method: 'POST', url: '/simulator/vehicles', payload: { make: 'KIA' } });
    expect(anon.statusCode).toBe(401);
  });

  it('a VIN sign-in gets the model and year the VIN encodes, not any model of the brand', async () => {
    const { backend } = await setup();
    const vins = ['KIA|EV6|2024', 'KIA|Sportage|2020', 'TESLA|Model Y|2022'];
    for (const key of vins) {
      const [make, model, year] = key.split('|') as [string, string, string];
      const brand = BRANDS.find((b) => b.make === make)!;
      const vin = makeVin(brand, brand.models.findIndex((m) => m.model === model), Number(year), 7);
      const signed = await backend.signIn({ make, email: `${vin}@compatible.smartcar.com`, password: 'x', mode: 'simulated', country: 'US', appId: 'app1' });
      expect(signed.ok && signed.vehicles[0], key).toMatchObject({ vin, model, year: Number(year) });
    }
  });
});
