import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@opencar/core';
import { IntegrationsRepo } from '@opencar/storage';
import { twoProcesses } from '../src/index.js';
import { connectVehicle } from './sdk-connect.js';

/**
 * Two real server processes on one PostgreSQL database, both evaluating API v3 triggers for the
 * same subscribed simulated vehicle and both delivering: each change becomes one event, and the
 * receiver gets each event once, with sequence numbers 1, 2, 3… without gap or repeat.
 */
const URL_ = process.env.TEST_DATABASE_URL;
const CLIENT = { id: 'v3ev-client-0001', secret: 'v3ev-client-secret-0123456789', amt: 'v3ev-amt-0123456789abcdef', redirect: 'https://app.example/callback' };
const basic = `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`;
interface Got { eventId: string; eventType: string; sequence: number; deliveryId: string; signed: boolean; locked: unknown }

describe.skipIf(!URL_)('API v3 events with two server processes sharing PostgreSQL', () => {
  const pair = twoProcesses({ url: URL_!, name: 'v3ev', client: CLIENT, secretKey: 'v3ev-two-secret-key-0123', env: { OPENCAR_WEBHOOK_ALLOW_PRIVATE: 'true' } });
  const servers = pair.servers;
  let rx: Server;
  const got: Got[] = [];
  let car = { token: '', vehicleId: '' };

  beforeAll(async () => {
    rx = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const e = JSON.parse(raw.toString('utf8')) as { eventId: string; eventType: string; data: { signals?: { code: string; body: { value?: unknown } | null }[] }; meta: { sequence: number; deliveryId: string } };
        got.push({
          eventId: e.eventId, eventType: e.eventType, sequence: e.meta.sequence, deliveryId: e.meta.deliveryId,
          signed: createHmac('sha256', CLIENT.amt).update(raw).digest('hex') === req.headers['sc-signature'],
          locked: e.data.signals?.find((s) => s.code === 'closure-islocked')?.body?.value,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
    car = await connectVehicle(servers[0]!.base, CLIENT, { make: 'TESLA', email: '5YJ3E1EA7KF000031@bev.smartcar.com' }, ['read_vehicle_info', 'read_security', 'control_security']);
    const userId = (await (await fetch(`${servers[0]!.base}/v2.0/user`, { headers: { authorization: `Bearer ${car.token}` } })).json() as { id: string }).id;
    const repo = new IntegrationsRepo(pair.storage.db);
    await repo.create({
      id: 'two-proc', app_id: CLIENT.id, name: 'two processes', url: `http://127.0.0.1:${(rx.address() as AddressInfo).port}/events`, kind: 'integration', cadence: null,
      topics: '[]', status: 'active', verified_at: 0, next_run_at: null, created_at: systemClock.now(), deleted_at: null, anchor_at: null,
      triggers: JSON.stringify([{ code: 'closure-islocked' }]), signals: JSON.stringify(['closure-islocked']), error_url: null, auto_subscribe: 0,
    });
    expect(await repo.subscribe(CLIENT.id, 'two-proc', car.vehicleId, userId, systemClock.now())).toBe(true);
  }, 120_000);

  afterAll(async () => { await new Promise((r) => rx?.close(r)); });

  it('each change is one event, delivered once, whichever process observed it', async () => {
    // Each process changes the car in turn (and observes after its own change; the other sees it too).
    const CHANGES = 6;
    const view = await (await fetch(`${servers[0]!.base}/simulator/vehicles/${car.vehicleId}`, { headers: { authorization: basic } })).json() as { state: { locked: boolean } };
    const lockedAt = (i: number) => (i % 2 === 0) !== view.state.locked; // every change flips the lock
    const patch = (i: number, locked: boolean) => fetch(`${servers[i % 2]!.base}/simulator/vehicles/${car.vehicleId}/state`, {
      method: 'PATCH', headers: { authorization: basic, 'content-type': 'application/json' }, body: JSON.stringify({ locked }),
    });
    // A first committed write (no change) makes the subscription's first observation: FIRST_DELIVERY.
    expect((await patch(0, view.state.locked)).status).toBe(200);
    for (let j = 0; j < 100 && got.length < 1; j++) await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < CHANGES; i++) {
      expect((await patch(i, lockedAt(i))).status).toBe(200);
      // Both processes read the car now (a read commits and is observed too).
      await Promise.all(servers.map((s) => fetch(`${s.base}/v2.0/vehicles/${car.vehicleId}/security`, { headers: { authorization: `Bearer ${car.token}` } })));
      for (let j = 0; j < 100 && got.filter((g) => g.eventType === 'VEHICLE_STATE').length < i + 2; j++) await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1500)); // both delivery loops run again: nothing comes twice
    const states = got.filter((g) => g.eventType === 'VEHICLE_STATE');
    expect(states.length, JSON.stringify(got)).toBe(CHANGES + 1); // FIRST_DELIVERY + one per change
    expect(new Set(got.map((g) => g.eventId)).size).toBe(got.length);
    expect(got.map((g) => g.sequence)).toEqual(got.map((_, i) => i + 1));
    expect(got.every((g) => g.signed)).toBe(true);
    expect(states.slice(1).map((g) => g.locked)).toEqual(Array.from({ length: CHANGES }, (_, i) => lockedAt(i)));
  }, 90_000);
});
