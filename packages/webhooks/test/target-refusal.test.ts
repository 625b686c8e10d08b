import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { ManualClock, loadConfig } from '@opencar/core';
import { openStorage, type Storage } from '@opencar/storage';
import { buildApp, createPlatform, type Platform } from '@opencar/server';
import { SECRET, connect, emit, event, seedApp } from './fixtures.js';
import { Receiver } from './receiver.js';

/**
 * The whole platform with OPENCAR_WEBHOOK_ALLOW_PRIVATE=false and a real receiver on 127.0.0.1:
 * no spelling of a loopback target can be registered or verified, a stored one is never reached
 * by deliveries, and the receiver never sees a request.
 */
describe('webhook targets with OPENCAR_WEBHOOK_ALLOW_PRIVATE=false', () => {
  let storage: Storage;
  let platform: Platform;
  let app: FastifyInstance;
  let rx: Receiver;
  let auth: string;
  const clock = new ManualClock(Date.UTC(2026, 5, 15));
  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', OPENCAR_SECRET_KEY: SECRET, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://opencar.test', OPENCAR_WEBHOOK_TIMEOUT_MS: '500', OPENCAR_WEBHOOK_ALLOW_PRIVATE: 'false' });
    storage = await openStorage(config.databaseUrl);
    platform = await createPlatform({ config, secretKey: SECRET, storage, clock, log: pino({ level: 'silent' }) });
    app = await buildApp(platform);
    const amt = await seedApp(storage, 'guarded', 'enterprise');
    await connect(storage, 'guarded', 'veh-1');
    auth = `Basic ${Buffer.from(`default:${amt}`).toString('base64')}`;
    rx = new Receiver(amt);
    await rx.start();
  });
  afterAll(async () => { await app?.close(); await platform?.close(); await storage?.close(); await rx?.stop(); });

  it('refuses to register a loopback or link-local receiver with a VALIDATION error, and sends nothing', async () => {
    const spellings = [rx.url, rx.url.replace('127.0.0.1', 'localhost'), rx.url.replace('127.0.0.1', '[::1]'), rx.url.replace('127.0.0.1', '2130706433'),
      rx.url.replace('127.0.0.1', '127.1'), rx.url.replace('127.0.0.1', '[::ffff:127.0.0.1]'), 'http://169.254.169.254/latest/meta-data/', 'http://0.0.0.0:9/'];
    for (const url of spellings) {
      const res = await app.inject({ method: 'POST', url: '/v2.0/management/webhooks', headers: { authorization: auth }, payload: { url, type: 'eventBased' } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ type: 'VALIDATION', code: 'PARAMETER', description: expect.stringContaining('not an allowed webhook target') });
    }
    expect((await app.inject({ url: '/v2.0/management/webhooks', headers: { authorization: auth } })).json()).toEqual({ webhooks: [] });
    expect(rx.received).toHaveLength(0);
  });

  it('never delivers to, or verifies, a loopback receiver stored earlier', async () => {
    const id = '5d2f0c51-7a0e-4c1b-9d36-0b8f7d0f2a11';
    await platform.webhooks.repo.createWebhook({ id, app_id: 'guarded', name: 'old', url: rx.url, status: 'active', verified_at: 0, created_at: 0, deleted_at: null, anchor_at: null, kind: 'event', cadence: null, topics: JSON.stringify(['CHARGING_STARTED']), next_run_at: null });
    expect(await platform.webhooks.subscribe('guarded', id, 'veh-1')).toBe(true);
    await emit(storage, platform.webhooks, [event('veh-1', clock.now())]);
    expect(await platform.webhooks.deliverer.runUntilIdle(1)).toBe(1);
    const [d] = await platform.webhooks.deliveries('guarded', id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/^refused: .*loopback/) });
    const verify = await app.inject({ method: 'POST', url: `/v2.0/management/webhooks/${id}/verify`, headers: { authorization: auth } });
    expect(verify.statusCode).toBe(400);
    expect(verify.json()).toMatchObject({ type: 'VALIDATION', code: 'PARAMETER' });
    expect(rx.received).toHaveLength(0);
  });
});
