import { describe, expect, it } from 'vitest';
import { apiApp, bearer, T0, world } from './fakes.js';

const json = { 'content-type': 'application/json' };

describe('vehicle API pipeline', () => {
  it('serves metric by default with data age and fetch time, and converts under imperial (header case-insensitive)', async () => {
    const w = world();
    const app = await apiApp(w);
    const metric = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/odometer', headers: { ...bearer('tok-all'), ...json } });
    expect(metric.json()).toEqual({ distance: 16093.44 });
    expect(metric.headers['sc-data-age']).toBe(new Date(T0 - 60_000).toISOString());
    expect(metric.headers['sc-fetched-at']).toBe(new Date(T0).toISOString());
    const imperial = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/odometer', headers: { ...bearer('tok-all'), 'SC-Unit-System': 'IMPERIAL' } });
    expect(imperial.json()).toEqual({ distance: 10000 });
    expect(imperial.headers['sc-unit-system']).toBe('imperial');
    const fuel = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/fuel', headers: { ...bearer('tok-all'), 'sc-unit-system': 'imperial' } });
    expect(fuel.json()).toEqual({ range: 200, percentRemaining: 0.5, amountRemaining: 10 });
    const tires = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/tires/pressure', headers: { ...bearer('tok-all'), 'sc-unit-system': 'imperial' } });
    expect(tires.json().frontLeft).toBeCloseTo(36.2594, 3);
    const history = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/service/history', headers: { ...bearer('tok-all'), 'sc-unit-system': 'imperial' } });
    expect(history.json()[0].odometerDistance).toBe(1000);
    await app.close();
  });

  it('never adds keys a connector returns beyond the documented body', async () => {
    const app = await apiApp(world());
    const res = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/charge', headers: bearer('tok-all') });
    expect(res.json()).toEqual({ isPluggedIn: true, state: 'CHARGING' });
    await app.close();
  });

  it('accepts the charge limit as number or numeric string, and rejects it outside 0.5–1 with detail', async () => {
    const w = world();
    const app = await apiApp(w);
    const post = (limit: unknown) => app.inject({ method: 'POST', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/charge/limit', headers: { ...bearer('tok-all'), ...json }, payload: JSON.stringify({ limit }) });
    expect((await post('0.8')).json()).toEqual({ status: 'success', message: 'Successfully sent request to vehicle' });
    expect((await post(0.9)).statusCode).toBe(200);
    expect(w.connectors.get('00000000-0000-4000-8000-000000000001')!.calls).toEqual(['setChargeLimit:0.8', 'set', 'setChargeLimit:0.9', 'set']);
    for (const bad of [1.2, '0.2', 'abc', null]) {
      const res = await post(bad);
      expect(res.statusCode, String(bad)).toBe(400);
      expect(res.json()).toMatchObject({ type: 'VALIDATION', code: null });
      expect(res.json().detail.length).toBeGreaterThan(0);
    }
    await app.close();
  });

  it('validates destination ranges', async () => {
    const app = await apiApp(world());
    const res = await app.inject({ method: 'POST', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/navigation/destination', headers: bearer('tok-all'), payload: { latitude: 91, longitude: 0 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().type).toBe('VALIDATION');
    const ok = await app.inject({ method: 'POST', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/navigation/destination', headers: bearer('tok-all'), payload: { latitude: -90, longitude: 180 } });
    expect(ok.statusCode).toBe(200);
    await app.close();
  });

  it('checks authentication before validating the body', async () => {
    const app = await apiApp(world());
    const res = await app.inject({ method: 'POST', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/charge/limit', headers: json, payload: '{"limit":5}' });
    expect(res.statusCode).toBe(401);
    await app.close();
  });

  it('answers 401 AUTHENTICATION before judging the query or the content type of an unauthenticated request', async () => {
    const app = await apiApp(world());
    const xml = { 'content-type': 'application/xml' };
    const cases = [
      { method: 'GET' as const, url: '/v2.0/vehicles?limit=abc' },
      { method: 'GET' as const, url: '/v2.0/management/connections?limit=abc' },
      { method: 'DELETE' as const, url: '/v2.0/management/connections?vehicle_id=00000000-0000-4000-8000-000000000001&limit=abc' },
      { method: 'POST' as const, url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/charge/limit', headers: xml, payload: '<limit/>' },
      { method: 'POST' as const, url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/security', headers: xml, payload: '<lock/>' },
      { method: 'POST' as const, url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/batch', headers: xml, payload: '<batch/>' },
      { method: 'POST' as const, url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/tesla/charge/ammeter', headers: xml, payload: '<amps/>' },
    ];
    for (const c of cases) {
      const res = await app.inject(c);
      expect(res.statusCode, `${c.method} ${c.url}`).toBe(401);
      expect(res.json().type).toBe('AUTHENTICATION');
    }
    const authed = await app.inject({ url: '/v2.0/vehicles?limit=abc', headers: bearer('tok-all') });
    expect(authed.statusCode).toBe(400);
    await app.close();
  });

  it('treats start_date=undefined as absent and rejects malformed dates', async () => {
    const w = world();
    const app = await apiApp(w);
    const res = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/service/history?start_date=undefined&end_date=undefined', headers: bearer('tok-all') });
    expect(res.statusCode).toBe(200);
    expect(Array.isArray(res.json())).toBe(true);
    expect(w.connectors.get('00000000-0000-4000-8000-000000000001')!.calls).toEqual(['serviceHistory:undefined:undefined']);
    const ranged = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/service/history?start_date=2025-01-01&end_date=2026-01-01', headers: bearer('tok-all') });
    expect(ranged.statusCode).toBe(200);
    expect(w.connectors.get('00000000-0000-4000-8000-000000000001')!.calls[1]).toBe('serviceHistory:2025-01-01:2026-01-01');
    const bad = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/service/history?start_date=yesterday', headers: bearer('tok-all') });
    expect(bad.statusCode).toBe(400);
    await app.close();
  });

  it('distinguishes an incapable vehicle from missing platform support', async () => {
    const w = world();
    const app = await apiApp(w);
    const res = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-00000000000e/battery', headers: bearer('tok-ice') });
    expect(res.statusCode).toBe(501);
    expect(res.json()).toMatchObject({ type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE' });
    const c = w.connectors.get('00000000-0000-4000-8000-000000000001')! as unknown as Record<string, unknown>;
    delete c.engineOil;
    const res2 = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/engine/oil', headers: bearer('tok-all') });
    expect(res2.json()).toMatchObject({ type: 'COMPATIBILITY', code: 'SMARTCAR_NOT_CAPABLE' });
    await app.close();
  });

  it('surfaces connector failures as catalogue errors, unbilled but logged', async () => {
    const w = world();
    w.connectors.get('00000000-0000-4000-8000-000000000001')!.asleep = true;
    const app = await apiApp(w);
    const res = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/location', headers: bearer('tok-all') });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ type: 'VEHICLE_STATE', code: 'ASLEEP', requestId: res.headers['sc-request-id'] });
    expect(w.ledger).toMatchObject([{ status: 409, units: 0, vehicleId: '00000000-0000-4000-8000-000000000001', appId: 'app-1', endpoint: 'GET /v2.0/vehicles/:id/location' }]);
    await app.close();
  });

  it('passes metering rejections through with retry-after', async () => {
    const w = world();
    w.rejectNext.key = 'RATE_LIMIT:VEHICLE';
    const app = await apiApp(w);
    const res = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/odometer', headers: bearer('tok-all') });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
    expect(w.connectors.get('00000000-0000-4000-8000-000000000001')!.calls).toEqual([]);
    await app.close();
  });

  it('accepts application/json on bodyless GET and {} on DELETE, with trailing slashes', async () => {
    const app = await apiApp(world());
    const attrs = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/', headers: { ...bearer('tok-all'), ...json } });
    expect(attrs.json()).toEqual({ id: '00000000-0000-4000-8000-000000000001', make: 'TESLA', model: 'Model 3', year: 2022 });
    const list = await app.inject({ url: '/v2.0/vehicles/', headers: { ...bearer('tok-all'), ...json } });
    expect(list.json()).toEqual({ vehicles: ['00000000-0000-4000-8000-000000000001'], paging: { count: 1, offset: 0 } });
    const del = await app.inject({ method: 'DELETE', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/application', headers: { ...bearer('tok-all'), ...json }, payload: '{}' });
    expect(del.json()).toEqual({ status: 'success' });
    await app.close();
  });

  it('disconnect revokes the vehicle for the token at once', async () => {
    const w = world();
    const app = await apiApp(w);
    await app.inject({ method: 'DELETE', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/application', headers: bearer('tok-all') });
    const after = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/odometer', headers: bearer('tok-all') });
    expect(after.statusCode).toBe(404);
    expect(w.connections.some((c) => c.vehicleId === '00000000-0000-4000-8000-000000000001')).toBe(false);
    await app.close();
  });

  it('pages /vehicles (default 10, max 50) and /permissions (default 25)', async () => {
    const w = world();
    const many = Array.from({ length: 60 }, (_, i) => `v${i}`);
    w.tokens.set('tok-many', { ...w.tokens.get('tok-all')!, vehicleIds: many });
    const app = await apiApp(w);
    const first = (await app.inject({ url: '/v2.0/vehicles', headers: bearer('tok-many') })).json();
    expect(first.vehicles).toHaveLength(10);
    expect(first.paging).toEqual({ count: 60, offset: 0 });
    const big = (await app.inject({ url: '/v2.0/vehicles?limit=100&offset=5', headers: bearer('tok-many') })).json();
    expect(big.vehicles).toHaveLength(50);
    expect(big.vehicles[0]).toBe('v5');
    const perms = (await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/permissions', headers: bearer('tok-all') })).json();
    expect(perms.paging).toEqual({ count: 18, offset: 0 });
    expect(perms.permissions).toHaveLength(18);
    const page2 = (await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/permissions?limit=5&offset=5', headers: bearer('tok-all') })).json();
    expect(page2.permissions).toHaveLength(5);
    expect((await app.inject({ url: '/v2.0/user', headers: bearer('tok-all') })).json()).toEqual({ id: 'user-1' });
    await app.close();
  });
});

describe('nominal battery capacity', () => {
  it('hands out the signed battery-capacity link in url when the capacity is not known, and none when it is', async () => {
    const w = world();
    const app = await apiApp(w);
    const known = (await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/battery/nominal_capacity', headers: bearer('tok-all') })).json();
    expect(known).toMatchObject({ capacity: { nominal: 75, source: 'SMARTCAR' }, url: null });
    const c = w.connectors.get('00000000-0000-4000-8000-000000000001')!;
    const unknownCapacity = { availableCapacities: [{ capacity: 75, description: null }], capacity: null, url: null };
    Object.assign(c, { nominalCapacity: () => Promise.resolve({ value: unknownCapacity, capturedAt: T0, oemUpdatedAt: T0, retrievedAt: T0, source: 'live' }) });
    const unknown = (await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/battery/nominal_capacity', headers: bearer('tok-all') })).json();
    expect(unknown.capacity).toBeNull();
    const url = new URL(unknown.url);
    expect(url.pathname).toBe('/battery-capacity');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ vehicle_id: '00000000-0000-4000-8000-000000000001', client_id: w.connections[0]!.appId, response_type: 'vehicle_id', redirect_uri: '' });
    expect(url.searchParams.get('token')).toMatch(/^\d+\.[0-9a-f]{64}$/);
    await app.close();
  });
});

describe('batch', () => {
  it('answers 200 with per-item code, body and headers, checks each item and bills successes', async () => {
    const w = world();
    const app = await apiApp(w);
    w.tokens.set('tok-some', { ...w.tokens.get('tok-all')!, permissions: new Set(['read_odometer', 'read_tires']) });
    const res = await app.inject({
      method: 'POST', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/batch', headers: { ...bearer('tok-some'), 'sc-unit-system': 'imperial' },
      payload: { requests: [{ path: '/odometer' }, { path: 'tires/pressure' }, { path: '/location' }] },
    });
    expect(res.statusCode).toBe(200);
    const [odo, tires, loc] = res.json().responses;
    expect(odo).toEqual({ path: '/odometer', code: 200, body: { distance: 10000 }, headers: {
      'content-type': 'application/json', 'sc-unit-system': 'imperial', 'sc-data-age': new Date(T0 - 60_000).toISOString(), 'sc-fetched-at': new Date(T0).toISOString(),
    } });
    expect(tires.path).toBe('/tires/pressure');
    expect(tires.code).toBe(200);
    expect(loc).toMatchObject({ path: '/location', code: 403, body: { type: 'PERMISSION', code: null, statusCode: 403 } });
    expect(w.admits.at(-1)).toMatchObject({ units: 3, feature: 'batch' });
    expect(w.ledger.at(-1)).toMatchObject({ units: 2, status: 200 });
    await app.close();
  });

  it('maps / to attributes and allows brand paths', async () => {
    const app = await apiApp(world());
    const res = await app.inject({ method: 'POST', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/batch', headers: bearer('tok-all'), payload: { requests: [{ path: '/' }, { path: '/tesla/speedometer' }] } });
    const [attrs, speed] = res.json().responses;
    expect(attrs).toMatchObject({ path: '/', code: 200, body: { id: '00000000-0000-4000-8000-000000000001', make: 'TESLA' } });
    expect(speed).toMatchObject({ path: '/tesla/speedometer', code: 200, body: { speed: 100 } });
    expect(speed.body).not.toHaveProperty('hidden');
    await app.close();
  });

  it('bills and admits only the billable items: /permissions twice and /odometer is one unit', async () => {
    const w = world();
    const app = await apiApp(w);
    const res = await app.inject({ method: 'POST', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/batch', headers: bearer('tok-all'), payload: { requests: [{ path: '/permissions' }, { path: '/odometer' }, { path: 'permissions' }] } });
    expect(res.json().responses.map((r: { code: number }) => r.code)).toEqual([200, 200, 200]);
    expect(w.admits.at(-1)).toMatchObject({ units: 1, feature: 'batch' });
    expect(w.ledger.at(-1)).toMatchObject({ units: 1, status: 200 });
    await app.close();
  });

  it('an error item carries the same body as the request on its own (one v2 error body)', async () => {
    const w = world();
    const app = await apiApp(w);
    w.tokens.set('tok-some', { ...w.tokens.get('tok-all')!, permissions: new Set(['read_odometer']) });
    const alone = (await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/location', headers: bearer('tok-some') })).json();
    const [item] = (await app.inject({ method: 'POST', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/batch', headers: bearer('tok-some'), payload: { requests: [{ path: '/location' }] } })).json().responses;
    expect({ ...item.body, requestId: 'x' }).toEqual({ ...alone, requestId: 'x' });
    await app.close();
  });

  it('rejects an empty batch', async () => {
    const app = await apiApp(world());
    const res = await app.inject({ method: 'POST', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/batch', headers: bearer('tok-all'), payload: { requests: [] } });
    expect(res.statusCode).toBe(400);
    await app.close();
  });
});

describe('brand-specific endpoints', () => {
  it('serve lower-case makes, refuse upper case with PERMISSION, convert units', async () => {
    const app = await apiApp(world());
    const ok = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/tesla/speedometer', headers: { ...bearer('tok-all'), 'sc-unit-system': 'imperial' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ speed: 62.1371 });
    const upper = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/TESLA/speedometer', headers: bearer('tok-all') });
    expect(upper.statusCode).toBe(403);
    expect(upper.json().type).toBe('PERMISSION');
    const unknown = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/tesla/warp_drive', headers: bearer('tok-all') });
    expect(unknown.statusCode).toBe(404);
    const noPerm = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/tesla/alerts', headers: bearer('tok-all') });
    expect(noPerm.json().type).toBe('PERMISSION');
    await app.close();
  });

  it('are VEHICLE_NOT_CAPABLE on other brands', async () => {
    const w = world();
    w.tokens.set('tok-ice-all', { ...w.tokens.get('tok-ice')! });
    const app = await apiApp(w);
    const res = await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-00000000000e/tesla/speedometer', headers: bearer('tok-ice-all') });
    expect(res.json()).toMatchObject({ type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE' });
    await app.close();
  });
});

describe('webhook subscriptions', () => {
  it('subscribe with the access token, unsubscribe with the management token', async () => {
    const w = world();
    const app = await apiApp(w);
    const sub = await app.inject({ method: 'POST', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/webhooks/wh-1', headers: bearer('tok-all') });
    expect(sub.json()).toEqual({ webhookId: 'wh-1', vehicleId: '00000000-0000-4000-8000-000000000001' });
    const unknown = await app.inject({ method: 'POST', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/webhooks/wh-x', headers: bearer('tok-all') });
    expect(unknown.json()).toMatchObject({ type: 'VALIDATION', code: null, statusCode: 400 });
    const wrong = await app.inject({ method: 'DELETE', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/webhooks/wh-1', headers: { ...bearer('tok-all'), ...json }, payload: '{}' });
    expect(wrong.json()).toMatchObject({ type: 'AUTHENTICATION', code: null });
    const unsub = await app.inject({ method: 'DELETE', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/webhooks/wh-1', headers: { ...bearer('amt-1'), ...json }, payload: '{}' });
    expect(unsub.json()).toEqual({ status: 'success' });
    expect(w.subscriptions.size).toBe(0);
    await app.close();
  });
});

describe('disconnect with the application management token', () => {
  it('removes the connection; a wrong token stays AUTHENTICATION; an unconnected vehicle is not found', async () => {
    const w = world();
    const app = await apiApp(w);
    const wrong = await app.inject({ method: 'DELETE', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/application', headers: bearer('not-the-amt') });
    expect(wrong.json()).toMatchObject({ type: 'AUTHENTICATION' });
    const unknown = await app.inject({ method: 'DELETE', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000009/application', headers: bearer('amt-1') });
    expect(unknown.json()).toMatchObject({ type: 'RESOURCE_NOT_FOUND' });
    const ok = await app.inject({ method: 'DELETE', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000002/application', headers: bearer('amt-1') });
    expect(ok.json()).toEqual({ status: 'success' });
    expect(w.connections.map((c) => c.vehicleId)).toEqual(['00000000-0000-4000-8000-000000000001']);
    await app.close();
  });

  it("removes every owner's connection of the app to that vehicle, and only that vehicle", async () => {
    const w = world();
    w.connections.push(
      { userId: 'user-3', vehicleId: '00000000-0000-4000-8000-000000000002', appId: w.connections[0]!.appId, grantId: 'g3', mode: 'live', permissions: [], connectedAt: T0 + 1 },
      { userId: 'user-2', vehicleId: '00000000-0000-4000-8000-000000000001', appId: w.connections[0]!.appId, grantId: 'g4', mode: 'live', permissions: [], connectedAt: T0 + 2 },
    );
    const app = await apiApp(w);
    const ok = await app.inject({ method: 'DELETE', url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000002/application', headers: bearer('amt-1') });
    expect(ok.json()).toEqual({ status: 'success' });
    expect(w.connections.map((c) => `${c.userId}/${c.vehicleId}`).sort()).toEqual(['user-1/00000000-0000-4000-8000-000000000001', 'user-2/00000000-0000-4000-8000-000000000001']);
    await app.close();
  });
});
