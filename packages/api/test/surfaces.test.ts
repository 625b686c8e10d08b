import { describe, expect, it } from 'vitest';
import { apiApp, bearer, world } from './fakes.js';

const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });

describe('v3 signals', () => {
  it('serves the vehicle, all signals and one signal in JSON:API shape', async () => {
    const app = await apiApp(world());
    const v = (await app.inject({ url: '/v3/vehicles/00000000-0000-4000-8000-000000000001/', headers: bearer('tok-all') })).json();
    expect(v).toEqual({ id: '00000000-0000-4000-8000-000000000001', type: 'vehicle', attributes: { make: 'TESLA', model: 'Model 3', year: 2022, powertrainType: 'PHEV', mode: 'live' }, links: { self: 'http://opencar.test/v3/vehicles/00000000-0000-4000-8000-000000000001' } });
    const all = (await app.inject({ url: '/v3/vehicles/00000000-0000-4000-8000-000000000001/signals', headers: bearer('tok-all') })).json();
    expect(Object.keys(all).sort()).toEqual(['data', 'included', 'links', 'meta']);
    expect(all.meta.totalCount).toBe(all.data.length);
    expect(all.data.map((s: { id: string }) => s.id)).toContain('odometer-traveleddistance');
    const one = (await app.inject({ url: '/v3/vehicles/00000000-0000-4000-8000-000000000001/signals/odometer-traveleddistance', headers: bearer('tok-all') })).json();
    expect(one).toMatchObject({
      id: 'odometer-traveleddistance', type: 'signal',
      attributes: { code: 'odometer-traveleddistance', name: 'TraveledDistance', group: 'Odometer', status: { value: 'SUCCESS' }, body: { unit: 'km', value: 16093.44 } },
    });
    expect(typeof one.meta.retrievedAt).toBe('number');
    expect(typeof one.meta.oemUpdatedAt).toBe('number');
    await app.close();
  });

  it('answers errors in the v3 envelope', async () => {
    const w = world();
    w.connectors.get('00000000-0000-4000-8000-000000000001')!.asleep = true;
    const app = await apiApp(w);
    const res = await app.inject({ url: '/v3/vehicles/00000000-0000-4000-8000-000000000001/signals/odometer-traveleddistance', headers: bearer('tok-all') });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0]).toMatchObject({ status: '409', type: 'VEHICLE_STATE', code: 'ASLEEP' });
    // Exactly the envelope keys of wire-contract §6; the request id travels in sc-request-id.
    expect(Object.keys(res.json().errors[0]).sort()).toEqual(['code', 'detail', 'links', 'resolution', 'status', 'suggestedUserMessage', 'title', 'type']);
    expect(res.headers['sc-request-id']).toHaveLength(36);
    const perm = await app.inject({ url: '/v3/vehicles/00000000-0000-4000-8000-000000000001/signals/odometer-traveleddistance', headers: bearer('tok-none') });
    expect(perm.json().errors[0]).toMatchObject({ status: '403', type: 'PERMISSION' });
    await app.close();
  });
});

