import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import { IntegrationsRepo, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { Deliverer, IntegrationEvents, SigningKeys, type SignalItem, type Trigger, type VehicleSnapshot } from '../src/index.js';
import { connect, SECRET, seedApp, silent } from './fixtures.js';
import { V3Receiver } from './v3-receiver.js';

/** The vehicle a fake connector reads: signal code → body (null: the read fails with `error`). */
interface FakeCar { values: Record<string, Record<string, unknown> | null>; error?: { type: string; code: string }; unavailable?: string[] }

const NAMES: Record<string, [string, string]> = {
  'tractionbattery-stateofcharge': ['StateOfCharge', 'TractionBattery'], 'charge-ischarging': ['IsCharging', 'Charge'],
  'closure-islocked': ['IsLocked', 'Closure'], 'odometer-traveleddistance': ['TraveledDistance', 'Odometer'],
};

const EVENT_KEYS = ['eventId', 'eventType', 'data', 'meta'];
const META_KEYS = ['version', 'deliveryId', 'deliveredAt', 'webhookId', 'webhookName', 'sequence', 'signalCount', 'mode'];

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`API v3 events: triggers, payload 4.0, delivery [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 4, 1));
    let amt: string;
    let rx: V3Receiver;
    let events: IntegrationEvents;
    let deliverer: Deliverer;
    const cars = new Map<string, FakeCar>();
    const read = async (sub: { vehicleId: string; userId: string }, codes: string[]): Promise<VehicleSnapshot> => {

      const car = cars.get(sub.vehicleId)!;
      const signals = codes.map((code): SignalItem => {
        const [name, group] = NAMES[code] ?? [code, code];
        const base = { code, name, group, meta: { oemUpdatedAt: clock.now() - 1000, retrievedAt: clock.now() } };
        if (car.unavailable?.includes(code)) return { ...base, body: null, status: { value: 'UNAVAILABLE' } };
        if (car.error) return { ...base, body: null, status: { value: 'ERROR', error: car.error } };
        return { ...base, body: car.values[code] ?? null, status: { value: 'SUCCESS' } };
      });
      return { user: { id: sub.userId, externalId: null }, vehicle: { id: sub.vehicleId, make: 'TESLA', model: 'Model 3', year: 2024, mode: 'simulated', powertrainType: 'BEV' }, signals };
    };
    const integration = async (id: string, triggers: Trigger[], signals: string[], errorUrl: string | null = null) => {
      await new IntegrationsRepo(storage.db).create({
        id, app_id: 'app1', name: `hook ${id}`, url: rx.url('/events'), kind: 'integration', cadence: null, topics: '[]', status: 'active',
        verified_at: 0, next_run_at: null, created_at: clock.now(), deleted_at: null, anchor_at: null,
        triggers: JSON.stringify(triggers), signals: JSON.stringify(signals), error_url: errorUrl, auto_subscribe: 0,
      });
    };
    const subscribe = async (webhookId: string, vehicleId: string) => {
      expect(await new IntegrationsRepo(storage.db).subscribe('app1', webhookId, vehicleId, `owner-${vehicleId}`, clock.now())).toBe(true);
      await events.subscribed(webhookId, vehicleId);
    };
    const deliver = () => deliverer.runUntilIdle(50);
    const of = (webhookId: string) => rx.received.filter((r) => r.event.meta.webhookId === webhookId);

    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      amt = await seedApp(storage, 'app1');
      for (const v of ['car-a', 'car-b', 'car-c', 'car-d']) await connect(storage, 'app1', v, ['read_battery'], `owner-${v}`);
      rx = new V3Receiver(amt);
      await rx.start();
      events = new IntegrationEvents({ storage, clock, log: silent, read, publicUrl: 'http://opencar.test' });
      deliverer = new Deliverer(storage, new SigningKeys(storage.db, SECRET), clock, silent, { timeoutMs: 2000, targets: { allowPrivate: true }, random: () => 0.5 });
    });
    afterAll(async () => { await rx?.stop(); await dispose?.(); });

    it('sends FIRST_DELIVERY with every data signal after subscribing, then VEHICLE_STATE only when a trigger changes', async () => {
      cars.set('car-a', { values: { 'tractionbattery-stateofcharge': { value: 54, unit: 'percent' }, 'charge-ischarging': { value: false }, 'odometer-traveleddistance': { value: 1200, unit: 'km' } } });
      await integration('w1', [{ code: 'charge-ischarging' }], ['tractionbattery-stateofcharge', 'charge-ischarging', 'odometer-traveleddistance']);
      await subscribe('w1', 'car-a');
      await deliver();
      const [first] = of('w1');
      expect(first!.event.eventType).toBe('VEHICLE_STATE');
      expect(first!.event.data.triggers).toEqual([{ code: 'FIRST_DELIVERY' }]);
      expect((first!.event.data.signals as SignalItem[]).map((s) => s.code)).toEqual(['tractionbattery-stateofcharge', 'charge-ischarging', 'odometer-traveleddistance']);
      expect(first!.event.meta).toMatchObject({ version: '4.0', webhookId: 'w1', webhookName: 'hook w1', sequence: 1, signalCount: 3, mode: 'TEST' });

      // A non-trigger signal changes: nothing is sent. The trigger changes: one event with all data signals.
      cars.get('car-a')!.values['odometer-traveleddistance'] = { value: 1230, unit: 'km' };
      expect(await events.observe(['car-a'])).toBe(0);
      cars.get('car-a')!.values['charge-ischarging'] = { value: true };
      expect(await events.observe(['car-a'])).toBe(1);
      expect(await events.observe(['car-a'])).toBe(0);
      await deliver();
      const second = of('w1')[1]!;
      expect(second.event.data.triggers).toEqual([{ code: 'charge-ischarging' }]);
      expect(second.event.meta.sequence).toBe(2);
      expect((second.event.data.signals as SignalItem[]).find((s) => s.code === 'odometer-traveleddistance')!.body).toEqual({ value: 1230, unit: 'km' });
      expect(of('w1')).toHaveLength(2);
    });

    it('sends FIRST_DELIVERY again when the vehicle is subscribed again, the sequence going on', async () => {
      const repo = new IntegrationsRepo(storage.db);
      expect(await repo.unsubscribe('w1', 'car-a')).toBe(true);
      await subscribe('w1', 'car-a');
      await deliver();
      const again = of('w1').at(-1)!;
      expect(again.event.data.triggers).toEqual([{ code: 'FIRST_DELIVERY' }]);
      expect(again.event.meta.sequence).toBe(3);
      rx.received.splice(rx.received.indexOf(again), 1);
    });

    it('has the exact payload 4.0 key sets, compact JSON that re-serialises byte for byte, signed over the raw bytes', () => {
      for (const r of of('w1')) {
        expect(r.signed).toBe(true);
        expect(JSON.stringify(JSON.parse(r.raw))).toBe(r.raw);
        expect(Object.keys(r.event)).toEqual(EVENT_KEYS);
        expect(Object.keys(r.event.meta)).toEqual(META_KEYS);
        expect(Object.keys(r.event.data)).toEqual(['user', 'vehicle', 'triggers', 'signals']);
        expect(Object.keys(r.event.data.user as object)).toEqual(['id', 'externalId']);
        expect(Object.keys(r.event.data.vehicle as object)).toEqual(['id', 'make', 'model', 'year', 'mode', 'powertrainType']);
        for (const s of r.event.data.signals as object[]) expect(Object.keys(s)).toEqual(['code', 'name', 'group', 'body', 'status', 'meta']);
        expect(typeof r.event.meta.deliveredAt).toBe('number');
      }
    });

    it('condition trigger: fires below the threshold at most once per cooldown', async () => {
      cars.set('car-b', { values: { 'tractionbattery-stateofcharge': { value: 30, unit: 'percent' } } });
      await integration('w2', [{ code: 'tractionbattery-stateofcharge', op: '<', value: 20, cooldownSeconds: 3600 }], ['tractionbattery-stateofcharge']);
      await subscribe('w2', 'car-b');
      const soc = async (v: number) => { cars.get('car-b')!.values['tractionbattery-stateofcharge'] = { value: v, unit: 'percent' }; return events.observe(['car-b']); };
      expect(await soc(25)).toBe(0);
      expect(await soc(19)).toBe(1);
      clock.advance(10 * 60_000);
      expect(await soc(18)).toBe(0); // inside the cooldown
      clock.advance(51 * 60_000);
      expect(await soc(17)).toBe(1); // an hour after the last event
      expect(await soc(35)).toBe(0); // above the threshold
      await deliver();
      const sent = of('w2');
      expect(sent.map((r) => r.event.data.triggers)).toEqual([[{ code: 'FIRST_DELIVERY' }], ...[1, 2].map(() => [{ code: 'tractionbattery-stateofcharge', op: '<', value: 20, cooldownSeconds: 3600 }])]);
      expect(sent.map((r) => r.event.meta.sequence)).toEqual([1, 2, 3]);
    });

    it('VEHICLE_ERROR reports ERROR when reads start failing and RESOLVED when they stop, to the error callback URI', async () => {
      cars.set('car-c', { values: { 'tractionbattery-stateofcharge': { value: 60, unit: 'percent' } } });
      await integration('w3', [{ code: 'tractionbattery-stateofcharge' }], ['tractionbattery-stateofcharge'], rx.url('/errors'));
      await subscribe('w3', 'car-c');
      cars.get('car-c')!.error = { type: 'VEHICLE_STATE', code: 'ASLEEP' };
      expect(await events.observe(['car-c'])).toBe(2); // the trigger's value changed (now an error) and the error started
      expect(await events.observe(['car-c'])).toBe(0);
      delete cars.get('car-c')!.error;
      cars.get('car-c')!.error = { type: 'CONNECTED_SERVICES_ACCOUNT', code: 'AUTHENTICATION_FAILED' };
      await events.observe(['car-c']);
      delete cars.get('car-c')!.error;
      await events.observe(['car-c']);
      await deliver();
      const errors = of('w3').filter((r) => r.event.eventType === 'VEHICLE_ERROR');
      expect(errors.every((r) => r.path === '/errors' && r.signed)).toBe(true);
      expect(of('w3').filter((r) => r.event.eventType === 'VEHICLE_STATE').every((r) => r.path === '/events')).toBe(true);
      const states = errors.map((r) => (r.event.data.errors as { type: string; code: string; state: string }[]).map((e) => `${e.state} ${e.type}:${e.code}`));
      expect(states).toEqual([
        ['ERROR VEHICLE_STATE:ASLEEP'],
        ['ERROR CONNECTED_SERVICES_ACCOUNT:AUTHENTICATION_FAILED', 'RESOLVED VEHICLE_STATE:ASLEEP'],
        ['RESOLVED CONNECTED_SERVICES_ACCOUNT:AUTHENTICATION_FAILED'],
      ]);
      const item = (errors[0]!.event.data.errors as object[])[0]!;
      expect(Object.keys(item)).toEqual(['type', 'code', 'state', 'description', 'suggestedUserMessage', 'docURL', 'resolution', 'signals']);
      expect(item).toMatchObject({ signals: ['tractionbattery-stateofcharge'], docURL: 'http://opencar.test/docs/errors/vehicle-state-errors#asleep' });
      expect(Object.keys(errors[0]!.event.data)).toEqual(['user', 'vehicle', 'errors']);
      // Sequence runs over both kinds of event, per vehicle per webhook.
      expect(of('w3').map((r) => r.event.meta.sequence)).toEqual(of('w3').map((_, i) => i + 1));
    });

    it('reports a signal the vehicle cannot supply as COMPATIBILITY VEHICLE_NOT_CAPABLE', async () => {
      cars.set('car-d', { values: { 'tractionbattery-stateofcharge': { value: 70, unit: 'percent' } }, unavailable: ['closure-islocked'] });
      await integration('w4', [{ code: 'closure-islocked' }], ['tractionbattery-stateofcharge'], null);
      await subscribe('w4', 'car-d');
      await deliver();
      const err = of('w4').find((r) => r.event.eventType === 'VEHICLE_ERROR')!;
      expect(err.path).toBe('/events');
      expect(err.event.data.errors).toMatchObject([{ type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE', state: 'ERROR', signals: ['closure-islocked'] }]);
    });

    it('keeps eventId across retries with a new deliveryId each attempt while the receiver is down for a virtual 24 h, in per-vehicle order', async () => {
      rx.received.length = 0;
      rx.failWith = 503;
      const produced: string[] = [];
      for (let i = 0; i < 4; i++) {
        cars.get('car-a')!.values['charge-ischarging'] = { value: i % 2 === 1 };
        expect(await events.observe(['car-a'])).toBe(1);
      }
      const start = clock.now();
      for (let i = 0; i < 200 && clock.now() - start < 24 * 3_600_000; i++) {
        await deliver();
        clock.advance(15 * 60_000);
      }
      const attempts = rx.received.filter((r) => r.event.meta.webhookId === 'w1');
      expect(attempts.length).toBeGreaterThan(4);
      // While the head is failing, the later events of the vehicle wait: only one eventId is ever tried.
      expect(new Set(attempts.map((r) => r.event.eventId)).size).toBe(1);
      expect(new Set(attempts.map((r) => r.event.meta.deliveryId)).size).toBe(attempts.length);
      expect(new Set(attempts.map((r) => r.raw.replace(/"deliveryId":"[^"]+","deliveredAt":\d+/, ''))).size).toBe(1);
      rx.failWith = null;
      clock.advance(3_600_000);
      for (let i = 0; i < 20; i++) { await deliver(); clock.advance(60_000); }
      const accepted = rx.received.filter((r) => r.event.meta.webhookId === 'w1' && (r as unknown as { ok: boolean }).ok);
      produced.push(...accepted.map((r) => r.event.eventId));
      expect(accepted.map((r) => r.event.meta.sequence)).toEqual([4, 5, 6, 7]);
      expect(new Set(produced).size).toBe(4);
      expect(accepted.every((r) => r.signed)).toBe(true);
    });
  });
}
