import { afterEach, describe, expect, it } from 'vitest';
import { VehicleError, catalogueKeyOf, type VehicleConnector } from '../../../src/index.js';
import { teslaHarness, type TeslaHarness } from './harness.js';

/** Sleep and wake: a car that sleeps answers 408 until `wake_up` and a few state polls. */
let h: TeslaHarness;
afterEach(async () => { await h?.close(); });

async function setup(config = {}) {
  h = await teslaHarness({ config });
  const got = await h.connected();
  const c = (await h.backend.connector(got.vehicleId))! as Required<VehicleConnector>;
  return { c, ctx: got.ctx };
}
const failure = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as VehicleError;
const wakes = () => h.emu.state.callsTo(/wake_up$/).length;

describe('sleep and wake', () => {
  it('a read does not wake the car by itself: vehicle_data answers 408 and the car stays asleep', async () => {
    const { c, ctx } = await setup();
    h.emu.state.sleep(h.car.vin);
    const e = await failure(c.odometer({ ...ctx, allowWake: false }));
    expect(catalogueKeyOf(e.failure)).toBe('VEHICLE_STATE:ASLEEP');
    expect(h.car.state).toBe('asleep');
    expect(h.emu.state.callsTo(/vehicle_data$/).map((x) => x.status)).toEqual([408]);
  });

  it('by default a read wakes the car: wake_up, poll until online, read again; the reading says it woke', async () => {
    const { c, ctx } = await setup();
    h.emu.state.sleep(h.car.vin);
    h.car.wakePolls = 3;
    const r = await c.battery(ctx);
    expect(r.woke).toBe(true);
    expect(r.source).toBe('live');
    expect(wakes()).toBe(1);
    expect(h.emu.state.callsTo(new RegExp(`/api/1/vehicles/${h.car.vin}$`)).length).toBe(3);
    expect(h.emu.state.callsTo(/vehicle_data$/).map((x) => x.status)).toEqual([408, 200]);
    expect(await h.backend.quota.usedToday(h.car.vin, 'wakes')).toBe(1);
  });

  it('sc-allow-wake false: the last known state, with its own capture time', async () => {
    const { c, ctx } = await setup();
    const live = await c.battery(ctx);
    h.clock.advance(3_600_000);
    h.emu.state.sleep(h.car.vin);
    const cached = await c.battery({ ...ctx, allowWake: false });
    expect(cached.source).toBe('platform-cache');
    expect(cached.value).toEqual(live.value);
    expect(cached.capturedAt).toBe(live.capturedAt);
    expect(cached.retrievedAt).toBe(live.retrievedAt);
    expect(wakes()).toBe(0);
  });

  it('sc-allow-wake false and nothing known yet for that value: VEHICLE_STATE:ASLEEP naming why', async () => {
    const { c, ctx } = await setup();
    await c.battery(ctx);
    h.emu.state.sleep(h.car.vin);
    const e = await failure(c.tirePressure({ ...ctx, allowWake: false }));
    expect(e.failure).toEqual({ kind: 'asleep' });
    expect(e.detail.description).toMatch(/sc-allow-wake: false/);
  });

  it('the wake budget: after the day\'s wakes, reads answer from the last known state or ASLEEP, and the budget renews at 00:00 UTC', async () => {
    const { c, ctx } = await setup({ quota: { data: 0, commands: 0, wakes: 2, chargingCommands: 0 } });
    for (let i = 0; i < 2; i++) {
      h.emu.state.sleep(h.car.vin);
      expect((await c.odometer(ctx)).woke).toBe(true);
    }
    h.emu.state.sleep(h.car.vin);
    expect((await c.odometer(ctx)).source).toBe('platform-cache');
    const e = await failure(c.chargeLimit(ctx));
    expect(e.failure).toEqual({ kind: 'asleep' });
    expect(e.detail.description).toMatch(/wake budget/);
    expect(wakes()).toBe(2);
    h.clock.advance(24 * 3_600_000);
    expect((await c.chargeLimit(ctx)).woke).toBe(true);
    expect(wakes()).toBe(3);
  });

  it('a car that does not come online within the polling bound: UPSTREAM:NO_RESPONSE after the last poll', async () => {
    const { c, ctx } = await setup({ wakeAttempts: 4 });
    h.emu.state.sleep(h.car.vin, 'offline');
    h.car.wakePolls = 50;
    const e = await failure(c.odometer(ctx));
    expect(catalogueKeyOf(e.failure)).toBe('UPSTREAM:NO_RESPONSE');
    expect(h.emu.state.callsTo(new RegExp(`/api/1/vehicles/${h.car.vin}$`)).length).toBe(4);
  });

  it('503 "offline or asleep" is a sleeping car too', async () => {
    const { c, ctx } = await setup();
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, status: 503, body: JSON.stringify({ response: null, error: 'vehicle unavailable: vehicle is offline or asleep', error_description: '' }) });
    const e = await failure(c.odometer({ ...ctx, allowWake: false }));
    expect(e.failure).toEqual({ kind: 'asleep' });
  });

  it('wakeUp wakes an asleep car and reports the wake', async () => {
    const { c, ctx } = await setup();
    h.emu.state.sleep(h.car.vin);
    expect((await c.wakeUp(ctx)).woke).toBe(true);
    expect(h.car.state).toBe('online');
  });

  it('a command to a sleeping car wakes it first (when allowed) and reports the wake', async () => {
    const { c, ctx } = await setup();
    h.emu.state.sleep(h.car.vin);
    const r = await c.lockControl(ctx, 'UNLOCK');
    expect(r.woke).toBe(true);
    expect(h.car.data.vehicle_state.locked).toBe(false);
    h.emu.state.sleep(h.car.vin);
    const e = await failure(c.lockControl({ ...ctx, allowWake: false }, 'LOCK'));
    expect(e.failure).toEqual({ kind: 'asleep' });
    expect(h.car.data.vehicle_state.locked).toBe(false);
  });
});
