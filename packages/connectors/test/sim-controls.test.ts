import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { CredentialThrottle, ManualClock, MemoryFailureLog, sha256 } from '@opencar/core';
import { installErrorHandler } from '../../../apps/server/src/plugins/error-handler.js';
import { simulatorApi } from '../src/index.js';
import { memorySim } from './helpers.js';

const H = 3_600_000;

/** An app with one BEV (Tesla), one petrol car and one plug-in hybrid, on the in-memory engine. */
async function setup() {
  const env = memorySim();
  const sign = async (make: string, email: string) => {
    const r = await env.backend.signIn({ make, email, password: 'x', mode: 'simulated', country: 'US' });
    if (!r.ok) throw new Error('sign-in');
    return r.vehicles[0]!;
  };
  const bev = await sign('TESLA', 'VIN00000000000001@bev.smartcar.com'.replace('VIN00000000000001', '5YJ3E1EA7KF000001'));
  const ice = await sign('TOYOTA', '2T1BURHE0JC000001@fuel.smartcar.com');
  const phev = await sign('TOYOTA', 'JTDKARFP0J3000001@phev.smartcar.com');
  const ids = [bev.vehicleId, ice.vehicleId, phev.vehicleId];
  const app = Fastify();
  installErrorHandler(app, 'http://opencar.test');
  await app.register(simulatorApi({
    simulator: env.backend,
    accounts: { getApp: async (id) => (id === 'app1' ? { id, clientSecretHash: sha256('s3cret') } : undefined) },
    throttle: new CredentialThrottle(new MemoryFailureLog(), new ManualClock(0)),
    vehicleIdsOfApp: async (appId) => (appId === 'app1' ? ids : []),
  }));
  const authorization = `Basic ${Buffer.from('app1:s3cret').toString('base64')}`;
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => app.inject({ method, url, headers: { authorization }, ...(payload ? { payload: payload as object } : {}) });
  const patch = (id: string, body: unknown) => call('PATCH', `/simulator/vehicles/${id}/state`, body);
  return { ...env, app, call, patch, bev, ice, phev };
}

const types = (r: { json(): { events: { eventType: string }[] } }) => r.json().events.map((e) => e.eventType);

