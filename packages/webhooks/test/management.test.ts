import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { ManualClock, loadConfig } from '@opencar/core';
import { openStorage, type Storage } from '@opencar/storage';
import { buildApp, createPlatform, type Platform } from '@opencar/server';
import { SECRET, connect, emit, event, seedApp } from './fixtures.js';
import { Receiver } from './receiver.js';

/** The management endpoints over HTTP (inject), with a real receiver on 127.0.0.1. */
describe('webhook and usage management API', () => {
  let storage: Storage;
  let platform: Platform;
  let app: FastifyInstance;
  let rx: Receiver;
  let auth: string;
  const clock = new ManualClock(Date.UTC(2026, 5, 15));
  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', OPENCAR_SECRET_KEY: SECRET, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://opencar.test', OPENCAR_WEBHOOK_TIMEOUT_MS: '500' });
    storage = await openStorage(config.databaseUrl);
    platform = await createPlatform({ config, secretKey: SECRET, storage, clock, log: pino({ level: 'silent' }) });
    app = await buildApp(platform);
    const amt = await seedApp(storage, 'mgmt', 'enterprise');
    await seedApp(storage, 'freeapp', 'free');
    await connect(storage, 'mgmt', 'veh-1');
    auth = `Basic ${Buffer.from(`default:${amt}`).toString('base64')}`;
    rx = new Receiver(amt);
    await rx.start();
  });
  afterAll(async () => { await app?.close(); await platform?.close(); await storage?.close(); await rx?.stop(); });

  it('rejects calls without the management token', async () => {
    const res = await app.inject({ method: 'GET', url: '/v2.0/management/webhooks' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ type: 'AUTHENTICATION', code: null });
    const wrong = await app.inject({ method: 'GET', url: '/v2.0/management/webhooks', headers: { authorization: `Basic ${Buffer.from('default:nope').toString('base64')}` } });
    expect(wrong.statusCode).toBe(401);
  });

  it('registers (verified), lists, shows deliveries with their log, redelivers and deletes', async () => {
    const created = await app.inject({ method: 'POST', url: '/v2.0/management/webhooks', headers: { authorization: auth }, payload: { name: 'charging', url: rx.url, type: 'eventBased' } });
    expect(created.statusCode).toBe(201);
    const hook = created.json() as { id: string; status: string; verification: { verified: boolean } };
    expect(hook).toMatchObject({ status: 'active', verification: { verified: true }, type: 'eventBased', events: ['CHARGING_STARTED', 'CHARGING_STOPPED', 'CHARGING_COMPLETED'] });
    expect(await platform.webhooks.subscribe('mgmt', hook.id, 'veh-1')).toBe(true);
    expect(await platform.webhooks.subscribe('freeapp', hook.id, 'veh-1')).toBe(false); // another app's webhook

    await emit(storage, platform.webhooks, [event('veh-1', clock.now(), 'CHARGING_COMPLETED')]);
    await platform.webhooks.deliverer.runUntilIdle();
    const list = await app.inject({ method: 'GET', url: `/v2.0/management/webhooks/${hook.id}/deliveries`, headers: { authorization: auth } });
    const [d] = (list.json() as { deliveries: { id: string; status: string; body: { payload: { eventType: string } } }[] }).deliveries;
    expect(d).toMatchObject({ status: 'delivered', body: { payload: { eventType: 'CHARGING_COMPLETED' } } });
    const detail = await app.inject({ method: 'GET', url: `/v2.0/management/deliveries/${d!.id}`, headers: { authorization: auth } });
    expect((detail.json() as { log: { responseStatus: number }[] }).log).toMatchObject([{ responseStatus: 204 }]);

    const again = await app.inject({ method: 'POST', url: `/v2.0/management/deliveries/${d!.id}/redeliver`, headers: { authorization: auth } });
    expect(again.statusCode).toBe(202);
    await platform.webhooks.deliverer.runUntilIdle();
    expect(rx.events().filter((e) => e.deliveryId === d!.id)).toHaveLength(2);

    const all = await app.inject({ method: 'GET', url: '/v2.0/management/webhooks', headers: { authorization: auth } });
    expect((all.json() as { webhooks: { vehicles: string[] }[] }).webhooks[0]!.vehicles).toEqual(['veh-1']);
    const del = await app.inject({ method: 'DELETE', url: `/v2.0/management/webhooks/${hook.id}`, headers: { authorization: auth } });
    expect(del.json()).toEqual({ status: 'success' });
    const gone = await app.inject({ method: 'GET', url: `/v2.0/management/webhooks/${hook.id}`, headers: { authorization: auth } });
    expect(gone.statusCode).toBe(404);
  });

  it('validates registrations and gates event webhooks by plan', async () => {
    const bad = await app.inject({ method: 'POST', url: '/v2.0/management/webhooks', headers: { authorization: auth }, payload: { url: rx.url, type: 'scheduled', endpoints: ['/battery'], cadence: 'sometimes' } });
    expect(bad.statusCode).toBe(400);
    const freeAuth = `Basic ${Buffer.from('default:amt-freeapp-0123456789').toString('base64')}`;
    const gated = await app.inject({ method: 'POST', url: '/v2.0/management/webhooks', headers: { authorization: freeAuth }, payload: { url: rx.url, type: 'eventBased' } });
    expect(gated.statusCode).toBe(430);
    expect(gated.json()).toMatchObject({ type: 'BILLING', code: 'INVALID_PLAN' });
  });

  it('reports usage for a month and 404s a statement that does not exist yet', async () => {
    await platform.metering.record({ requestId: 'r-usage-1', at: clock.now(), appId: 'mgmt', vehicleId: 'veh-1', userId: null, endpoint: 'GET /v2.0/vehicles/:id/battery', method: 'GET', status: 200, latencyMs: 2, units: 1, woke: false, requestClass: 'data' });
    const res = await app.inject({ method: 'GET', url: '/v2.0/management/usage?month=2026-06', headers: { authorization: auth } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ appId: 'mgmt', month: '2026-06', requests: 1, billableRequests: 1, vehicles: 1, byEndpoint: [{ endpoint: 'GET /v2.0/vehicles/:id/battery', requests: 1, billableRequests: 1 }] });
    const st = await app.inject({ method: 'GET', url: '/v2.0/management/statements/2026-06', headers: { authorization: auth } });
    expect(st.statusCode).toBe(404);
    const spec = await app.inject({ method: 'GET', url: '/openapi.json' });
    const paths = Object.keys((spec.json() as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(['/v2.0/management/webhooks', '/v2.0/management/usage', '/v2.0/management/deliveries/{id}/redeliver']));
  });
});
