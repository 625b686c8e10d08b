import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, v3World, type V3App } from './fixture.js';

type W = Awaited<ReturnType<typeof v3World>>;
type Car = Awaited<ReturnType<W['connect']>>;

/** What a v3 call bills (README, API v3 → Metering), and plans applied to v3 as to v2. */
describe('metering of v3 calls', () => {
  let w: W;
  let app: V3App;
  let tok: string;
  let car: Car;
  beforeAll(async () => {
    w = await v3World();
    app = await w.makeApp('metered');
    // A monthly quota of 4 billable requests for this developer's apps.
    await w.platform.storage.db.updateTable('developers').set({ plan_limits: JSON.stringify({ requestsPerMonth: 4 }) }).execute();
    car = await w.connect(app, '5YJ3E1EA7KF000007@bev.smartcar.com');
    tok = await w.appToken(app);
  });
  afterAll(async () => w?.close());

  const ledger = async (endpoint: string) => {
    await w.platform.metering.flush();
    return (await w.platform.storage.db.selectFrom('ledger').selectAll().where('app_id', '=', app.id).where('endpoint', '=', endpoint).execute())
      .map((r) => [Number(r.status), Number(r.units)]);
  };

  it('one signals read is one billable request, whatever the number of signals; connections are free', async () => {
    const all = await w.app.inject({ url: `/v3/vehicles/${car.vehicleId}/signals`, headers: auth(tok, car.userId) });
    expect(all.json().data.length).toBe(93);
    expect(await ledger('GET /v3/vehicles/:id/signals')).toEqual([[200, 1]]);
    expect((await w.app.inject({ url: '/v3/connections?filter[vehicle.mode]=simulated', headers: auth(tok) })).statusCode).toBe(200);
    expect(await ledger('GET /v3/connections')).toEqual([[200, 0]]);
    expect((await w.app.inject({ url: `/v3/vehicles/${car.vehicleId}/signals/odometer-traveleddistance`, headers: auth(tok, car.userId) })).statusCode).toBe(200);
    expect((await w.app.inject({ method: 'POST', url: `/v3/vehicles/${car.vehicleId}/commands/security/lock`, headers: auth(tok, car.userId) })).statusCode).toBe(200);
    expect(await ledger('POST /v3/vehicles/:id/commands/security/lock')).toEqual([[200, 1]]);
  });

  it('the plan\'s monthly quota applies: 430 BILLING VEHICLE_REQUEST_LIMIT in the v3 error object; free calls still pass', async () => {
    expect((await w.app.inject({ url: `/v3/vehicles/${car.vehicleId}`, headers: auth(tok) })).statusCode).toBe(200);
    const over = await w.app.inject({ url: `/v3/vehicles/${car.vehicleId}/signals`, headers: auth(tok, car.userId) });
    expect(over.statusCode).toBe(430);
    expect(over.json().errors[0]).toMatchObject({ status: '430', type: 'BILLING', code: 'VEHICLE_REQUEST_LIMIT' });
    expect((await w.app.inject({ url: '/v3/connections', headers: auth(tok) })).statusCode).toBe(200);
  });
});
