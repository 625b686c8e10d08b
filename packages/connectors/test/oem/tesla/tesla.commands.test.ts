import { afterEach, describe, expect, it } from 'vitest';
import { TESLA_DISCOVERY_QUOTA } from '@opencar/core';
import { TeslaBackend, VehicleError, catalogueKeyOf, toApiError, type VehicleConnector } from '../../../src/index.js';
import { REDIRECT, SECRET, teslaHarness, type TeslaHarness } from './harness.js';

/** Commands: signed through the command proxy when the car needs it, straight to the Fleet API otherwise. */
let h: TeslaHarness;
afterEach(async () => { await h?.close(); });

async function setup(o: Parameters<typeof teslaHarness>[0] = {}) {
  h = await teslaHarness(o);
  const got = await h.connected();
  return { c: (await h.backend.connector(got.vehicleId))! as Required<VehicleConnector>, ctx: got.ctx };
}
const failure = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as VehicleError;
const proxied = () => h.emu.state.calls.filter((x) => x.server === 'proxy' && /\/command\//.test(x.path));
const direct = () => h.emu.state.calls.filter((x) => x.server !== 'proxy' && /\/command\//.test(x.path));

describe('Tesla commands', () => {
  it('a car that requires signed commands: fleet_status decides, the proxy signs with the exported key', async () => {
    const { c, ctx } = await setup();
    await c.lockControl(ctx, 'UNLOCK');
    expect(h.car.data.vehicle_state.locked).toBe(false);
    expect(proxied().map((x) => `${x.path} ${x.status}`)).toEqual([`/api/1/vehicles/${h.car.vin}/command/door_unlock 200`]);
    expect(direct()).toEqual([]);
    expect(h.emu.state.callsTo(/fleet_status$/).length).toBe(1);
    await c.lockControl(ctx, 'LOCK');
    expect(h.emu.state.callsTo(/fleet_status$/).length).toBe(1);
  });

  it('a car that accepts unsigned commands: straight to the Fleet API', async () => {
    const { c, ctx } = await setup({ signingRequired: false, paired: false });
    await c.setChargeLimit(ctx, 0.9);
    expect(h.car.data.charge_state.charge_limit_soc).toBe(90);
    expect(direct().map((x) => x.path)).toEqual([`/api/1/vehicles/${h.car.vin}/command/set_charge_limit`]);
    expect(proxied()).toEqual([]);
  });

  it('no virtual key paired: VIRTUAL_KEY_REQUIRED with Tesla\'s pairing link, and nothing sent to the car', async () => {
    const { c, ctx } = await setup({ paired: false });
    const e = await failure(c.lockControl(ctx, 'UNLOCK'));
    expect(catalogueKeyOf(e.failure)).toBe('CONNECTED_SERVICES_ACCOUNT:VIRTUAL_KEY_REQUIRED');
    const api = toApiError(e);
    expect(api.resolution).toEqual({ type: 'ACTION_REQUIRED', url: 'https://tesla.com/_ak/opencar.test' });
    expect(proxied()).toEqual([]);
    expect(h.car.data.vehicle_state.locked).toBe(true);
  });

  it('the proxy\'s key is not the one paired with the car: the car refuses, VIRTUAL_KEY_REQUIRED', async () => {
    const { c, ctx } = await setup();
    const other = await import('node:crypto').then((m) => m.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
    h.emu.proxy.setKey(other.privateKey.export({ type: 'sec1', format: 'pem' }).toString());
    const e = await failure(c.lockControl(ctx, 'UNLOCK'));
    expect(e.failure).toEqual({ kind: 'account', code: 'VIRTUAL_KEY_REQUIRED' });
    expect(e.detail.resolutionUrl).toBe('https://tesla.com/_ak/opencar.test');
    expect(proxied().map((x) => x.status)).toEqual([500]);
  });

  it('Tesla refusals become VEHICLE_STATE errors', async () => {
    const { c, ctx } = await setup({ config: { quota: { data: 0, commands: 0, wakes: 0, chargingCommands: 0 } } });
    expect((await failure(c.chargeControl(ctx, 'START'))).failure).toEqual({ kind: 'precondition', code: 'CHARGING_PLUG_NOT_CONNECTED' });
    h.car.data.charge_state.charging_state = 'Stopped';
    await c.chargeControl(ctx, 'START');
    expect((await c.chargeStatus(ctx)).value).toEqual({ isPluggedIn: true, state: 'CHARGING' });
    expect((await failure(c.chargeControl(ctx, 'START'))).failure).toEqual({ kind: 'precondition', code: 'CHARGING_IN_PROGRESS' });
    await c.chargeControl(ctx, 'STOP');
    expect((await failure(c.chargeControl(ctx, 'STOP'))).failure).toEqual({ kind: 'precondition', code: 'NOT_CHARGING' });
    h.car.data.charge_state.charging_state = 'Complete';
    expect((await failure(c.chargeControl(ctx, 'START'))).failure).toEqual({ kind: 'precondition', code: 'FULLY_CHARGED' });
  });

  it('setting the limit it already has is a success (already_set)', async () => {
    const { c, ctx } = await setup();
    await c.setChargeLimit(ctx, 0.8);
    expect(h.emu.state.callsTo(/set_charge_limit$/).map((x) => x.status)).toEqual([200]);
  });

  it('a destination goes to navigation_gps_request', async () => {
    const { c, ctx } = await setup();
    await c.sendDestination(ctx, 48.137154, 11.576124);
    expect(h.car.data.drive_state).toMatchObject({ active_route_latitude: 48.137154, active_route_longitude: 11.576124 });
  });

  it('a car that starts requiring signing after fleet_status said it does not: retried once through the proxy', async () => {
    const { c, ctx } = await setup({ signingRequired: false });
    await c.lockControl(ctx, 'UNLOCK');
    h.car.signingRequired = true;
    // The cached fleet_status still says "not required": the direct call answers 403, the proxy then signs.
    await c.lockControl(ctx, 'LOCK');
    expect(direct().map((x) => x.status)).toEqual([200, 403]);
    expect(proxied().map((x) => x.status)).toEqual([200]);
    expect(h.car.data.vehicle_state.locked).toBe(true);
  });

  it('commands spend the command budget (and charging commands their own) before they are sent', async () => {
    const { c, ctx } = await setup({ config: { quota: { ...TESLA_DISCOVERY_QUOTA, commands: 3, chargingCommands: 1 } } });
    await c.setChargeLimit(ctx, 0.7);
    const e = await failure(c.setChargeLimit(ctx, 0.75));
    expect(e.failure.kind).toBe('upstream_rate_limit');
    await c.lockControl(ctx, 'UNLOCK');
    await c.lockControl(ctx, 'LOCK');
    expect((await failure(c.lockControl(ctx, 'UNLOCK'))).failure.kind).toBe('upstream_rate_limit');
    expect(proxied().length).toBe(3);
  });

  it('commands turned off: the connector does not offer them', async () => {
    h = await teslaHarness({ config: { commands: false } });
    const got = await h.connected();
    const c = (await h.backend.connector(got.vehicleId))!;
    expect(c.lockControl).toBeUndefined();
    expect((await c.capabilities(got.ctx)).has('lock_control')).toBe(false);
    expect((await c.capabilities(got.ctx)).has('lock_status')).toBe(true);
  });

  it('a proxy whose certificate opencar does not trust is never sent the token', async () => {
    const { ctx } = await setup();
    const config = h.emu.config({ commandProxy: { url: h.emu.urls.proxy, caFile: undefined } });
    const untrusting = new TeslaBackend({ config, storage: h.storage, clock: h.clock, secretKey: SECRET, redirectUri: REDIRECT, sleep: async () => undefined });
    try {
      const c = (await untrusting.connector(ctx.vehicleId))!;
      const e = await failure(c.lockControl!(ctx, 'UNLOCK'));
      expect(catalogueKeyOf(e.failure)).toBe('UPSTREAM:NO_RESPONSE');
      expect(proxied()).toEqual([]);
    } finally { await untrusting.close(); }
  });
});
