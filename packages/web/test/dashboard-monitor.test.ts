import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectForTest } from '@opencar/oauth';
import { testApp } from '../../../apps/server/test/helpers.js';
import { FormClient, inputValue } from './browser-client.js';
import { fakeLive } from '../../connectors/test/live-fake.js';

type T = Awaited<ReturnType<typeof testApp>>;

async function devWithApp(t: T) {
  const c = new FormClient(t.app);
  await c.get('/dashboard/signup');
  await c.post('/dashboard/signup', { name: 'Dev', email: 'dev@example.com', password: 'correct horse battery', accept_tos: 'on' });
  await c.get('/dashboard/apps/new');
  const res = await c.post('/dashboard/apps', { name: 'Mon', redirect_uris: 'https://app.example/cb', scope: ['read_vin'], mode: 'simulated' });
  return { c, appId: inputValue(res.body, 'client-id')! };
}

describe('monitor pages', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('lists connected vehicles and disconnects one (its token loses the vehicle at once)', async () => {
    const { c, appId } = await devWithApp(t);
    const tok = await connectForTest(t.platform.storage, t.clock, { appId, userId: 'u1', vehicleIds: ['veh-1', 'veh-2'], permissions: ['read_vin', 'read_odometer'], mode: 'simulated' });
    const page = await c.get(`/dashboard/apps/${appId}/vehicles`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-vehicle-id="veh-1"');
    expect(page.body).toContain('<code>read_odometer</code>');
    const res = await c.post(`/dashboard/apps/${appId}/vehicles/disconnect`, { vehicle_id: 'veh-1', user_id: 'u1' });
    expect(res.statusCode).toBe(303);
    t.clock.advance(5_000);
    expect((await t.platform.grants.verifyAccessToken(tok.access_token))?.vehicleIds).toEqual(['veh-2']);
    expect((await c.get(`/dashboard/apps/${appId}/vehicles`)).body).not.toContain('data-vehicle-id="veh-1"');
  });

  it('filters the request log by endpoint, status, vehicle and time; the usage page charts the same requests', async () => {
    const { c, appId } = await devWithApp(t);
    const base = t.clock.now();
    const entry = (i: number, endpoint: string, status: number, vehicleId: string) => ({
      requestId: `req-${i}`, at: base + i * 60_000, appId, vehicleId, userId: 'u1', endpoint, method: 'GET', status, latencyMs: 10 + i, units: status < 400 ? 1 : 0, woke: i === 2, requestClass: 'data' as const,
    });
    await Promise.all([
      t.platform.metering.record(entry(1, 'GET /v2.0/vehicles/:id/odometer', 200, 'veh-1')),
      t.platform.metering.record(entry(2, 'GET /v2.0/vehicles/:id/battery', 200, 'veh-2')),
      t.platform.metering.record(entry(3, 'GET /v2.0/vehicles/:id/battery', 409, 'veh-2')),
    ]);
    const all = await c.get(`/dashboard/apps/${appId}/logs`);
    expect([...all.body.matchAll(/data-request-id="(req-\d)"/g)].map((m) => m[1])).toEqual(['req-3', 'req-2', 'req-1']);
    expect(all.body).toContain('13 ms');
    const q = (s: string) => c.get(`/dashboard/apps/${appId}/logs?${s}`).then((r) => [...r.body.matchAll(/data-request-id="(req-\d)"/g)].map((m) => m[1]));
    expect(await q('endpoint=' + encodeURIComponent('GET /v2.0/vehicles/:id/battery'))).toEqual(['req-3', 'req-2']);
    expect(await q('status=4xx')).toEqual(['req-3']);
    expect(await q('vehicle=veh-1')).toEqual(['req-1']);
    const from = new Date(base + 120_000).toISOString().slice(0, 16);
    expect(await q(`from=${from}`)).toEqual(['req-3', 'req-2']);
    const usage = await c.get(`/dashboard/apps/${appId}/usage`);
    expect(usage.statusCode).toBe(200);
    // The quota counts billable units: the 409 is listed as a request but is not billable.
    expect(usage.body).toMatch(/<dd id="usage-billable">2 \/ 100<\/dd>/);
    expect(usage.body).toMatch(/<dd id="usage-requests">3<\/dd>/);
    expect(usage.body).toMatch(/<dd id="usage-active">2<\/dd>/);
    expect(usage.body).toContain('data-label="GET /v2.0/vehicles/:id/battery" data-value="1"');
    expect(usage.body).toContain('<tr data-endpoint="GET /v2.0/vehicles/:id/battery"><th scope="row"><code>GET /v2.0/vehicles/:id/battery</code></th><td>2</td><td>1</td><td>1</td><td>1</td><td>50%</td>');
    expect(usage.body).toMatch(/id="chart-daily"[\s\S]*data-label="01" data-value="2"/);
  });

  it('the usage page shows what the statement of the month bills once the month is closed', async () => {
    const { c, appId } = await devWithApp(t);
    const dev = await t.platform.storage.db.selectFrom('developers').select('id').executeTakeFirstOrThrow();
    await t.platform.storage.db.updateTable('developers').set({ plan: 'payg' }).where('id', '=', dev.id).execute();
    t.platform.metering.invalidatePlans();
    const base = t.clock.now(); // 2026-11-01T00:00Z
    const entry = (i: number, vehicleId: string, status: number, units: number) => ({
      requestId: `bill-${i}`, at: base + i * 600_000, appId, vehicleId, userId: 'u1', endpoint: i % 2 ? 'GET /v2.0/vehicles/:id/odometer' : 'GET /v2.0/vehicles/:id/battery',
      method: 'GET', status, latencyMs: 5, units, woke: false, requestClass: 'data' as const,
    });
    await Promise.all([
      t.platform.metering.record(entry(1, 'veh-1', 200, 1)),
      t.platform.metering.record(entry(2, 'veh-2', 200, 1)),
      t.platform.metering.record(entry(3, 'veh-2', 200, 1)),
      t.platform.metering.record(entry(4, 'veh-2', 409, 0)),
      t.platform.metering.record(entry(5, 'veh-3', 200, 0)), // a free call: the vehicle is not active for billing
      t.platform.metering.record(entry(6, 'veh-4', 404, 0)),
    ]);
    t.clock.set(base + 2 * 3_600_000);
    const dd = (body: string, id: string) => new RegExp(`<dd id="${id}">([^<]*)</dd>`).exec(body)?.[1];
    const page = (await c.get(`/dashboard/apps/${appId}/usage`)).body;
    const shown = { billable: dd(page, 'usage-billable'), requests: dd(page, 'usage-requests'), active: dd(page, 'usage-active'), due: dd(page, 'amount-due') };
    expect(shown).toEqual({ billable: '3 / 2,000', requests: '6', active: '2', due: '$0.45' });

    t.clock.set(Date.UTC(2026, 11, 1, 0, 5)); // December: November is closed
    await t.platform.usage.closeFinishedMonths();
    const st = await t.platform.usage.statement(appId, '2026-11');
    expect(st).toBeDefined();
    expect({ billable: `${st!.billableRequests} / 2,000`, requests: String(st!.requests), active: String(st!.vehicles), due: st!.amountDue }).toEqual(shown);
    const b = new FormClient(t.app); // a month later the old session has expired: sign in again
    await b.get('/dashboard/signin');
    expect((await b.post('/dashboard/signin', { email: 'dev@example.com', password: 'correct horse battery' })).statusCode).toBe(303);
    const after = (await b.get(`/dashboard/apps/${appId}/usage`)).body;
    expect(after).toContain('<tr data-month="2026-11"><td>2026-11</td><td>payg</td><td>6</td><td>3</td><td>2</td><td>$0.45</td></tr>');
    expect(dd(after, 'usage-billable')).toBe('0 / 2,000'); // the new month starts empty
  });

  it('developers cannot switch themselves to Enterprise, and an Enterprise plan is not self-service', async () => {
    const { c } = await devWithApp(t);
    const devId = () => t.platform.storage.db.selectFrom('developers').select(['id', 'plan']).executeTakeFirstOrThrow();
    await c.get('/dashboard/plans');
    expect((await c.post('/dashboard/plans', { plan: 'enterprise', confirm: 'yes' })).statusCode).toBe(400);
    expect((await devId()).plan).toBe('free');
    await t.platform.storage.db.updateTable('developers').set({ plan: 'enterprise' }).where('id', '=', (await devId()).id).execute();
    const page = await c.get('/dashboard/plans');
    expect(page.body).not.toContain('id="choose-free"');
    expect((await c.post('/dashboard/plans', { plan: 'free', confirm: 'yes' })).statusCode).toBe(400);
    expect((await devId()).plan).toBe('enterprise');
  });

  it('changing the plan shows up on the usage page', async () => {
    const { c, appId } = await devWithApp(t);
    await c.get('/dashboard/plans');
    expect((await c.post('/dashboard/plans', { plan: 'payg', confirm: 'yes' })).statusCode).toBe(303);
    const usage = await c.get(`/dashboard/apps/${appId}/usage`);
    expect(usage.body).toContain('<strong id="current-plan">Pay as you go</strong>');
    expect(usage.body).toContain('$0.15 per billable request');
  });

  it('simulator console shows live state and plugs in, opens a door, pauses the clock; refuses foreign vehicles', async () => {
    const { c, appId } = await devWithApp(t);
    const signed = await t.platform.backend.signIn({ make: 'TESLA', email: 'sim@example.com', password: 'x', mode: 'simulated', country: 'US' });
    if (!signed.ok) throw new Error('sign-in failed');
    const vid = signed.vehicles[0]!.vehicleId;
    await connectForTest(t.platform.storage, t.clock, { appId, userId: signed.accountId, vehicleIds: [vid], permissions: ['read_charge'], mode: 'simulated' });
    const page = await c.get(`/dashboard/apps/${appId}/simulator`);
    expect(page.body).toContain(`id="sim-${vid}"`);
    expect(page.body).toContain(`id="map-${vid}"`);
    expect(page.body).not.toMatch(/\sstyle="/); // the CSP allows no inline style
    for (const action of ['plug', 'open-door', 'pause']) {
      await c.get(`/dashboard/apps/${appId}/simulator`);
      const res = await c.post(`/dashboard/apps/${appId}/simulator/${vid}`, { action });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`id="feedback-${vid}"`);
    }
    const state = await c.get(`/dashboard/apps/${appId}/simulator/${vid}/state`);
    expect(state.body).toContain('plugged in');
    expect(state.body).toContain('doorFL');
    expect(state.body).toContain('paused');
    const cs = await (await t.platform.backend.connector(vid))!.chargeStatus!({ vehicleId: vid, unitSystem: 'metric' });
    expect(cs.value.isPluggedIn).toBe(true);
    await c.get(`/dashboard/apps/${appId}/simulator`);
    expect((await c.post(`/dashboard/apps/${appId}/simulator/not-mine`, { action: 'plug' })).statusCode).toBe(404);
    await c.get(`/dashboard/apps/${appId}/simulator`);
    expect((await c.post(`/dashboard/apps/${appId}/simulator/${vid}`, { action: 'self-destruct' })).statusCode).toBe(400);
    await c.get(`/dashboard/apps/${appId}/simulator`);
    const malformed: Record<string, string>[] = [{ action: 'advance', minutes: 'Infinity' }, { action: 'advance', minutes: '1e9' }, { action: 'speed', factor: '0x10' }, { action: 'fault', fault: 'VEHICLE_STATE:ASLEEP', count: '2e0' }];
    for (const bad of malformed) {
      await c.get(`/dashboard/apps/${appId}/simulator`);
      expect((await c.post(`/dashboard/apps/${appId}/simulator/${vid}`, bad)).statusCode, JSON.stringify(bad)).toBe(400);
    }
    await c.get(`/dashboard/apps/${appId}/simulator`);
    const refused = await c.post(`/dashboard/apps/${appId}/simulator/${vid}`, { action: 'fault', fault: 'NOT:AN_ERROR', count: '1' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('NOT:AN_ERROR is not an error a vehicle can produce');
  });

  it('alerts never reflect free text from the URL (simulator console, webhooks)', async () => {
    const { c, appId } = await devWithApp(t);
    const bait = 'Your account is locked, call 555-0100';
    for (const path of ['simulator', 'webhooks']) {
      const page = await c.get(`/dashboard/apps/${appId}/${path}?error=${encodeURIComponent(bait)}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('call 555-0100');
      expect(page.body).toContain('<h1>Mon: ');
    }
  });

  it('simulator console neither shows nor controls a vehicle connected in live mode', async () => {
    const { c, appId } = await devWithApp(t);
    const tesla = fakeLive('TESLA');
    t.platform.backend.registerLiveBrand('TESLA', tesla);
    const signed = await t.platform.backend.signIn({ make: 'TESLA', email: 'live@example.com', password: 'x', mode: 'live', country: 'US' });
    if (!signed.ok) throw new Error('sign-in failed');
    const vid = signed.vehicles[0]!.vehicleId;
    await connectForTest(t.platform.storage, t.clock, { appId, userId: signed.accountId, vehicleIds: [vid], permissions: ['read_charge'], mode: 'live' });
    const page = await c.get(`/dashboard/apps/${appId}/simulator`);
    expect(page.body).not.toContain(`id="sim-${vid}"`);
    expect((await c.post(`/dashboard/apps/${appId}/simulator/${vid}`, { action: 'plug' })).statusCode).toBe(404);
    expect(await t.platform.simulator.vehicle(vid)).toBeUndefined();
    expect(tesla.commands).toEqual([]);
  });

  it('simulator console sets state of charge, plugs in without charging, picks the charger, names every change in the page language', async () => {
    const { c, appId } = await devWithApp(t);
    const signed = await t.platform.backend.signIn({ make: 'TESLA', email: 'console@example.com', password: 'x', mode: 'simulated', country: 'US' });
    if (!signed.ok) throw new Error('sign-in failed');
    const vid = signed.vehicles[0]!.vehicleId;
    await connectForTest(t.platform.storage, t.clock, { appId, userId: signed.accountId, vehicleIds: [vid], permissions: ['read_charge'], mode: 'simulated' });
    const post = async (body: Record<string, string>, lang = 'en') => {
      await c.get(`/dashboard/apps/${appId}/simulator?lang=${lang}`);
      return c.post(`/dashboard/apps/${appId}/simulator/${vid}?lang=${lang}`, body);
    };
    const soc = await post({ action: 'energy', soc: '20' });
    expect(soc.statusCode).toBe(200);
    expect(soc.body).toMatch(/<li data-field="soc">State of charge: [\d.]+ % → 20\.0 %<\/li>/);
    const idle = await post({ action: 'plug-state', plug: 'idle' });
    expect(idle.body).toContain('<li data-field="pluggedIn">Plugged in: no → yes</li>');
    expect(idle.body).not.toContain('data-field="chargeState"');
    let cs = await (await t.platform.backend.connector(vid))!.chargeStatus!({ vehicleId: vid, unitSystem: 'metric' });
    expect(cs.value).toMatchObject({ isPluggedIn: true, state: 'NOT_CHARGING' });
    const dc = await post({ action: 'charger', chargerType: 'DC', chargeKw: '120' }, 'de');
    expect(dc.body).toContain('<li data-field="chargerType">Ladeart: AC → DC</li>');
    expect(dc.body).toContain('<li data-field="chargeKw">Ladeleistung: ');
    const on = await post({ action: 'plug-state', plug: 'charging' }, 'de');
    expect(on.body).toContain('<li data-field="chargeState">Laden: lädt nicht → lädt</li>');
    cs = await (await t.platform.backend.connector(vid))!.chargeStatus!({ vehicleId: vid, unitSystem: 'metric' });
    expect(cs.value.state).toBe('CHARGING');
    const temp = await post({ action: 'temperature', outsideTempC: '-12' });
    expect(temp.body).toContain('<li data-field="outsideTempC">Outside temperature: climate model → -12.0 °C</li>');
    const moved = await post({ action: 'plug-state', plug: 'unplugged' });
    expect(moved.body).toContain('data-field="pluggedIn"');
    const loc = await post({ action: 'location', latitude: '52.52', longitude: '13.405' });
    expect(loc.body).toContain('<li data-field="location">');
    const trip = await post({ action: 'trip', latitude: '52.53', longitude: '13.42', speedKmh: '30' });
    expect(trip.body).toContain('<li data-field="driving">Driving: no → yes</li>');
    expect(trip.body).toContain('<li data-field="speedKmh">Trip speed: — → 30 km/h</li>');
    const lat = await post({ action: 'latency', latency: 'zero' }, 'de');
    expect(lat.body).toContain('<li data-field="latency">Latenzprofil: die der App → keine (sofortige Antwort)</li>');
    await post({ action: 'advance', minutes: '600' });
    const reset = await post({ action: 'reset-clock' });
    expect(reset.body).toContain('<li data-field="clock">');
    const preset = await post({ action: 'scenario', scenario: 'oem-outage' });
    expect(preset.body).toContain('<li data-field="fault">Injected fault: no → UPSTREAM:KNOWN_ISSUE, next 20 calls</li>');
    expect((await post({ action: 'scenario', scenario: 'self-destruct' })).statusCode).toBe(400);
    expect((await post({ action: 'plug-state', plug: 'maybe' })).statusCode).toBe(400);
    const tooMuch = await post({ action: 'charger', chargerType: 'AC', chargeKw: '100' }, 'de');
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.body).toMatch(/Tesla Model \w+ \d{4} lädt an Wechselstrom mit höchstens [\d.]+ kW/);
  });

  it('simulator console refuses to plug in a petrol car with a translated message naming it', async () => {
    const { c, appId } = await devWithApp(t);
    const signed = await t.platform.backend.signIn({ make: 'KIA', email: '0SCLR000000000000@fuel.smartcar.com', password: 'x', mode: 'simulated', country: 'US' });
    if (!signed.ok) throw new Error('sign-in failed');
    const vid = signed.vehicles[0]!.vehicleId;
    await connectForTest(t.platform.storage, t.clock, { appId, userId: signed.accountId, vehicleIds: [vid], permissions: ['read_charge'], mode: 'simulated' });
    const v = signed.vehicles[0]!;
    expect(['ICE', 'HEV']).toContain(v.powertrain);
    await c.get(`/dashboard/apps/${appId}/simulator?lang=de`);
    const res = await c.post(`/dashboard/apps/${appId}/simulator/${vid}?lang=de`, { action: 'plug' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(`Kia ${v.model} ${v.year} hat keine Antriebsbatterie`);
  });

  it('simulator console adds a vehicle to order; Connect with its sign-in finds exactly that car', async () => {
    const { c, appId } = await devWithApp(t);
    await c.get(`/dashboard/apps/${appId}/simulator`);
    const res = await c.post(`/dashboard/apps/${appId}/simulator/vehicles`, { make: 'KIA', model: 'KIA|EV6', year: '2023', powertrain: 'BEV', region: 'EUROPE' });
    expect(res.statusCode).toBe(200);
    const email = /data-email="([^"]+)"/.exec(res.body)?.[1];
    expect(email).toMatch(/^[A-Z0-9]{17}@bev\.smartcar\.com$/);
    expect(res.body).toContain('Kia EV6 2023 is ready');
    expect(res.body).toMatch(/id="connect-added" href="\/oauth\/authorize\?[^"]*make=KIA[^"]*flags=country%3ADE/);
    const signed = await t.platform.backend.signIn({ make: 'KIA', email: email!, password: 'anything', mode: 'simulated', country: 'DE', appId });
    if (!signed.ok) throw new Error('sign-in failed');
    expect(signed.vehicles).toHaveLength(1);
    expect(signed.vehicles[0]).toMatchObject({ make: 'KIA', model: 'EV6', year: 2023, powertrain: 'BEV', vehicleId: /data-vehicle-id="([^"]+)"/.exec(res.body)?.[1] });
    await c.get(`/dashboard/apps/${appId}/simulator`);
    const none = await c.post(`/dashboard/apps/${appId}/simulator/vehicles?lang=de`, { make: 'KIA', model: 'KIA|Telluride', region: 'EUROPE' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Es gibt keinen Kia Telluride');
    await c.get(`/dashboard/apps/${appId}/simulator`);
    expect((await c.post(`/dashboard/apps/${appId}/simulator/vehicles`, { make: 'KIA', region: 'MARS' })).statusCode).toBe(400);
  });

  it('simulator console draws the charge curve of each session and a timeline of requests, charging events and deliveries; the map files come from opencar', async () => {
    const { c, appId } = await devWithApp(t);
    const signed = await t.platform.backend.signIn({ make: 'TESLA', email: 'curve@example.com', password: 'x', mode: 'simulated', country: 'US' });
    if (!signed.ok) throw new Error('sign-in failed');
    const vid = signed.vehicles[0]!.vehicleId;
    await connectForTest(t.platform.storage, t.clock, { appId, userId: signed.accountId, vehicleIds: [vid], permissions: ['read_charge'], mode: 'simulated' });
    const post = async (body: Record<string, string>) => { await c.get(`/dashboard/apps/${appId}/simulator`); return c.post(`/dashboard/apps/${appId}/simulator/${vid}`, body); };
    const empty = await c.get(`/dashboard/apps/${appId}/simulator/${vid}/state`);
    expect(empty.body).toContain('No charging session yet.');
    await post({ action: 'energy', soc: '20' });
    await post({ action: 'plug-state', plug: 'charging' });
    await post({ action: 'advance', minutes: '120' });
    await t.platform.simulator.processDueEvents();
    const state = await c.get(`/dashboard/apps/${appId}/simulator/${vid}/state`);
    const figure = /<figure class="curve-box" data-session="\d+" data-active="(true|false)">/.exec(state.body);
    expect(figure?.[1]).toBe('true');
    const socs = [...state.body.matchAll(/class="soc-point" [^>]*data-soc="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(socs.length).toBeGreaterThan(5);
    expect(socs[0]).toBeCloseTo(0.2, 2);
    expect(socs[socs.length - 1]!).toBeGreaterThan(0.3);
    expect(socs).toEqual([...socs].sort((a, b) => a - b));
    expect(state.body).toMatch(/<li data-kind="charging">.*Charging started/);
    const page = await c.get(`/dashboard/apps/${appId}/simulator`);
    expect(page.body).toMatch(/<div class="sim-map map-box" id="map-[^"]+" data-world="\/web-assets\/world-110m\.json\?v=\w+"/);
    expect(page.body).not.toContain('data-tiles=');
    const leaflet = await c.get(/src="(\/web-assets\/leaflet\/leaflet\.js\?v=\w+)"/.exec(page.body)![1]!);
    expect(leaflet.statusCode).toBe(200);
    expect(leaflet.body).toContain('Leaflet');
    const world = await c.get(/data-world="([^"]+)"/.exec(page.body)![1]!);
    const geo = JSON.parse(world.body) as { land: { type: string; features: unknown[] }; borders: { type: string } };
    expect(geo.land.type).toBe('FeatureCollection');
    expect(geo.land.features.length).toBeGreaterThan(0);
    expect(geo.borders.type).toBe('MultiLineString');
  });
});
