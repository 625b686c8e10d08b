import { afterEach, describe, expect, it } from 'vitest';
import { connectForTest, StoredGrantService } from '@opencar/oauth';
import { IntegrationsRepo } from '@opencar/storage';
import { IntegrationEvents, type Trigger } from '@opencar/webhooks';
import { readSignalSnapshot } from '../../src/index.js';
import { ALL_PERMISSIONS, SECRET, teslaHarness, type TeslaHarness } from '../../../connectors/test/oem/tesla/harness.js';
import { seedApp, silent } from '../../../webhooks/test/fixtures.js';

/**
 * API v3 events from a real vehicle observed without waking it, against the Tesla emulator: the
 * light vehicle call tells a sleeping car apart and nothing more is asked (no `vehicle_data`, no
 * `wake_up`); a sleeping car is skipped, not an error, until it has slept past the budget (a day),
 * then one VEHICLE_ERROR VEHICLE_STATE ASLEEP, RESOLVED once it is awake and read again.
 */
const APP = 'app-1';
const HOUR = 3_600_000;
let h: TeslaHarness;
afterEach(async () => { await h?.close(); });

interface Queued { eventType: string; data: { triggers?: { code: string }[]; signals?: { code: string; status: { value: string } }[]; errors?: { type: string; code: string; state: string; signals: string[] }[] } }

async function setup(noWakeLive: boolean, beforeSubscribe?: () => void) {
  h = await teslaHarness();
  const r = await h.connect(APP);
  if (!r.ok) throw new Error('sign-in failed');
  const vehicleId = r.vehicles[0]!.vehicleId;
  await seedApp(h.storage, APP, 'enterprise', 'live');
  await connectForTest(h.storage, h.clock, { appId: APP, userId: r.accountId, vehicleIds: [vehicleId], permissions: ALL_PERMISSIONS, mode: 'live' });
  const grants = new StoredGrantService(h.storage, h.clock);
  const events = new IntegrationEvents({
    storage: h.storage, clock: h.clock, log: silent, publicUrl: 'http://opencar.test',
    read: (sub, codes) => readSignalSnapshot({ backend: h.backend, grants, clock: h.clock, config: { publicUrl: 'http://opencar.test' }, secretKey: SECRET }, sub, codes, { noWakeLive }),
  });
  const triggers: Trigger[] = [{ code: 'tractionbattery-stateofcharge' }];
  await new IntegrationsRepo(h.storage.db).create({
    id: 'wh-1', app_id: APP, name: 'soc', url: 'https://127.0.0.1:9/events', kind: 'integration', cadence: null, topics: '[]', status: 'active',
    verified_at: 0, next_run_at: null, created_at: h.clock.now(), deleted_at: null, anchor_at: null,
    triggers: JSON.stringify(triggers), signals: JSON.stringify(['tractionbattery-stateofcharge', 'odometer-traveleddistance']), error_url: null, auto_subscribe: 0,
  });
  expect(await new IntegrationsRepo(h.storage.db).subscribe(APP, 'wh-1', vehicleId, r.accountId, h.clock.now())).toBe(true);
  beforeSubscribe?.();
  await events.subscribed('wh-1', vehicleId);
  return { events, vehicleId };
}

const queued = async (): Promise<Queued[]> => (await h.storage.db.selectFrom('webhook_deliveries').select(['body', 'created_at']).where('webhook_id', '=', 'wh-1').orderBy('seq').execute())
  .map((row) => JSON.parse(row.body) as Queued);
const wakes = () => h.emu.state.callsTo(/wake_up$/).length;
const dataCalls = () => h.emu.state.callsTo(/vehicle_data$/).length;

