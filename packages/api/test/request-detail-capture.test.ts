import { describe, expect, it } from 'vitest';
import type { RequestDetail } from '@opencar/metering';
import { apiApp, bearer, world } from './fakes.js';

const VEHICLE = '00000000-0000-4000-8000-000000000001';

describe('request detail handed to the request log', () => {
  it('gives every authenticated API request its headers and bodies, after the ledger entry, and nothing for unauthenticated ones', async () => {
    const w = world();
    const got: RequestDetail[] = [];
    w.deps.metering.recordDetail = (d) => { got.push(d); };
    const app = await apiApp(w);
    const ok = await app.inject({ method: 'POST', url: `/v2.0/vehicles/${VEHICLE}/charge/limit?x=1`, headers: { ...bearer('tok-all'), 'content-type': 'application/json' }, payload: '{"limit":0.8}' });
    expect(ok.statusCode).toBe(200);
    const bad = await app.inject({ method: 'POST', url: `/v2.0/vehicles/${VEHICLE}/charge/limit`, headers: { ...bearer('tok-all'), 'content-type': 'application/json' }, payload: '{"limit":7}' });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ url: `/v2.0/vehicles/${VEHICLE}/odometer` })).statusCode).toBe(401);
    expect(got).toHaveLength(2);
    const [a, b] = got as [RequestDetail, RequestDetail];
    expect(a).toMatchObject({ requestId: ok.headers['sc-request-id'], method: 'POST', url: `/v2.0/vehicles/${VEHICLE}/charge/limit?x=1`, status: 200, requestBody: { limit: 0.8 } });
    expect(a.requestHeaders.authorization).toBe('Bearer tok-all');
    expect(a.responseBody).toBe(ok.body);
    expect(a.responseHeaders['content-type']).toMatch(/^application\/json/);
    expect(b.status).toBe(400);
    expect(JSON.parse(String(b.responseBody))).toMatchObject({ type: 'VALIDATION' });
    // The ledger entry of each is recorded too, with the same request id.
    expect(w.ledger.map((e) => e.requestId)).toEqual([a.requestId, b.requestId]);
    await app.close();
  });

  it('answers the request even when handing over the detail throws', async () => {
    const w = world();
    w.deps.metering.recordDetail = () => { throw new Error('detail store broken'); };
    const app = await apiApp(w);
    const res = await app.inject({ url: `/v2.0/vehicles/${VEHICLE}/odometer`, headers: bearer('tok-all') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveProperty('distance');
    await app.close();
  });
});
