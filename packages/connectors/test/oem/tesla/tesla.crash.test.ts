import { afterEach, describe, expect, it } from 'vitest';
import { VehicleError, catalogueKeyOf, type VehicleConnector } from '../../../src/index.js';
import { teslaHarness, type TeslaHarness } from './harness.js';

/**
 * Crashes and retries: the emulator drops connections and answers slowly. Reads are repeated after
 * a dropped connection; commands are not (the car may have carried them out); nothing waits past
 * the request's deadline. Each test's own timeout (30 s) is far beyond every deadline used here, and
 * the slow answers take longer than the test timeout, so a request that waited for them would fail
 * the test.
 */
let h: TeslaHarness;
afterEach(async () => { await h?.close(); });

async function setup(config = {}) {
  h = await teslaHarness({ config: { requestTimeoutMs: 5_000, ...config } });
  const got = await h.connected();
  return { c: (await h.backend.connector(got.vehicleId))! as Required<VehicleConnector>, ctx: got.ctx };
}
const failure = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as VehicleError;
const SLOW = 120_000;

describe('dropped connections and slow answers', () => {
  it('a read whose connection drops is sent again and answers', async () => {
    const { c, ctx } = await setup();
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, drop: true, times: 2 });
    expect((await c.odometer(ctx)).value.distance).toBeGreaterThan(0);
    expect(h.emu.state.callsTo(/vehicle_data$/).map((x) => x.status)).toEqual([0, 0, 200]);
  });

  it('a read whose connection keeps dropping: UPSTREAM:NO_RESPONSE after the bounded retries', async () => {
    const { c, ctx } = await setup();
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, drop: true, times: 10 });
    const e = await failure(c.odometer(ctx));
    expect(catalogueKeyOf(e.failure)).toBe('UPSTREAM:NO_RESPONSE');
    expect(h.emu.state.callsTo(/vehicle_data$/).length).toBe(3);
  });

  it('a command whose connection drops is not sent again', async () => {
    const { c, ctx } = await setup();
    await c.lockStatus(ctx);
    h.emu.state.fault({ server: 'proxy', path: /door_unlock$/, drop: true, times: 5 });
    const e = await failure(c.lockControl(ctx, 'UNLOCK'));
    expect(catalogueKeyOf(e.failure)).toBe('UPSTREAM:NO_RESPONSE');
    expect(h.emu.state.callsTo(/door_unlock$/).length).toBe(1);
  });

  it('a slow read answers UPSTREAM:NO_RESPONSE at the request deadline', async () => {
    const { c, ctx } = await setup({ requestTimeoutMs: 300 });
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, delayMs: SLOW });
    const e = await failure(c.odometer(ctx));
    expect(catalogueKeyOf(e.failure)).toBe('UPSTREAM:NO_RESPONSE');
  });

  it('a slow command proxy answers UPSTREAM:NO_RESPONSE at the deadline', async () => {
    const { c, ctx } = await setup({ requestTimeoutMs: 300 });
    await c.lockStatus(ctx);
    h.emu.state.fault({ server: 'proxy', path: /door_lock$/, delayMs: SLOW });
    expect(catalogueKeyOf((await failure(c.lockControl(ctx, 'LOCK'))).failure)).toBe('UPSTREAM:NO_RESPONSE');
  });

  it('a slow token endpoint during a refresh: NO_RESPONSE, and the tokens stay usable for the next call', async () => {
    const { c, ctx } = await setup({ requestTimeoutMs: 300 });
    h.emu.state.expireAccessTokens();
    h.emu.state.fault({ server: 'auth', path: /token$/, delayMs: SLOW });
    expect(catalogueKeyOf((await failure(c.odometer(ctx))).failure)).toBe('UPSTREAM:NO_RESPONSE');
    expect((await c.odometer(ctx)).value.distance).toBeGreaterThan(0);
  });

  it('a request whose platform deadline already passed is not sent at all', async () => {
    const { c, ctx } = await setup();
    const before = h.emu.state.callsTo(/vehicle_data$/).length;
    const e = await failure(c.odometer({ ...ctx, deadline: h.clock.now() - 1 }));
    expect(catalogueKeyOf(e.failure)).toBe('UPSTREAM:NO_RESPONSE');
    expect(h.emu.state.callsTo(/vehicle_data$/).length).toBe(before);
  });

  it('the caller aborting stops the request', async () => {
    const { c, ctx } = await setup({ requestTimeoutMs: 60_000 });
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, delayMs: SLOW });
    const ac = new AbortController();
    const p = failure(c.odometer({ ...ctx, signal: ac.signal }));
    setTimeout(() => ac.abort(), 50);
    expect(catalogueKeyOf((await p).failure)).toBe('UPSTREAM:NO_RESPONSE');
  });

  it('dropped and slow answers are not billed: the quota is refunded', async () => {
    const { c, ctx } = await setup();
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, drop: true, times: 3 });
    await failure(c.odometer(ctx));
    expect(await h.backend.quota.usedToday(h.car.vin, 'data')).toBe(0);
    await c.odometer(ctx);
    expect(await h.backend.quota.usedToday(h.car.vin, 'data')).toBe(1);
  });
});