describe('observing a real vehicle for API v3 events without waking it', () => {
  it('skips a sleeping car without a wake or a vehicle_data call, reports it asleep only past a day, and RESOLVED once awake', async () => {
    const { events, vehicleId } = await setup(true);
    const first = await queued();
    expect(first.map((e) => e.eventType)).toEqual(['VEHICLE_STATE']);
    expect(first[0]!.data.triggers).toEqual([{ code: 'FIRST_DELIVERY' }]);
    expect(first[0]!.data.signals!.map((s) => s.status.value)).toEqual(['SUCCESS', 'SUCCESS']);

    h.emu.state.sleep(h.car.vin);
    const before = dataCalls();
    for (let i = 0; i < 23; i++) {
      h.clock.advance(HOUR);
      expect(await events.observe([vehicleId])).toBe(0);
    }
    expect(await events.sweep()).toBe(0);
    expect(dataCalls()).toBe(before);
    expect(wakes()).toBe(0);
    expect(h.car.state).toBe('asleep');
    expect(await queued()).toHaveLength(1);

    // Past the budget: one VEHICLE_ERROR for the sleep, not repeated while it lasts.
    h.clock.advance(2 * HOUR);
    expect(await events.observe([vehicleId])).toBe(1);
    expect(await events.observe([vehicleId])).toBe(0);
    const error = (await queued())[1]!;
    expect(error.eventType).toBe('VEHICLE_ERROR');
    expect(error.data.errors).toHaveLength(1);
    expect(error.data.errors![0]).toMatchObject({ type: 'VEHICLE_STATE', code: 'ASLEEP', state: 'ERROR', signals: ['tractionbattery-stateofcharge', 'odometer-traveleddistance'] });
    expect(wakes()).toBe(0);
    expect(dataCalls()).toBe(before);

    // The owner drives off: the car is online, read, and the sleep RESOLVED (the SoC did not change: no VEHICLE_STATE).
    h.car.state = 'online';
    expect(await events.observe([vehicleId])).toBe(1);
    const resolved = (await queued())[2]!;
    expect(resolved.eventType).toBe('VEHICLE_ERROR');
    expect(resolved.data.errors![0]).toMatchObject({ type: 'VEHICLE_STATE', code: 'ASLEEP', state: 'RESOLVED' });
    expect(dataCalls()).toBeGreaterThan(before);
    expect(wakes()).toBe(0);

    // Asleep again: the budget counts from the new sleep.
    h.emu.state.sleep(h.car.vin, 'offline');
    h.clock.advance(20 * HOUR);
    expect(await events.observe([vehicleId])).toBe(0);
    expect(await queued()).toHaveLength(3);
    expect(wakes()).toBe(0);
  });

  it('a car that falls asleep between the state call and the reads is skipped too: its 408 is no error, and FIRST_DELIVERY waits for it', async () => {
    // The state call answers online, then vehicle_data finds the car asleep (nothing known of it yet).
    const { events, vehicleId } = await setup(true, () => h.emu.state.fault({ server: 'na', method: 'GET', path: /vehicle_data$/, status: 408, body: JSON.stringify({ response: null, error: 'vehicle unavailable: vehicle is offline or asleep', error_description: '' }), times: 4 }));
    expect(h.emu.state.callsTo(/vehicle_data$/).map((c) => c.status)).toEqual([408, 408]);
    expect(await queued()).toEqual([]);
    h.clock.advance(HOUR);
    expect(await events.observe([vehicleId])).toBe(0);
    expect(await queued()).toEqual([]);
    h.clock.advance(HOUR);
    expect(await events.observe([vehicleId])).toBe(1);
    expect((await queued()).map((e) => e.data.triggers)).toEqual([[{ code: 'FIRST_DELIVERY' }]]);
    expect(wakes()).toBe(0);
  });

  it('without the no-wake mode the same observation wakes the car (what the mode prevents)', async () => {
    const { events, vehicleId } = await setup(false);
    h.emu.state.sleep(h.car.vin);
    h.clock.advance(HOUR);
    await events.observe([vehicleId]);
    expect(wakes()).toBeGreaterThan(0);
  });
});
