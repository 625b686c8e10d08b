import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import { SIGNALS_BY_CODE } from '@opencar/api';
import { IntegrationsRepo, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { Deliverer, IntegrationEvents, IntegrationService, SigningKeys, type VehicleSnapshot } from '../src/index.js';
import { hmacHex, receiverServer, V3Receiver, type V3Event } from '../../../examples/v3-webhook-receiver/receiver.js';
import { connect, SECRET, seedApp, silent } from './fixtures.js';

const sign = (amt: string, e: object) => { const raw = Buffer.from(JSON.stringify(e)); return { raw, sig: hmacHex(amt, raw) }; };
const ev = (eventId: string, sequence: number, vehicle = 'v1') => ({ eventId, eventType: 'VEHICLE_STATE', data: { vehicle: { id: vehicle } }, meta: { version: '4.0', webhookId: 'w', sequence } });

describe('the example receiver (examples/v3-webhook-receiver)', () => {
  it('answers VERIFY, refuses a bad signature, skips repeated eventIds and hands events on in sequence order', async () => {
    const amt = 'amt-kit-0123456789';
    const got: string[] = [];
    const kit = new V3Receiver({ amt, onEvent: (e) => { got.push(e.eventId); } });
    const verify = await kit.handle(Buffer.from(JSON.stringify({ eventId: 'x', eventType: 'VERIFY', data: { challenge: 'abc' }, meta: {} })), undefined);
    expect(verify).toEqual({ status: 200, body: JSON.stringify({ challenge: hmacHex(amt, 'abc') }) });
    const a = sign(amt, ev('e1', 1));
    expect((await kit.handle(a.raw, hmacHex('other', a.raw))).status).toBe(401);
    // One changed byte after signing is refused.
    expect((await kit.handle(Buffer.from(a.raw.toString().replace('"e1"', '"e9"')), a.sig)).status).toBe(401);
    for (const [id, seq] of [['e1', 1], ['e3', 3], ['e1', 1], ['e2', 2], ['e4', 4], ['e3', 3]] as const) {
      const s = sign(amt, ev(id, seq));
      expect((await kit.handle(s.raw, s.sig)).status).toBe(204);
    }
    expect(got).toEqual(['e1', 'e2', 'e3', 'e4']);
  });
});

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`the example receiver against opencar's delivery engine [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let server: Server;
    let amt: string;
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const got: V3Event[] = [];
    let failing = false;
    let soc = 50;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      amt = await seedApp(storage, 'app1');
      await connect(storage, 'app1', 'car-1', ['read_battery'], 'owner-1');
      const kit = new V3Receiver({ amt, onEvent: (e) => { if (failing) throw new Error('app down'); got.push(e); } });
      server = receiverServer(kit);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    });
    afterAll(async () => { server?.closeAllConnections(); await new Promise((r) => server?.close(r)); await dispose?.(); });

    it('is verified by VERIFY, then gets every event once and in order through an outage', async () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
      const svc = new IntegrationService({ storage, clock, log: silent, secretKey: SECRET, catalogue: SIGNALS_BY_CODE, targets: { allowPrivate: true } });
      const hook = await svc.create('app1', { name: 'kit', callbackUri: url, triggers: [{ code: 'tractionbattery-stateofcharge' }], signals: ['tractionbattery-stateofcharge'], isEnabled: true });
      expect(hook.verification).toEqual({ verified: true });
      expect(hook.isEnabled).toBe(true);
      const read = async (sub: { userId: string; vehicleId: string }, codes: string[]): Promise<VehicleSnapshot> => ({
        user: { id: sub.userId, externalId: null }, vehicle: { id: sub.vehicleId, make: 'KIA', model: 'EV6', year: 2024, mode: 'simulated', powertrainType: 'BEV' },
        signals: codes.map((code) => ({ code, name: 'StateOfCharge', group: 'TractionBattery', body: { value: soc, unit: 'percent' }, status: { value: 'SUCCESS' as const }, meta: { oemUpdatedAt: clock.now(), retrievedAt: clock.now() } })),
      });
      const events = new IntegrationEvents({ storage, clock, log: silent, read, publicUrl: 'http://opencar.test' });
      const deliverer = new Deliverer(storage, new SigningKeys(storage.db, SECRET), clock, silent, { timeoutMs: 2000, targets: { allowPrivate: true }, random: () => 0.5 });
      expect(await new IntegrationsRepo(storage.db).subscribe('app1', hook.id, 'car-1', 'owner-1', clock.now())).toBe(true);
      await events.subscribed(hook.id, 'car-1');
      failing = true;
      for (let i = 0; i < 5; i++) { soc -= 1; await events.observe(['car-1']); }
      for (let i = 0; i < 30; i++) { await deliverer.runUntilIdle(20); clock.advance(30 * 60_000); }
      expect(got).toHaveLength(0);
      failing = false;
      for (let i = 0; i < 30; i++) { await deliverer.runUntilIdle(20); clock.advance(30 * 60_000); }
      expect(got.map((e) => e.meta.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(got.map((e) => e.eventId)).size).toBe(6);
    });
  });
}
