import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, v3World, type V3App } from './fixture.js';

type W = Awaited<ReturnType<typeof v3World>>;
let w: W;
let appA: V3App;
let appB: V3App;
let tokA: string;
let tokB: string;
const cars: Awaited<ReturnType<W['connect']>>[] = [];
let foreign: Awaited<ReturnType<W['connect']>>;

beforeAll(async () => {
  w = await v3World();
  appA = await w.makeApp('A');
  appB = await w.makeApp('B');
  for (let i = 0; i < 3; i++) {
    w.clock.advance(1000);
    cars.push(await w.connect(appA, `owner-${i}@example.com`, i === 2 ? ['read_vehicle_info', 'read_odometer'] : undefined));
  }
  foreign = await w.connect(appB, 'owner-b@example.com');
  tokA = await w.appToken(appA);
  tokB = await w.appToken(appB);
});
afterAll(async () => w?.close());

const keys = (o: object) => Object.keys(o).sort();
const get = (url: string, token = tokA, userId?: string) => w.app.inject({ url, headers: auth(token, userId) });
const simulated = 'filter[vehicle.mode]=simulated';

describe('GET /v3/connections', () => {
  it('lists the app\'s connections newest first in the page[number] spelling, with the granted permissions', async () => {
    const res = await get(`/v3/connections?${simulated}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(keys(body)).toEqual(['data', 'links', 'meta']);
    expect(body.meta).toEqual({ pageNumber: 1, pageSize: 10, totalCount: 3, orderBy: 'connectedAt', orderDirection: 'desc' });
    expect(keys(body.links)).toEqual(['first', 'last', 'next', 'prev', 'self']);
    expect(body.links.prev).toBeNull();
    expect(body.links.next).toBeNull();
    expect(body.data.map((c: { relationships: { vehicle: { data: { id: string } } } }) => c.relationships.vehicle.data.id)).toEqual([cars[2]!.vehicleId, cars[1]!.vehicleId, cars[0]!.vehicleId]);
    const item = body.data[0];
    expect(keys(item)).toEqual(['attributes', 'id', 'links', 'relationships', 'type']);
    expect(item.type).toBe('connection');
    expect(keys(item.attributes)).toEqual(['connectedAt', 'permissions', 'user', 'vehicle']);
    expect(item.attributes.permissions).toEqual(['read_vehicle_info', 'read_odometer']);
    expect(item.attributes.user).toEqual({ id: cars[2]!.userId, externalId: null });
    expect(item.attributes.vehicle).toEqual({ make: 'TESLA', model: expect.any(String), year: expect.any(Number), mode: 'simulated', powertrainType: 'BEV' });
    expect(keys(item.relationships)).toEqual(['user', 'vehicle']);
  });

  it('answers in the page/pageSize spelling when asked that way', async () => {
    const res = await get(`/v3/connections?${simulated}&page=2&pageSize=2`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.meta).toEqual({ page: 2, pageSize: 2, totalCount: 3 });
    expect(keys(body.links)).toEqual(['first', 'last', 'next', 'previous', 'self']);
    expect(body.links.previous).toContain('page=1&pageSize=2');
    expect(body.links.next).toBeNull();
    expect(body.data).toHaveLength(1);
  });

  it('pages with page[number]/page[size] and keeps the filters in the links', async () => {
    const one = (await get(`/v3/connections?${simulated}&page[number]=1&page[size]=2`)).json();
    expect(one.data).toHaveLength(2);
    expect(one.meta).toMatchObject({ pageNumber: 1, pageSize: 2, totalCount: 3 });
    expect(decodeURIComponent(one.links.next)).toContain('filter[vehicle.mode]=simulated&page[number]=2&page[size]=2');
    const two = (await get(decodeURIComponent(one.links.next).replace('http://opencar.test', ''))).json();
    expect(two.data).toHaveLength(1);
    expect(two.links.next).toBeNull();
  });

  it('filters by user, vehicle, mode and sc-user-id; live is the default mode', async () => {
    expect((await get('/v3/connections')).json().meta.totalCount).toBe(0);
    expect((await get('/v3/connections?filter[vehicle.mode]=live')).json().data).toEqual([]);
    const byUser = (await get(`/v3/connections?${simulated}&filter[userId]=${cars[1]!.userId}`)).json();
    expect(byUser.data.map((c: { attributes: { user: { id: string } } }) => c.attributes.user.id)).toEqual([cars[1]!.userId]);
    const byVehicle = (await get(`/v3/connections?${simulated}&filter[vehicleId]=${cars[0]!.vehicleId}`)).json();
    expect(byVehicle.meta.totalCount).toBe(1);
    expect((await get(`/v3/connections?${simulated}`, tokA, cars[0]!.userId)).json().meta.totalCount).toBe(1);
    expect((await get(`/v3/connections?${simulated}&filter[user.externalId]=nobody`)).json().meta.totalCount).toBe(0);
  });

  it.each([
    ['an unknown mode', 'filter[vehicle.mode]=test'],
    ['both paging spellings', 'page=1&page[size]=2'],
    ['a page size over 100', 'page[size]=101'],
    ['page 0', 'page[number]=0'],
    ['an unknown parameter', 'filter[make]=TESLA'],
  ])('refuses %s with 400 VALIDATION INVALID_INPUT_FORMAT', async (_n, q) => {
    const res = await get(`/v3/connections?${q}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ status: '400', type: 'VALIDATION', code: 'INVALID_INPUT_FORMAT' });
  });

  it('takes an application token only', async () => {
    expect((await get('/v3/connections', cars[0]!.userToken)).statusCode).toBe(401);
    expect((await w.app.inject({ url: '/v3/connections' })).statusCode).toBe(401);
  });
});

