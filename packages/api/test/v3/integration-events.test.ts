import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptSecret, sha256, uuid } from '@opencar/core';
import { clockControl, drive, setState } from '@opencar/connectors';
import { AccountsRepo, IntegrationsRepo } from '@opencar/storage';
import { connectForTest } from '@opencar/oauth';
import { V3Receiver } from '../../../webhooks/test/v3-receiver.js';
import { ALL_PERMISSIONS, v3World } from './fixture.js';

type W = Awaited<ReturnType<typeof v3World>>;
interface Sig { code: string; body: { value?: unknown } | null; status: { value: string } }

/**
 * API v3 integrations on the whole platform with the simulator: trigger evaluation runs after each
 * change of a simulated vehicle on its virtual clock (charging, driving, locking, SoC steps), and
 * the v2 delivery engine sends the payload 4.0 events.
 */
describe('API v3 events from simulated vehicles', () => {
  let w: W;
  let rx: V3Receiver;
  let appId: string;
  let vehicleId: string;
  let userId: string;
  const SECRET_KEY = 'test-secret-key-0123456789';
  const amt = 'amt-integration-events-0123456789';

  const flush = async () => {
    await w.platform.integrationEvents.idle();
    await w.platform.webhooks.deliverer.runUntilIdle(50);
  };
  const events = (webhookId: string) => rx.received.filter((r) => r.event.meta.webhookId === webhookId);
  const triggersOf = (webhookId: string) => events(webhookId).map((r) => (r.event.data.triggers as { code: string }[]).map((t) => t.code).join(','));
  const signal = (r: { event: { data: Record<string, unknown> } }, code: string) => (r.event.data.signals as Sig[]).find((s) => s.code === code);
  const integration = async (id: string, triggers: unknown[], signals: string[], errorUrl: string | null = null) => {
    await new IntegrationsRepo(w.platform.storage.db).create({
      id, app_id: appId, name: id, url: rx.url('/events'), kind: 'integration', cadence: null, topics: '[]', status: 'active', verified_at: 0,
      next_run_at: null, created_at: w.clock.now(), deleted_at: null, anchor_at: null, triggers: JSON.stringify(triggers), signals: JSON.stringify(signals),
      error_url: errorUrl, auto_subscribe: 0,
    });
    const r = await w.platform.integrations.subscribe(appId, id, vehicleId, userId);
    expect(r.created).toBe(true);
    await flush();
  };

  beforeAll(async () => {
    w = await v3World({ OPENCAR_WEBHOOK_ALLOW_PRIVATE: 'true' });
    await w.platform.chargeScheduleRunner.close();
    rx = new V3Receiver(amt);
    await rx.start();
    const accounts = new AccountsRepo(w.platform.storage.db);
    const devId = uuid();
    await accounts.createDeveloper({ id: devId, email: `dev-${devId}@example.com`, password_hash: null, name: 'Dev', tos_version: null, tos_accepted_at: null, plan: 'enterprise', plan_limits: null, status: 'active', created_at: w.clock.now() });
    appId = uuid();
    await accounts.createApp({
      id: appId, developerId: devId, name: 'events', logoUrl: null, clientSecretHash: sha256('s'), amtHash: sha256(amt), amtEnc: encryptSecret(SECRET_KEY, amt),
      redirectUris: ['https://app.example/cb'], defaultScope: [], mode: 'simulated', simLatency: null,
    }, w.clock.now());
    const r = await w.platform.backend.signIn({ make: 'TESLA', email: '5YJ3E1EA7KF000071@bev.smartcar.com', password: 'x', mode: 'simulated', country: 'US' });
    if (!r.ok) throw new Error('sign-in failed');
    vehicleId = r.vehicles[0]!.vehicleId;
    userId = r.accountId;
    await connectForTest(w.platform.storage, w.clock, { appId, userId, vehicleIds: [vehicleId], permissions: ALL_PERMISSIONS, mode: 'simulated' });
    await setState(w.platform.simulator.sim, vehicleId, { pluggedIn: false, soc: 0.5, locked: true, latency: 'zero' });
  });
  afterAll(async () => { await rx?.stop(); await w?.close(); });

  it('FIRST_DELIVERY, then charging, SoC steps on the virtual clock, locking and driving each fire their trigger', async () => {
    await integration('all', [{ code: 'charge-ischarging' }, { code: 'closure-islocked' }, { code: 'motion-currentspeed' }],
      ['charge-ischarging', 'closure-islocked', 'tractionbattery-stateofcharge', 'motion-currentspeed']);
    await integration('soc', [{ code: 'tractionbattery-stateofcharge' }], ['tractionbattery-stateofcharge']);
    expect(triggersOf('all')).toEqual(['FIRST_DELIVERY']);
    const first = events('all')[0]!;
    expect((first.event.data.signals as Sig[]).map((s) => s.code)).toEqual(['charge-ischarging', 'closure-islocked', 'tractionbattery-stateofcharge', 'motion-currentspeed']);
    expect(signal(first, 'tractionbattery-stateofcharge')!.body).toMatchObject({ value: 50, unit: 'percent' });
    expect(first.event.data.vehicle).toMatchObject({ id: vehicleId, make: 'TESLA', mode: 'simulated', powertrainType: 'BEV' });
    expect(first.event.meta).toMatchObject({ mode: 'TEST', sequence: 1, signalCount: 4 });

    // Charging starts (plugging in starts charging).
    await setState(w.platform.simulator.sim, vehicleId, { pluggedIn: true });
    await flush();
    expect(triggersOf('all')).toEqual(['FIRST_DELIVERY', 'charge-ischarging']);
    expect(signal(events('all')[1]!, 'charge-ischarging')!.body).toEqual({ value: true });

    // SoC steps while charging: virtual time passes, the sweep observes the vehicle.
    const socBefore = events('soc').length;
    await clockControl(w.platform.simulator.sim, vehicleId, { action: 'advance', ms: 20 * 60_000 });
    await flush();
    await w.platform.integrationEvents.sweep();
    await flush();
    const socEvents = events('soc').slice(socBefore);
    expect(socEvents.length).toBeGreaterThan(0);
    expect((signal(socEvents.at(-1)!, 'tractionbattery-stateofcharge')!.body as { value: number }).value).toBeGreaterThan(50);

    // Locking.
    await setState(w.platform.simulator.sim, vehicleId, { pluggedIn: false, locked: false });
    await flush();
    expect(triggersOf('all').at(-1)).toContain('closure-islocked');

    // Driving.
    await drive(w.platform.simulator.sim, vehicleId, [[37.7749, -122.4194], [37.8044, -122.2712]], 60);
    await flush();
    const last = events('all').at(-1)!;
    expect(triggersOf('all').at(-1)).toContain('motion-currentspeed');
    expect((signal(last, 'motion-currentspeed')!.body as { value: number }).value).toBeGreaterThan(0);

    // Per vehicle per webhook, sequence counts up with no gap; every body is signed over its bytes.
    for (const id of ['all', 'soc']) {
      expect(events(id).map((r) => r.event.meta.sequence)).toEqual(events(id).map((_, i) => i + 1));
      expect(events(id).every((r) => r.signed && JSON.stringify(JSON.parse(r.raw)) === r.raw)).toBe(true);
    }
  });

  it('a vehicle that goes offline reports VEHICLE_ERROR ERROR, then RESOLVED when it is back, to the error callback URI', async () => {
    await integration('errors', [{ code: 'closure-islocked' }], ['closure-islocked'], rx.url('/errors'));
    await setState(w.platform.simulator.sim, vehicleId, { offline: true });
    await flush();
    await setState(w.platform.simulator.sim, vehicleId, { offline: false });
    await flush();
    const errs = events('errors').filter((r) => r.event.eventType === 'VEHICLE_ERROR');
    expect(errs.map((r) => r.path)).toEqual(['/errors', '/errors']);
    const [opened, resolved] = errs.map((r) => (r.event.data.errors as { type: string; code: string; state: string; signals: string[] }[])[0]!);
    expect(opened!.state).toBe('ERROR');
    expect(resolved).toMatchObject({ type: opened!.type, code: opened!.code, state: 'RESOLVED', signals: ['closure-islocked'] });
  });
});
