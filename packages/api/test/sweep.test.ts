import { describe, expect, it } from 'vitest';
import { VEHICLE_ROUTES, type VehicleRoute } from '../src/index.js';
import { apiApp, bearer, world } from './fakes.js';
import { expectShape } from './shape.js';

const BODIES: Record<string, unknown> = {
  chargeControl: { action: 'START' }, setChargeLimit: { limit: '0.8' }, lockControl: { action: 'LOCK' },
  sendDestination: { latitude: 48.1, longitude: 11.5 },
};

const url = (r: VehicleRoute, vehicle = '00000000-0000-4000-8000-000000000001') => `/v2.0/vehicles/${vehicle}${r.path.replace(':webhookId', 'wh-1')}`;
const send = (r: VehicleRoute, headers: Record<string, string>, vehicle?: string) => ({
  method: r.method, url: url(r, vehicle), headers: { ...headers, 'content-type': 'application/json' },
  payload: BODIES[r.name] !== undefined ? JSON.stringify(BODIES[r.name]) : undefined,
});

/** Walks the declarative route table: every row answers its documented shape and its catalogue errors. */
describe('route table sweep', () => {
  it('covers every v2.0 vehicle endpoint of the contract', () => {
    expect(VEHICLE_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining([
      'GET ', 'GET /vin', 'GET /location', 'GET /odometer', 'GET /fuel', 'GET /battery', 'GET /battery/capacity',
      'GET /battery/nominal_capacity', 'GET /charge', 'POST /charge', 'GET /charge/limit', 'POST /charge/limit',
      'GET /tires/pressure', 'GET /engine/oil', 'GET /security', 'POST /security', 'POST /navigation/destination',
      'GET /service/history', 'GET /diagnostics/system_status', 'GET /diagnostics/dtcs', 'GET /permissions',
      'DELETE /application', 'POST /webhooks/:webhookId',
    ]));
  });

  for (const route of VEHICLE_ROUTES) {
    describe(`${route.method} /vehicles/{id}${route.path}`, () => {
      it('answers its documented success shape, exact keys, with sc-* headers', async () => {
        const w = world();
        const app = await apiApp(w);
        const res = await app.inject(send(route, bearer('tok-all')));
        expect(res.statusCode, res.body).toBe(200);
        expectShape((route.schema.response as Record<string, unknown>)[200], res.json());
        expect(res.headers['sc-request-id']).toHaveLength(36);
        expect(res.headers['sc-unit-system']).toBe('metric');
        expect(res.headers['ratelimit-limit']).toBe('120');
        expect(w.ledger).toHaveLength(1);
        expect(w.ledger[0]!.units).toBe(route.billable ? 1 : 0);
        await app.close();
      });

      it('AUTHENTICATION without a token', async () => {
        const app = await apiApp(world());
        const res = await app.inject(send(route, {}));
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ type: 'AUTHENTICATION', code: null, statusCode: 401 });
        await app.close();
      });

      if (route.permission) {
        it(`PERMISSION with a token lacking ${route.permission}`, async () => {
          const w = world();
          const app = await apiApp(w);
          const res = await app.inject(send(route, bearer('tok-none')));
          expect(res.statusCode).toBe(403);
          expect(res.json()).toMatchObject({ type: 'PERMISSION', code: null });
          expect(w.connectors.get('00000000-0000-4000-8000-000000000001')!.calls).toEqual([]);
          await app.close();
        });
      }

      it("never reaches another owner's vehicle", async () => {
        const w = world();
        const app = await apiApp(w);
        const res = await app.inject(send(route, bearer('tok-other-owner')));
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ type: 'RESOURCE_NOT_FOUND', code: 'PATH' });
        expect(w.connectors.get('00000000-0000-4000-8000-000000000001')!.calls).toEqual([]);
        await app.close();
      });
    });
  }

  it('every other entry point answers AUTHENTICATION without credentials', async () => {
    const app = await apiApp(world());
    for (const [method, path] of [['GET', '/v2.0/vehicles'], ['GET', '/v2.0/user'], ['POST', '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/batch'],
      ['GET', '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/tesla/speedometer'], ['DELETE', '/v2.0/vehicles/00000000-0000-4000-8000-000000000001/webhooks/wh-1'],
      ['GET', '/v2.0/compatibility?vin=5YJ3E1EA7KF000001&scope=read_odometer'], ['GET', '/v2.0/compatibility/matrix?region=US'],
      ['GET', '/v2.0/management/connections'], ['DELETE', '/v2.0/management/connections?user_id=u']] as const) {
      const res = await app.inject({ method, url: path });
      expect(res.statusCode, `${method} ${path}`).toBe(401);
      expect(res.json().type).toBe('AUTHENTICATION');
    }
    for (const path of ['/v3/vehicles/00000000-0000-4000-8000-000000000001', '/v3/vehicles/00000000-0000-4000-8000-000000000001/signals', '/v3/vehicles/00000000-0000-4000-8000-000000000001/signals/odometer-traveleddistance']) {
      const res = await app.inject({ method: 'GET', url: path });
      expect(res.statusCode, path).toBe(401);
      expect(res.json().errors[0]).toMatchObject({ status: '401', type: 'AUTHENTICATION' });
    }
    await app.close();
  });
});
