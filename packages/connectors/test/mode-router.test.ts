import { describe, expect, it } from 'vitest';
import { ModeRouter, type EventSink, type SignInInput } from '../src/index.js';
import { memorySim } from './helpers.js';
import { fakeLive } from './live-fake.js';

const login = (mode: SignInInput['mode'], make = 'TESLA'): SignInInput => ({ make, email: 'owner@example.com', password: 'pw', mode, country: 'US' });

describe('mode router (the platform vehicle backend)', () => {
  it('simulated and test reach the simulator; live without a registered brand is unavailable and creates nothing', async () => {
    const { backend: simulator, engine } = memorySim();
    const router = new ModeRouter(simulator);
    for (const mode of ['simulated', 'test'] as const) {
      expect(router.brandAvailable('TESLA', mode)).toBe(true);
      const r = await router.signIn(login(mode));
      expect(r.ok && r.vehicles[0]!.mode).toBe(mode);
      if (r.ok) expect(await router.vehicle(r.vehicles[0]!.vehicleId)).toMatchObject({ make: 'TESLA', mode });
    }
    const before = engine.vehicles.size;
    expect(router.brandAvailable('TESLA', 'live')).toBe(false);
    expect(await router.signIn(login('live'))).toMatchObject({ ok: false, reason: 'connect_error', error: 'vehicle_incompatible', make: 'TESLA' });
    expect(engine.vehicles.size).toBe(before);
    expect(router.liveMakes()).toEqual([]);
  });

  it('a registered live brand serves live mode for that make only; its vehicles and connectors are found by id', async () => {
    const { backend: simulator, engine } = memorySim();
    const router = new ModeRouter(simulator);
    const tesla = fakeLive('TESLA');
    router.registerLiveBrand('tesla', tesla);
    expect(router.liveMakes()).toEqual(['TESLA']);
    expect(router.brandAvailable('TESLA', 'live')).toBe(true);
    expect(router.brandAvailable('FORD', 'live')).toBe(false);
    const r = await router.signIn(login('live'));
    expect(r).toMatchObject({ ok: true, accountId: 'real-owner-TESLA' });
    expect(tesla.signIns).toEqual([login('live')]);
    expect(await router.signIn(login('live', 'FORD'))).toMatchObject({ ok: false, error: 'vehicle_incompatible', make: 'FORD' });
    expect(engine.vehicles.size).toBe(0);
    expect(await router.vehicle('real-TESLA')).toMatchObject({ mode: 'live', make: 'TESLA' });
    expect((await router.connector('real-TESLA'))?.name).toBe('real-TESLA');
    expect(await router.connector('no-such-vehicle')).toBeUndefined();
    // Simulated mode of the same brand still reaches the simulator.
    const sim = await router.signIn(login('simulated'));
    expect(sim.ok && sim.accountId).not.toBe('real-owner-TESLA');
    expect(tesla.signIns).toHaveLength(1);
    expect(() => router.registerLiveBrand('TESLA', fakeLive('TESLA'))).toThrow(/already registered/);
  });

  it('event sinks reach live backends registered before and after, once per backend', () => {
    const { backend: simulator } = memorySim();
    const router = new ModeRouter(simulator);
    const early = fakeLive('BMW');
    router.registerLiveBrand('BMW', early);
    const sink: EventSink = async () => {};
    router.addEventSink(sink);
    const late = fakeLive('KIA');
    router.registerLiveBrand('KIA', late);
    router.registerLiveBrand('HYUNDAI', late);
    expect(early.sinks).toEqual([sink]);
    expect(late.sinks).toEqual([sink]);
  });
});
