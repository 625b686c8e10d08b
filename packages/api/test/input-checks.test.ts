import { describe, expect, it } from 'vitest';
import { VEHICLE_ROUTES } from '../src/route-table.js';
import { apiApp, bearer, world } from './fakes.js';

const VEH1 = '00000000-0000-4000-8000-000000000001';
const VEH_ICE = '00000000-0000-4000-8000-00000000000e';
const UNKNOWN = '00000000-0000-4000-8000-0000000000ff';
const json = { 'content-type': 'application/json' };

describe('input checks (Smartcar parity)', () => {
  it('a vehicle id that is not a UUID is 400 VALIDATION on every vehicle route, v2.0 and v3', async () => {
    const app = await apiApp(world());
    const paths: [string, string][] = [
      ...VEHICLE_ROUTES.map((r) => [r.method, `/v2.0/vehicles/{id}${r.path}`] as [string, string]),
      ['POST', '/v2.0/vehicles/{id}/batch'], ['GET', '/v2.0/vehicles/{id}/tesla/speedometer'],
      ['DELETE', '/v2.0/vehicles/{id}/webhooks/wh-1'], ['GET', '/v3/vehicles/{id}'], ['GET', '/v3/vehicles/{id}/signals'],
      ['GET', '/v3/vehicles/{id}/signals/odometer-traveleddistance'],
    ];
    expect(paths.length).toBeGreaterThan(25);
    for (const [method, path] of paths) {
      for (const bad of ['not-a-uuid', '12345', `${VEH1}x`, VEH1.replace(/-/g, '')]) {
        const res = await app.inject({ method: method as 'GET', url: path.replace('{id}', bad), headers: { ...bearer('tok-all'), ...json }, payload: method === 'GET' || method === 'DELETE' ? undefined : '{}' });
        expect([method, path, bad, res.statusCode]).toEqual([method, path, bad, 400]);
        const body = res.json();
        const error = path.startsWith('/v3') ? body.errors[0] : body;
        expect([path, error.type]).toEqual([path, 'VALIDATION']);
      }
    }
    await app.close();
  });

  it('a well-formed unknown vehicle id keeps its own error', async () => {
    const app = await apiApp(world());
    const known = await app.inject({ url: `/v2.0/vehicles/${VEH1}/odometer`, headers: bearer('tok-all') });
    expect(known.statusCode).toBe(200);
    const unknown = await app.inject({ url: `/v2.0/vehicles/${UNKNOWN}/odometer`, headers: bearer('tok-all') });
    expect(unknown.statusCode).not.toBe(400);
    expect(unknown.json().type).not.toBe('VALIDATION');
    await app.close();
  });

  it('service history takes startDate/endDate (Python SDK) like start_date/end_date; different values conflict', async () => {
    const w = world();
    const app = await apiApp(w);
    const get = (q: string) => app.inject({ url: `/v2.0/vehicles/${VEH1}/service/history?${q}`, headers: bearer('tok-all') });
    const calls = w.connectors.get(VEH1)!.calls;
    expect((await get('startDate=2024-01-01&endDate=2024-06-30')).statusCode).toBe(200);
    expect(calls.at(-1)).toBe('serviceHistory:2024-01-01:2024-06-30');
    expect((await get('start_date=2024-02-01&end_date=2024-03-01')).statusCode).toBe(200);
    expect(calls.at(-1)).toBe('serviceHistory:2024-02-01:2024-03-01');
    expect((await get('start_date=2024-02-01&startDate=2024-02-01')).statusCode).toBe(200);
    expect((await get('startDate=undefined&endDate=2024-03-01')).statusCode).toBe(200);
    expect(calls.at(-1)).toBe('serviceHistory:undefined:2024-03-01');
    const before = calls.length;
    for (const q of ['start_date=2024-02-01&startDate=2024-02-02', 'end_date=2024-02-01&endDate=2025-01-01', 'startDate=yesterday']) {
      const res = await get(q);
      expect([q, res.statusCode, res.json().type]).toEqual([q, 400, 'VALIDATION']);
      expect(res.json().detail.length).toBeGreaterThan(0);
    }
    expect(calls.length).toBe(before);
    await app.close();
  });

  it('batch: a path that names no GET endpoint fails the whole batch with 400 VALIDATION; nothing runs, nothing is billed', async () => {
    const w = world();
    const app = await apiApp(w);
    const batch = (paths: string[]) => app.inject({ method: 'POST', url: `/v2.0/vehicles/${VEH1}/batch`, headers: bearer('tok-all'), payload: { requests: paths.map((path) => ({ path })) } });
    const admits = w.admits.length;
    const calls = w.connectors.get(VEH1)!.calls.length;
    for (const paths of [['/odometer', '/LOCATIONNNNNNNN'], ['/odometr'], ['/odometer', '/lock'], ['/tesla/no-such-thing']]) {
      const res = await batch(paths);
      expect([paths, res.statusCode, res.json().type]).toEqual([paths, 400, 'VALIDATION']);
      expect(res.json().detail[0].field).toMatch(/^requests\[\d+\]\.path$/);
    }
    expect(w.admits.length).toBe(admits);
    expect(w.connectors.get(VEH1)!.calls.length).toBe(calls);
    // A known path that fails for this vehicle still fails in its own item.
    const res = await batch(['/odometer', '/battery']);
    expect(res.statusCode).toBe(200);
    await app.close();
  });

  it('command bodies are validated before the capability check: a bad value is 400 whatever the vehicle', async () => {
    const app = await apiApp(world());
    const post = (path: string, payload: unknown) => app.inject({ method: 'POST', url: `/v2.0/vehicles/${VEH_ICE}${path}`, headers: { ...bearer('tok-ice'), ...json }, payload: JSON.stringify(payload) });
    for (const [path, payload] of [['/charge/limit', { limit: 1.5 }], ['/charge/limit', { limit: '0.2' }], ['/charge/limit', {}], ['/navigation/destination', { latitude: 91, longitude: 0 }], ['/navigation/destination', { latitude: 'x' }]] as const) {
      const res = await post(path, payload);
      expect([path, payload, res.statusCode, res.json().type]).toEqual([path, payload, 400, 'VALIDATION']);
    }
    // A good value on a vehicle that cannot do it is still the capability error.
    const good = await post('/charge/limit', { limit: 0.8 });
    expect([good.statusCode, good.json().type]).toEqual([501, 'COMPATIBILITY']);
    await app.close();
  });
});
