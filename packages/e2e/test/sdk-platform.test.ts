import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import smartcar from 'smartcar';
import { TEST_CLIENT } from '../src/index.js';
import { keysOf, sdkWorld, withMeta, type SdkWorld } from './sdk-connect.js';

/** Compatibility, management, webhook subscriptions and the SDK's webhook helpers against a live opencar. */
let w: SdkWorld;
const creds = { clientId: TEST_CLIENT.clientId, clientSecret: TEST_CLIENT.clientSecret };

beforeAll(async () => { w = await sdkWorld(); });
afterAll(async () => w?.close());

describe('compatibility API (client credentials)', () => {
  it('getCompatibility() answers per permission and endpoint from the simulator catalogue', async () => {
    const res = await smartcar.getCompatibility('5YJ3E1EA7KF000001', ['read_odometer', 'read_fuel'], 'US', creds);
    expect(keysOf(res)).toEqual(withMeta('capabilities', 'compatible', 'reason'));
    const caps = res.capabilities as { permission: string; endpoint: string; capable: boolean; reason: string | null }[];
    for (const c of caps) expect(keysOf(c)).toEqual(['capable', 'endpoint', 'permission', 'reason']);
    expect(caps.find((c) => c.endpoint === '/odometer')).toMatchObject({ permission: 'read_odometer', capable: true, reason: null });
    expect(caps.find((c) => c.endpoint === '/fuel')).toMatchObject({ capable: false, reason: 'VEHICLE_NOT_CAPABLE' });
    expect(res.compatible).toBe(false);
    const ok = await smartcar.getCompatibility('5YJ3E1EA7KF000001', ['read_odometer', 'read_battery'], creds);
    expect(ok).toMatchObject({ compatible: true, reason: null });
  });

  it('wrong client secret → AUTHENTICATION', async () => {
    await expect(smartcar.getCompatibility('5YJ3E1EA7KF000001', ['read_odometer'], 'US', { ...creds, clientSecret: 'nope' }))
      .rejects.toMatchObject({ statusCode: 401, type: 'AUTHENTICATION' });
  });

  it('getCompatibilityMatrix() lists models per make for a region', async () => {
    const res = await smartcar.getCompatibilityMatrix('US', { ...creds, make: 'TESLA FORD', type: 'BEV' });
    expect(keysOf(res)).toEqual(withMeta('FORD', 'TESLA'));
    const models = res.TESLA as Record<string, unknown>[];
    expect(models.length).toBeGreaterThan(0);
    for (const m of models) {
      expect(keysOf(m)).toEqual(['endYear', 'endpoints', 'model', 'permissions', 'startYear', 'type']);
      expect(m.type).toBe('BEV');
    }
  });
});

describe('management API (Basic default:AMT)', () => {
  it('getConnections() pages newest first and deleteConnections() removes and revokes', async () => {
    const first = await w.connect('TESLA', 'mgmt-one@example.com', ['read_odometer']);
    w.clock.advance(1000);
    const second = await w.connect('FORD', 'mgmt-two@example.com', ['read_odometer']);
    const page1 = await smartcar.getConnections(TEST_CLIENT.amt, {}, { limit: 1 });
    expect(keysOf(page1)).toEqual(withMeta('connections', 'paging'));
    const [c] = page1.connections as { userId: string; vehicleId: string; connectedAt: string; mode: string }[];
    expect(keysOf(c!)).toEqual(['connectedAt', 'mode', 'userId', 'vehicleId']);
    expect(c!.vehicleId).toBe(second.vehicleId);
    expect(new Date(c!.connectedAt).toISOString()).toBe(c!.connectedAt);
    const cursor = (page1.paging as { cursor: string }).cursor;
    expect(cursor).toEqual(expect.any(String));
    const page2 = await smartcar.getConnections(TEST_CLIENT.amt, {}, { limit: 1, cursor });
    expect((page2.connections as { vehicleId: string }[])[0]!.vehicleId).toBe(first.vehicleId);
    const byVehicle = await smartcar.getConnections(TEST_CLIENT.amt, { vehicleId: first.vehicleId });
    expect((byVehicle.connections as unknown[]).length).toBe(1);

    const removed = await smartcar.deleteConnections(TEST_CLIENT.amt, { vehicleId: first.vehicleId });
    expect(keysOf(removed)).toEqual(withMeta('connections'));
    expect(removed.connections).toEqual([{ userId: expect.any(String), vehicleId: first.vehicleId }]);
    await expect(first.vehicle.odometer()).rejects.toMatchObject({ statusCode: 401, type: 'AUTHENTICATION' });
    expect((await second.vehicle.odometer()).distance).toEqual(expect.any(Number));
  });

  it('a wrong management token → AUTHENTICATION', async () => {
    await expect(smartcar.getConnections('not-the-amt')).rejects.toMatchObject({ statusCode: 401, type: 'AUTHENTICATION' });
  });
});

describe('webhook subscriptions and helpers', () => {
  it('subscribe() with the access token, unsubscribe() with the management token', async () => {
    const hook = await w.server.platform.webhooks.create(TEST_CLIENT.clientId, { url: 'http://127.0.0.1:9/hook', type: 'scheduled', cadence: 'daily', endpoints: ['/odometer'] });
    const c = await w.connect('TESLA', 'webhook-owner@example.com', ['read_odometer']);
    const sub = await c.vehicle.subscribe(hook.id);
    expect(keysOf(sub)).toEqual(withMeta('vehicleId', 'webhookId'));
    expect(sub).toMatchObject({ webhookId: hook.id, vehicleId: c.vehicleId });
    await expect(c.vehicle.subscribe('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ statusCode: 400, type: 'VALIDATION' });
    await expect(c.vehicle.unsubscribe('wrong-amt', hook.id)).rejects.toMatchObject({ statusCode: 401, type: 'AUTHENTICATION' });
    const unsub = await c.vehicle.unsubscribe(TEST_CLIENT.amt, hook.id);
    expect(keysOf(unsub)).toEqual(withMeta('status'));
    expect(unsub.status).toBe('success');
  });

  it('hashChallenge() and verifyPayload() match the contract test vectors', () => {
    expect(smartcar.hashChallenge('amt', 'challenge')).toBe('9baf5a7464bd86740ad5a06e439dcf535a075022ed2c92d74efacf646d79328e');
    expect(smartcar.verifyPayload('amt', '4c05a8da471f05156ad717baa4017acd13a3a809850b9ca7d3301dcaaa854f70', { pizza: 'pasta' })).toBe(true);
    expect(smartcar.verifyPayload('amt', '4c05a8da471f05156ad717baa4017acd13a3a809850b9ca7d3301dcaaa854f71', { pizza: 'pasta' })).toBe(false);
  });

  it('exchangeRefreshToken() yields a working token', async () => {
    const c = await w.connect('TESLA', 'refresh-owner@example.com', ['read_odometer']);
    const client = new smartcar.AuthClient({ ...creds, redirectUri: TEST_CLIENT.redirectUri, mode: 'simulated' });
    const fresh = await client.exchangeRefreshToken(c.access.refreshToken);
    expect(fresh.expiration).toBeInstanceOf(Date);
    expect((await new smartcar.Vehicle(c.vehicleId, fresh.accessToken).odometer()).distance).toEqual(expect.any(Number));
  });
});