describe('one connection, disconnect, users', () => {
  it('GET /v3/connections/{id} answers the item of the list', async () => {
    const list = (await get(`/v3/connections?${simulated}`)).json();
    const id = list.data[1].id as string;
    const res = await get(`/v3/connections/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(keys(res.json())).toEqual(['data', 'links']);
    expect(res.json().data).toEqual(list.data[1]);
  });

  it('isolation: another app\'s token never reaches a connection or user of this app', async () => {
    const list = (await get(`/v3/connections?${simulated}`)).json();
    const id = list.data[0].id as string;
    expect((await get(`/v3/connections/${id}`, tokB)).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'DELETE', url: `/v3/connections/${id}`, headers: auth(tokB) })).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'DELETE', url: `/v3/users/${cars[0]!.userId}`, headers: auth(tokB) })).statusCode).toBe(404);
    const bList = (await get(`/v3/connections?${simulated}`, tokB)).json();
    expect(bList.data.map((c: { attributes: { user: { id: string } } }) => c.attributes.user.id)).toEqual([foreign.userId]);
    expect((await get(`/v3/vehicles/${foreign.vehicleId}/signals`, tokA, foreign.userId)).statusCode).toBe(404);
    expect((await get('/v3/connections/garbage')).statusCode).toBe(404);
  });

  it('DELETE /v3/connections/{id} disconnects at once', async () => {
    const list = (await get(`/v3/connections?${simulated}&filter[userId]=${cars[0]!.userId}`)).json();
    const id = list.data[0].id as string;
    const del = await w.app.inject({ method: 'DELETE', url: `/v3/connections/${id}`, headers: auth(tokA) });
    expect(del.statusCode).toBe(204);
    expect((await get(`/v3/connections/${id}`)).statusCode).toBe(404);
    expect((await get(`/v3/vehicles/${cars[0]!.vehicleId}/signals/odometer-traveleddistance`, cars[0]!.userToken)).statusCode).toBe(401);
    expect((await w.app.inject({ method: 'DELETE', url: `/v3/connections/${id}`, headers: auth(tokA) })).statusCode).toBe(404);
  });

  it('DELETE /v3/users/{userId} removes the user and every connection', async () => {
    const del = await w.app.inject({ method: 'DELETE', url: `/v3/users/${cars[1]!.userId}`, headers: auth(tokA) });
    expect(del.statusCode).toBe(204);
    expect((await get(`/v3/connections?${simulated}&filter[userId]=${cars[1]!.userId}`)).json().meta.totalCount).toBe(0);
    expect((await get(`/v3/vehicles/${cars[1]!.vehicleId}`, tokA)).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'DELETE', url: `/v3/users/${cars[1]!.userId}`, headers: auth(tokA) })).statusCode).toBe(404);
  });
});
