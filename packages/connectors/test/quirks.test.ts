import { describe, expect, it } from 'vitest';
import { PROFILES, VehicleError, clockControl, setState } from '../src/index.js';
import { memorySim, oneVehicle } from './helpers.js';

const MIN = 60_000;
const H = 60 * MIN;
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (e instanceof VehicleError ? e.failure : e));

async function realistic(make: string, email = 'q@example.com', country = 'US') {
  const env = memorySim();
  const one = await oneVehicle(env.backend, make, email, country);
  await setState(env.sim, one.v.vehicleId, { latency: 'realistic' });
  return { ...env, ...one };
}

describe('brand profiles (virtual time, no sleeping)', () => {
  it('realistic latency runs on the clock; a deadline turns into a timeout', async () => {
    const { connector, ctx, clock } = await realistic('FORD');
    const t = clock.now();
    const r = await connector.odometer!(ctx);
    expect(r.retrievedAt - t).toBeGreaterThanOrEqual(3000);
    expect(r.retrievedAt - t).toBeLessThanOrEqual(45_000);
    expect(await failure(connector.odometer!({ ...ctx, deadline: clock.now() + 100 }))).toEqual({ kind: 'timeout' });
  });

  it('zero latency answers at the same instant', async () => {
    const { backend, clock } = memorySim();
    const { connector, ctx } = await oneVehicle(backend, 'FORD');
    const t = clock.now();
    expect((await connector.odometer!(ctx)).retrievedAt).toBe(t);
  });

  it('Tesla: sleeps after 15 min idle, reads wake it (15 wakes a day), then ASLEEP until 00:00 UTC', async () => {
    const { connector, ctx, clock, sim, v } = await realistic('TESLA');
    const first = await connector.location!(ctx);
    expect(first.woke).toBe(false);
    let wakes = 0;
    for (let i = 0; i < 15; i++) {
      clock.advance(16 * MIN);
      const r = await connector.location!(ctx);
      if (r.woke) wakes++;
    }
    expect(wakes).toBe(15);
    clock.advance(16 * MIN);
    expect(await failure(connector.location!(ctx))).toEqual({ kind: 'asleep' });
    await clockControl(sim, v.vehicleId, { action: 'advance', ms: 24 * H });
    expect((await connector.location!(ctx)).woke).toBe(true);
  });

  it('Tesla: commands need a paired virtual key', async () => {
    const { backend, sim } = memorySim();
    const { v, connector, ctx } = await oneVehicle(backend, 'TESLA');
    await setState(sim, v.vehicleId, { virtualKeyPaired: false });
    expect(await failure(connector.lockControl!(ctx, 'UNLOCK'))).toEqual({ kind: 'account', code: 'VIRTUAL_KEY_REQUIRED' });
    await setState(sim, v.vehicleId, { virtualKeyPaired: true });
    await connector.lockControl!(ctx, 'UNLOCK');
  });

  it('Tesla: 200 data reads a day, then UPSTREAM:RATE_LIMIT with retry-after until midnight UTC', async () => {
    const { connector, ctx, clock } = await realistic('TESLA', 'quota@example.com');
    for (let i = 0; i < 200; i++) await connector.odometer!(ctx);
    const f = await failure(connector.odometer!(ctx)) as { kind: string; retryAfter: number };
    expect(f.kind).toBe('upstream_rate_limit');
    const midnight = Math.ceil(clock.now() / (24 * H)) * 24 * H;
    expect(Math.abs(f.retryAfter - (midnight - clock.now()) / 1000)).toBeLessThan(60);
    clock.set(midnight + MIN);
    await connector.odometer!(ctx);
  });

  it('GM: deep sleep after 3–4 idle days (no response) until an ignition cycle; charge commands need 50 %', async () => {
    const { backend, sim, clock } = memorySim();
    const { v, connector, ctx } = await oneVehicle(backend, 'CHEVROLET', '1G1FZ6S02N4100001@bev.smartcar.com');
    expect(v.powertrain).toBe('BEV');
    expect((await connector.capabilities(ctx)).has('charge_control')).toBe(true);
    await setState(sim, v.vehicleId, { soc: 0.3, chargeLimit: 0.9 });
    await setState(sim, v.vehicleId, { pluggedIn: true });
    const err = await connector.chargeControl!(ctx, 'START').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VehicleError);
    expect((err as VehicleError).failure).toEqual({ kind: 'upstream', code: 'KNOWN_ISSUE' });
    expect((err as VehicleError).message).toContain('50 %');
    PROFILES.gm!.rules.minSocForChargeCommands = 0.6;
    try {
      await setState(sim, v.vehicleId, { soc: 0.55 });
      expect(((await connector.chargeControl!(ctx, 'START').catch((e: unknown) => e)) as VehicleError).message).toContain('60 %');
    } finally { PROFILES.gm!.rules.minSocForChargeCommands = 0.5; }
    await setState(sim, v.vehicleId, { pluggedIn: false });
    clock.advance(90 * H);
    expect(await failure(connector.odometer!(ctx))).toEqual({ kind: 'timeout' });
    await setState(sim, v.vehicleId, { asleep: false });
    await connector.odometer!(ctx);
  });

  it('Hyundai/Kia: one live refresh per 72 min, the OEM cache (older data age) in between', async () => {
    const { backend, clock } = memorySim();
    const { connector, ctx } = await oneVehicle(backend, 'KIA');
    const t0 = clock.now();
    clock.advance(80 * MIN); // asleep by now: cache
    const cached = await connector.odometer!(ctx);
    expect(cached.source).toBe('oem-cache');
    expect(cached.capturedAt).toBe(t0);
  });

  it('Hyundai/Kia: wakes drain the 12 V battery until LOW_BATTERY', async () => {
    const { backend, sim, clock } = memorySim();
    const { v, connector, ctx } = await oneVehicle(backend, 'HYUNDAI');
    await setState(sim, v.vehicleId, { lowVoltageBattery: 0.315 });
    const outcomes: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(30 * MIN);
      outcomes.push(await failure(connector.lockControl!(ctx, 'LOCK')));
    }
    expect(outcomes.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(outcomes[4]).toEqual({ kind: 'precondition', code: 'LOW_BATTERY' });
  });

  it('Volvo: 10 commands a minute, then UPSTREAM:RATE_LIMIT until the next minute', async () => {
    const env = memorySim({ sleep: async () => undefined }); // latency drawn, no time passes
    const { v, connector, ctx } = await oneVehicle(env.backend, 'VOLVO');
    await setState(env.sim, v.vehicleId, { latency: 'realistic' });
    env.clock.set(Math.ceil(env.clock.now() / MIN) * MIN);
    for (let i = 0; i < 10; i++) await connector.lockControl!(ctx, 'LOCK');
    const f = await failure(connector.lockControl!(ctx, 'LOCK')) as { kind: string; retryAfter: number };
    expect(f).toEqual({ kind: 'upstream_rate_limit', retryAfter: 60 });
    expect(await failure(connector.odometer!(ctx))).toBeUndefined(); // data quota is separate
    env.clock.advance(MIN);
    await connector.lockControl!(ctx, 'LOCK');
  });

  it('BMW: 120 requests a day', async () => {
    const { connector, ctx } = await realistic('BMW', 'b@example.com', 'DE');
    let refused = 0;
    for (let i = 0; i < 125; i++) if (await failure(connector.odometer!(ctx))) refused++;
    expect(refused).toBeGreaterThan(0);
  });

  it('Nissan US: STOP charge unsupported; Europe: supported', async () => {
    for (const [country, expected] of [['US', { kind: 'not_capable' }], ['GB', undefined]] as const) {
      const { backend, sim } = memorySim();
      const r = await backend.signIn({ make: 'NISSAN', email: 'leaf@example.com', password: 'x', mode: 'simulated', country });
      if (!r.ok) throw new Error('sign-in');
      const ev = r.vehicles.find((x) => x.powertrain === 'BEV');
      if (!ev) continue;
      const c = (await backend.connector(ev.vehicleId))!;
      await setState(sim, ev.vehicleId, { soc: 0.4, pluggedIn: true });
      expect(await failure(c.chargeControl!({ vehicleId: ev.vehicleId, unitSystem: 'metric' }, 'STOP'))).toEqual(expected);
    }
  });

  it('Honda: asleep after a week idle → ASLEEP', async () => {
    const { backend, clock } = memorySim();
    const { connector, ctx } = await oneVehicle(backend, 'HONDA');
    clock.advance(6 * 24 * H);
    await connector.odometer!(ctx);
    clock.advance(7 * 24 * H + MIN);
    expect(await failure(connector.odometer!(ctx))).toEqual({ kind: 'asleep' });
  });

  it('standard brands: a sleeping car is served from the OEM cache with its capture time', async () => {
    const { backend, clock } = memorySim();
    const { connector, ctx } = await oneVehicle(backend, 'MAZDA');
    const live = await connector.odometer!(ctx);
    clock.advance(2 * H);
    const cached = await connector.odometer!(ctx);
    expect(cached.source).toBe('oem-cache');
    expect(cached.capturedAt).toBe(live.capturedAt);
    expect(cached.retrievedAt).toBe(live.retrievedAt + 2 * H);
  });

  it('state preconditions: door open, plug, remote access, service, offline, injected faults', async () => {
    const { backend, sim } = memorySim();
    const { v, connector, ctx } = await oneVehicle(backend, 'TESLA');
    await setState(sim, v.vehicleId, { open: { doorFL: true } });
    expect(await failure(connector.lockControl!(ctx, 'LOCK'))).toEqual({ kind: 'precondition', code: 'DOOR_OPEN' });
    await setState(sim, v.vehicleId, { open: { doorFL: false, front: true } });
    expect(await failure(connector.lockControl!(ctx, 'LOCK'))).toEqual({ kind: 'precondition', code: 'TRUNK_OPEN' });
    await setState(sim, v.vehicleId, { open: { front: false }, remoteAccess: false });
    expect(await failure(connector.odometer!(ctx))).toEqual({ kind: 'precondition', code: 'REMOTE_ACCESS_DISABLED' });
    await setState(sim, v.vehicleId, { remoteAccess: true, inService: true });
    expect(await failure(connector.odometer!(ctx))).toEqual({ kind: 'precondition', code: 'VEHICLE_OFFLINE_FOR_SERVICE' });
    await setState(sim, v.vehicleId, { inService: false, offline: true });
    expect(await failure(connector.odometer!(ctx))).toEqual({ kind: 'unreachable' });
    await setState(sim, v.vehicleId, { offline: false });
    const { injectFault } = await import('../src/index.js');
    await injectFault(sim, v.vehicleId, 'UPSTREAM:KNOWN_ISSUE', 2);
    expect(await failure(connector.odometer!(ctx))).toEqual({ kind: 'upstream', code: 'KNOWN_ISSUE' });
    expect(await failure(connector.location!(ctx))).toEqual({ kind: 'upstream', code: 'KNOWN_ISSUE' });
    expect(await failure(connector.odometer!(ctx))).toBeUndefined();
    await setState(sim, v.vehicleId, { soc: 0.5 });
    expect(await failure(connector.chargeControl!(ctx, 'START'))).toEqual({ kind: 'precondition', code: 'CHARGING_PLUG_NOT_CONNECTED' });
    await setState(sim, v.vehicleId, { pluggedIn: true });
    expect(await failure(connector.chargeControl!(ctx, 'START'))).toEqual({ kind: 'precondition', code: 'CHARGING_IN_PROGRESS' });
  });
});
