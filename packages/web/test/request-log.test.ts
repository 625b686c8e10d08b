import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../../../apps/server/test/helpers.js';
import { FormClient, inputValue } from './browser-client.js';

type T = Awaited<ReturnType<typeof testApp>>;

async function devWithApp(t: T, email = 'dev@example.com') {
  const c = new FormClient(t.app);
  await c.get('/dashboard/signup');
  await c.post('/dashboard/signup', { name: 'Dev', email, password: 'correct horse battery', accept_tos: 'on' });
  await c.get('/dashboard/apps/new');
  const res = await c.post('/dashboard/apps', { name: 'Log', redirect_uris: 'https://app.example/cb', scope: ['read_vin'], mode: 'simulated' });
  return { c, appId: inputValue(res.body, 'client-id')! };
}

const ids = (body: string) => [...body.matchAll(/<tr data-request-id="([^"]+)"/g)].map((m) => m[1]!);
const link = (body: string, id: string) => /href="([^"]+)"/.exec(new RegExp(`<a[^>]*id="${id}"[^>]*>`).exec(body)?.[0] ?? '')?.[1]?.replace(/&amp;/g, '&');

describe('request log: paging, search, detail and export', () => {
  let t: T;
  let c: FormClient;
  let appId = '';
  const base = () => t.clock.now();
  beforeEach(async () => {
    t = await testApp();
    ({ c, appId } = await devWithApp(t));
    const at0 = base();
    for (let i = 0; i < 120; i++) {
      await t.platform.metering.record({
        requestId: `req-${String(i).padStart(3, '0')}`, at: at0 - (120 - i) * 60_000, appId, vehicleId: i % 3 === 0 ? 'veh-three' : 'veh-other', userId: 'u1',
        endpoint: i % 2 ? 'GET /v2.0/vehicles/:id/odometer' : 'GET /v2.0/vehicles/:id/battery', method: 'GET', status: i % 10 === 0 ? 409 : 200, latencyMs: 12, units: i % 10 === 0 ? 0 : 1, woke: false, requestClass: 'data',
      });
    }
  });
  afterEach(async () => t.close());

  it('pages 50 one-line rows at a time, newest first, with no row shown twice', async () => {
    const seen: string[] = [];
    let url: string | undefined = `/dashboard/apps/${appId}/logs`;
    for (let page = 0; url && page < 5; page++) {
      const body = (await c.get(url)).body;
      seen.push(...ids(body));
      expect(body).not.toMatch(/<tbody>[\s\S]*<br>[\s\S]*<\/tbody>/);
      url = link(body, 'log-older');
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]).toBe('req-119');
    expect(seen.at(-1)).toBe('req-000');
  });

  it('searches by request id and by vehicle id over the whole log, and filters by endpoint and status', async () => {
    expect(ids((await c.get(`/dashboard/apps/${appId}/logs?q=req-004`)).body)).toEqual(['req-004']);
    const vehicle = ids((await c.get(`/dashboard/apps/${appId}/logs?q=veh-three`)).body);
    expect(vehicle).toHaveLength(40);
    expect(vehicle.every((id) => Number(id.slice(4)) % 3 === 0)).toBe(true);
    const failed = ids((await c.get(`/dashboard/apps/${appId}/logs?status=4xx&endpoint=${encodeURIComponent('GET /v2.0/vehicles/:id/battery')}`)).body);
    expect(failed).toEqual(['req-110', 'req-100', 'req-090', 'req-080', 'req-070', 'req-060', 'req-050', 'req-040', 'req-030', 'req-020', 'req-010', 'req-000']);
  });

  it('opens one request with its full ids to copy; another app cannot open it', async () => {
    const body = (await c.get(`/dashboard/apps/${appId}/logs/req-007`)).body;
    expect(body).toContain('<code id="detail-request-id">req-007</code>');
    expect(body).toContain('data-copy="detail-request-id"');
    expect(body).toContain('<code id="detail-vehicle-id">veh-other</code>');
    const other = await devWithApp(t, 'other@example.com');
    expect((await other.c.get(`/dashboard/apps/${other.appId}/logs/req-007`)).statusCode).toBe(404);
  });

  it('exports the filtered log as CSV and as JSON', async () => {
    const csv = await c.get(`/dashboard/apps/${appId}/logs/export.csv?status=4xx`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="request-log-${appId}.csv"`);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('request_id,time,method,endpoint,status,latency_ms,billable_units,vehicle_id,user_id,woke,request_class');
    expect(lines).toHaveLength(13);
    expect(lines[1]).toMatch(/^req-110,2026-10-31T23:50:00.000Z,GET,GET \/v2.0\/vehicles\/:id\/battery,409,12,0,veh-other,u1,false,data$/);
    const json = await c.get(`/dashboard/apps/${appId}/logs/export.json?q=veh-three`);
    const rows = JSON.parse(json.body) as { request_id: string; vehicle_id: string }[];
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.vehicle_id))).toEqual(new Set(['veh-three']));
    expect((await c.get(`/dashboard/apps/${appId}/logs/export.xml`)).statusCode).toBe(404);
  });
});