describe('compatibility API', () => {
  it('answers by VIN from the backend with client credentials', async () => {
    const app = await apiApp(world());
    const res = await app.inject({ url: '/v2.0/compatibility?scope=read_odometer+read_fuel&country=US&vin=5YJ3E1EA7KF000001', headers: basic('app-1', 'secret-1') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      compatible: false, reason: 'VEHICLE_NOT_COMPATIBLE', capabilities: [
        { permission: 'read_odometer', endpoint: '/odometer', capable: true, reason: null },
        { permission: 'read_fuel', endpoint: '/fuel', capable: false, reason: 'VEHICLE_NOT_CAPABLE' },
      ],
    });
    const yes = (await app.inject({ url: '/v2.0/compatibility?scope=required%3Aread_odometer&vin=5YJ3E1EA7KF000001', headers: basic('app-1', 'secret-1') })).json();
    expect(yes).toEqual({ compatible: true, reason: null, capabilities: [{ permission: 'read_odometer', endpoint: '/odometer', capable: true, reason: null }] });
    const make = (await app.inject({ url: '/v2.0/compatibility?scope=read_odometer&vin=ZZZ3E1EA7KF000001', headers: basic('app-1', 'secret-1') })).json();
    expect(make).toEqual({ compatible: false, reason: 'MAKE_NOT_COMPATIBLE', capabilities: [] });
    const bad = await app.inject({ url: '/v2.0/compatibility?scope=read_odometer&vin=5YJ3E1EA7KF000001', headers: basic('app-1', 'wrong') });
    expect(bad.statusCode).toBe(401);
    const invalid = await app.inject({ url: '/v2.0/compatibility?vin=short', headers: basic('app-1', 'secret-1') });
    expect(invalid.json()).toMatchObject({ type: 'VALIDATION' });
    await app.close();
  });

  it('reads form-encoded Basic client credentials the way the token endpoint does', async () => {
    const app = await apiApp(world());
    const encoded = { authorization: `Basic ${Buffer.from('app%2D1:secret%2D1').toString('base64')}` };
    const res = await app.inject({ url: '/v2.0/compatibility?scope=read_odometer&vin=5YJ3E1EA7KF000001', headers: encoded });
    expect(res.statusCode).toBe(200);
    await app.close();
  });

  it('rejects unknown permission names with VALIDATION:PARAMETER and names them in detail', async () => {
    const app = await apiApp(world());
    const res = await app.inject({ url: '/v2.0/compatibility?scope=read_odometer+read_warp_drive&vin=5YJ3E1EA7KF000001', headers: basic('app-1', 'secret-1') });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: 'VALIDATION', code: 'PARAMETER' });
    expect(res.json().detail).toEqual([expect.objectContaining({ field: 'scope', message: expect.stringContaining('read_warp_drive') })]);
    await app.close();
  });

  it('generates the matrix per region, type and make', async () => {
    const app = await apiApp(world());
    const us = (await app.inject({ url: '/v2.0/compatibility/matrix?region=US', headers: basic('app-1', 'secret-1') })).json();
    expect(Object.keys(us).sort()).toEqual(['FORD', 'TESLA']);
    expect(us.FORD[0]).toMatchObject({ model: 'F-150', startYear: 2018, endYear: 2026, type: 'ICE' });
    expect(us.FORD[0].permissions).toContain('read_fuel');
    const eu = (await app.inject({ url: '/v2.0/compatibility/matrix?region=EUROPE&type=BEV', headers: basic('app-1', 'secret-1') })).json();
    expect(Object.keys(eu)).toEqual(['TESLA']);
    const scoped = (await app.inject({ url: '/v2.0/compatibility/matrix?region=US&scope=read_battery', headers: basic('app-1', 'secret-1') })).json();
    expect(Object.keys(scoped)).toEqual(['TESLA']);
    expect((await app.inject({ url: '/v2.0/compatibility/matrix?region=MARS', headers: basic('app-1', 'secret-1') })).statusCode).toBe(400);
    await app.close();
  });
});

describe('management API', () => {
  it('lists connections newest first with a cursor and deletes them', async () => {
    const w = world();
    const app = await apiApp(w);
    const auth = basic('default', 'amt-1');
    const page1 = (await app.inject({ url: '/v2.0/management/connections?limit=1', headers: auth })).json();
    expect(page1.connections).toEqual([{ userId: 'user-2', vehicleId: '00000000-0000-4000-8000-000000000002', connectedAt: new Date(w.connections[1]!.connectedAt).toISOString(), mode: 'live' }]);
    expect(page1.paging.cursor).toEqual(expect.any(String));
    const page2 = (await app.inject({ url: `/v2.0/management/connections?limit=1&cursor=${page1.paging.cursor}`, headers: auth })).json();
    expect(page2.connections[0].vehicleId).toBe('00000000-0000-4000-8000-000000000001');
    expect(page2.paging.cursor).toBeNull();
    expect((await app.inject({ url: '/v2.0/management/connections', headers: basic('default', 'nope') })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: '/v2.0/management/connections', headers: auth })).statusCode).toBe(400);
    const del = (await app.inject({ method: 'DELETE', url: '/v2.0/management/connections?vehicle_id=00000000-0000-4000-8000-000000000001', headers: auth })).json();
    expect(del).toEqual({ connections: [{ userId: 'user-1', vehicleId: '00000000-0000-4000-8000-000000000001' }] });
    expect((await app.inject({ url: '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/odometer', headers: bearer('tok-all') })).statusCode).toBe(404);
    await app.close();
  });
});