describe('simulator controls', () => {
  it('plugged in but not charging is reachable; charging then goes on and off by itself', async () => {
    const { patch, bev, backend } = await setup();
    const idle = await patch(bev.vehicleId, { soc: 0.2, pluggedIn: true, charging: false });
    expect(idle.statusCode).toBe(200);
    expect(types(idle)).toEqual([]);
    expect(idle.json().view.state).toMatchObject({ pluggedIn: true, chargeState: 'NOT_CHARGING', soc: 0.2 });
    // The app can now start the charge: the command is accepted (not CHARGING_IN_PROGRESS).
    const connector = (await backend.connector(bev.vehicleId))!;
    await connector.chargeControl!({ vehicleId: bev.vehicleId, unitSystem: 'metric' }, 'START');
    expect((await connector.chargeStatus!({ vehicleId: bev.vehicleId, unitSystem: 'metric' })).value.state).toBe('CHARGING');
    const off = await patch(bev.vehicleId, { charging: false });
    expect(types(off)).toEqual(['CHARGING_STOPPED']);
    const on = await patch(bev.vehicleId, { charging: true });
    expect(types(on)).toEqual(['CHARGING_STARTED']);
    expect(on.json().changes).toContainEqual({ field: 'chargeState', from: 'NOT_CHARGING', to: 'CHARGING' });
  });

  it('charging needs a plug and room below the limit; refusals name the car', async () => {
    const { patch, bev, ice } = await setup();
    const unplugged = await patch(bev.vehicleId, { pluggedIn: false, charging: true });
    expect(unplugged.statusCode).toBe(400);
    expect(unplugged.json().description).toMatch(/^Tesla .+ \d{4} is not plugged in/);
    const full = await patch(bev.vehicleId, { soc: 0.8, chargeLimit: 0.8, pluggedIn: true, charging: false });
    expect(full.statusCode).toBe(200);
    const atLimit = await patch(bev.vehicleId, { charging: true });
    expect(atLimit.json().description).toContain('already charged to its limit of 80 %');
    const petrol = await patch(ice.vehicleId, { pluggedIn: true });
    expect(petrol.statusCode).toBe(400);
    expect(petrol.json()).toMatchObject({ type: 'VALIDATION', code: 'PARAMETER' });
    expect(petrol.json().description).toMatch(/^Toyota .+ \d{4} has no traction battery/);
  });

  it('charger power: AC up to the on-board charger, DC above it, no DC on a plug-in hybrid', async () => {
    const { patch, bev, phev } = await setup();
    const ac = await patch(bev.vehicleId, { chargerType: 'AC' });
    const acMax = ac.json().view.state.acMaxKw as number;
    expect(ac.json().view.state).toMatchObject({ chargerType: 'AC', chargeKw: acMax });
    expect((await patch(bev.vehicleId, { chargerType: 'AC', chargeKw: acMax + 10 })).json().description).toContain(`at most ${acMax} kW on AC`);
    const dc = await patch(bev.vehicleId, { chargerType: 'DC' });
    expect(dc.json().view.state).toMatchObject({ chargerType: 'DC', chargeKw: 150 });
    expect(dc.json().changes).toContainEqual({ field: 'chargerType', from: 'AC', to: 'DC' });
    expect((await patch(bev.vehicleId, { chargerType: 'DC', chargeKw: 3 })).statusCode).toBe(400);
    expect((await patch(phev.vehicleId, { chargerType: 'DC' })).json().description).toContain('has no DC fast-charging inlet');
    // DC power shows up in the charging picture the API serves.
    const charging = await patch(bev.vehicleId, { soc: 0.3, pluggedIn: true });
    expect(charging.json().view.state).toMatchObject({ chargeState: 'CHARGING', chargePowerKw: 150 });
  });

  it('outside temperature is set and released; the consumption of the next trip follows it', async () => {
    const { patch, call, bev } = await setup();
    const cold = await patch(bev.vehicleId, { outsideTempC: -15 });
    expect(cold.json().view.state).toMatchObject({ ambientC: -15, ambientSet: true });
    expect((await patch(bev.vehicleId, { outsideTempC: 80 })).statusCode).toBe(400);
    const v0 = cold.json().view;
    const dest = { latitude: v0.state.latitude + 0.1, longitude: v0.state.longitude };
    await patch(bev.vehicleId, { soc: 0.9 });
    const trip = await call('POST', `/simulator/vehicles/${bev.vehicleId}/trip`, { destination: dest, speedKmh: 90 });
    expect(trip.statusCode).toBe(200);
    await call('POST', `/simulator/vehicles/${bev.vehicleId}/clock`, { action: 'advance', hours: 1 });
    const usedCold = 0.9 - (await call('GET', `/simulator/vehicles/${bev.vehicleId}`)).json().state.soc;
    const back = await patch(bev.vehicleId, { outsideTempC: 22, soc: 0.9 });
    expect(back.json().view.state.ambientC).toBe(22);
    await call('POST', `/simulator/vehicles/${bev.vehicleId}/trip`, { destination: { latitude: v0.state.latitude, longitude: v0.state.longitude }, speedKmh: 90 });
    await call('POST', `/simulator/vehicles/${bev.vehicleId}/clock`, { action: 'advance', hours: 1 });
    const usedMild = 0.9 - (await call('GET', `/simulator/vehicles/${bev.vehicleId}`)).json().state.soc;
    expect(usedCold).toBeGreaterThan(usedMild * 1.2);
    const released = await patch(bev.vehicleId, { outsideTempC: null });
    expect(released.json().view.state.ambientSet).toBe(false);
  });

  it('a trip to a destination at a speed ends there and leaves its trail', async () => {
    const { call, bev } = await setup();
    const v0 = (await call('GET', `/simulator/vehicles/${bev.vehicleId}`)).json();
    const dest = { latitude: v0.state.latitude + 0.05, longitude: v0.state.longitude + 0.05 };
    expect((await call('POST', `/simulator/vehicles/${bev.vehicleId}/trip`, { speedKmh: 40 })).statusCode).toBe(400);
    const trip = await call('POST', `/simulator/vehicles/${bev.vehicleId}/trip`, { destination: dest, speedKmh: 40 });
    expect(trip.json().view.trip.speedKmh).toBe(40);
    expect(trip.json().changes.map((c: { field: string }) => c.field)).toEqual(expect.arrayContaining(['driving', 'speedKmh']));
    await call('POST', `/simulator/vehicles/${bev.vehicleId}/clock`, { action: 'advance', minutes: 5 });
    const mid = (await call('GET', `/simulator/vehicles/${bev.vehicleId}`)).json();
    expect(mid.state.driving).toBe(true);
    expect(mid.trail.length).toBeGreaterThanOrEqual(2);
    expect(mid.trail[0]).toEqual([v0.state.latitude, v0.state.longitude]);
    await call('POST', `/simulator/vehicles/${bev.vehicleId}/clock`, { action: 'advance', hours: 2 });
    const end = (await call('GET', `/simulator/vehicles/${bev.vehicleId}`)).json();
    expect(end.state.driving).toBe(false);
    expect(end.state.latitude).toBeCloseTo(dest.latitude, 4);
    expect(end.trail.at(-1)[0]).toBeCloseTo(dest.latitude, 4);
    expect(end.trail[0]).toEqual([v0.state.latitude, v0.state.longitude]);
  });

  it('clock reset: a clock ahead comes back with the vehicle as it was; one behind catches up', async () => {
    const { call, patch, bev, clock } = await setup();
    await patch(bev.vehicleId, { soc: 0.3, pluggedIn: true });
    await call('POST', `/simulator/vehicles/${bev.vehicleId}/clock`, { action: 'advance', hours: 2 });
    const ahead = (await call('GET', `/simulator/vehicles/${bev.vehicleId}`)).json();
    expect(ahead.clock.virtualNowMs).toBe(clock.now() + 2 * H);
    const reset = await call('POST', `/simulator/vehicles/${bev.vehicleId}/clock`, { action: 'reset' });
    expect(reset.json().view.clock).toMatchObject({ virtualNowMs: clock.now(), speed: 1, paused: false });
    expect(reset.json().view.state.soc).toBeCloseTo(ahead.state.soc, 3);
    expect(reset.json().view.state.chargeState).toBe('CHARGING');
    expect(reset.json().changes.map((c: { field: string }) => c.field)).toContain('clock');
    // Charging goes on from there at the same pace.
    clock.advance(H);
    const later = (await call('GET', `/simulator/vehicles/${bev.vehicleId}`)).json();
    expect(later.state.soc).toBeGreaterThan(ahead.state.soc);
    // A paused clock falls behind; reset catches up and resumes.
    await call('POST', `/simulator/vehicles/${bev.vehicleId}/clock`, { action: 'pause' });
    clock.advance(30 * 60_000);
    const caught = await call('POST', `/simulator/vehicles/${bev.vehicleId}/clock`, { action: 'reset' });
    expect(caught.json().view.clock).toMatchObject({ virtualNowMs: clock.now(), paused: false });
  });

  it('scenario presets', async () => {
    const { call, bev, ice } = await setup();
    const run = (id: string, scenario: string) => call('POST', `/simulator/vehicles/${id}/scenario`, { scenario });
    const night = await run(bev.vehicleId, 'overnight-charge');
    expect(night.statusCode).toBe(200);
    expect(types(night)).toEqual(['CHARGING_STARTED', 'CHARGING_COMPLETED']);
    expect(night.json().view.state.chargeState).toBe('FULLY_CHARGED');
    expect((await run(ice.vehicleId, 'overnight-charge')).json().description).toMatch(/^Toyota .+ has no traction battery/);
    const low = await run(bev.vehicleId, 'low-battery');
    expect(low.json().view.state).toMatchObject({ soc: 0.08, pluggedIn: false });
    expect((await run(ice.vehicleId, 'low-battery')).json().view.state.fuel).toBe(0.06);
    const week = await run(ice.vehicleId, 'asleep-week');
    expect(week.json().view.state.asleep).toBe(true);
    expect(week.json().changes.map((c: { field: string }) => c.field)).toEqual(expect.arrayContaining(['asleep', 'clock']));
    const commute = await run(bev.vehicleId, 'commute');
    expect(commute.json().view.state.driving).toBe(true);
    expect(commute.json().view.trip.routeKm).toBeGreaterThan(10);
    const outage = await run(ice.vehicleId, 'oem-outage');
    expect(outage.json().view.fault).toEqual({ error: 'UPSTREAM:KNOWN_ISSUE', remaining: 20 });
    expect((await run(ice.vehicleId, 'flat-tyre')).statusCode).toBe(400);
  });

  it('charging sessions carry a charge curve: SoC rises, power is flat to 80 % and tapers after', async () => {
    const { call, patch, bev } = await setup();
    await patch(bev.vehicleId, { soc: 0.2, chargeLimit: 1, chargerType: 'AC', pluggedIn: true });
    await call('POST', `/simulator/vehicles/${bev.vehicleId}/clock`, { action: 'advance', hours: 3 });
    const during = (await call('GET', `/simulator/vehicles/${bev.vehicleId}/charging-sessions`)).json().sessions;
    expect(during).toHaveLength(1);
    expect(during[0]).toMatchObject({ inProgress: true, endedAt: null, startSoc: 0.2 });
    await call('POST', `/simulator/vehicles/${bev.vehicleId}/clock`, { action: 'advance', hours: 24 });
    const [s] = (await call('GET', `/simulator/vehicles/${bev.vehicleId}/charging-sessions`)).json().sessions;
    expect(s).toMatchObject({ inProgress: false, startSoc: 0.2, endSoc: 1 });
    const socs = s.points.map((p: { soc: number }) => p.soc);
    expect(socs).toEqual([...socs].sort((a, b) => a - b));
    expect(socs[0]).toBe(0.2);
    expect(socs.at(-1)).toBe(1);
    const early = s.points.filter((p: { soc: number }) => p.soc < 0.79).map((p: { powerKw: number }) => p.powerKw);
    expect(new Set(early)).toEqual(new Set([s.chargerKw]));
    const late = s.points.filter((p: { soc: number }) => p.soc > 0.9);
    expect(late.every((p: { powerKw: number }) => p.powerKw < s.chargerKw * 0.6)).toBe(true);
    expect(s.energyKwh).toBeGreaterThan(0);
  });
});
