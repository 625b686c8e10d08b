import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../../../apps/server/test/helpers.js';
import { FormClient, inputValue } from './browser-client.js';

type T = Awaited<ReturnType<typeof testApp>>;
const DAY = 86_400_000;
const NOV1 = Date.UTC(2026, 10, 1);

async function devWithApp(t: T) {
  const c = new FormClient(t.app);
  await c.get('/dashboard/signup');
  await c.post('/dashboard/signup', { name: 'Dev', email: 'dev@example.com', password: 'correct horse battery', accept_tos: 'on' });
  await c.get('/dashboard/apps/new');
  const res = await c.post('/dashboard/apps', { name: 'Usage', redirect_uris: 'https://app.example/cb', scope: ['read_vin'], mode: 'simulated' });
  return { c, appId: inputValue(res.body, 'client-id')! };
}

const rects = (body: string, kind: string) => [...body.matchAll(new RegExp(`<rect class="bar[^"]*" data-label="(\\d\\d)" data-value="(\\d+)" data-kind="${kind}"`, 'g'))].map((m) => [m[1], Number(m[2])] as const);
const row = (body: string, attr: string, value: string) => {
  const m = new RegExp(`<tr ${attr}="${value.replace(/[/:.]/g, (c) => `\\${c}`)}">([\\s\\S]*?)</tr>`).exec(body);
  return m ? [...m[1]!.matchAll(/<td>([^<]*)<\/td>/g)].map((x) => x[1]) : undefined;
};

describe('usage page: the month in requests, quota, errors and latency', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('draws every day of the month, billable and non-billable stacked, the quota line, and per-day and per-endpoint errors and p50/p99', async () => {
    // The 3rd of November, 01:00 UTC.
    t.clock.set(NOV1 + 2 * DAY + 3_600_000);
    const { c, appId } = await devWithApp(t);
    const odo = 'GET /v2.0/vehicles/:id/odometer';
    const batch = 'POST /v2.0/vehicles/:id/batch';
    let n = 0;
    const rec = (at: number, endpoint: string, status: number, latencyMs: number, units: number) => t.platform.metering.record({
      requestId: `u-${n++}`, at, appId, vehicleId: 'veh-1', userId: 'u1', endpoint, method: endpoint.slice(0, endpoint.indexOf(' ')), status, latencyMs, units, woke: false, requestClass: 'data',
    });
    // 1 Nov: 20 odometer reads, latencies 1..20 ms; the 5th, 10th, 15th and 20th answered 409 (not billed).
    for (let i = 1; i <= 20; i++) await rec(NOV1 + i * 60_000, odo, i % 5 === 0 ? 409 : 200, i, i % 5 === 0 ? 0 : 1);
    // 3 Nov: a batch billing 3 units (30 ms) and a 500 (8 ms).
    await rec(NOV1 + 2 * DAY + 1000, batch, 200, 30, 3);
    await rec(NOV1 + 2 * DAY + 2000, batch, 500, 8, 0);
    const res = await c.get(`/dashboard/apps/${appId}/usage`);
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(200);
    const body = res.body;

    // A slot for each of November's 30 days, the 1st not filling the width.
    const billable = rects(body, 'billable');
    const free = rects(body, 'non-billable');
    expect(billable.map(([l]) => l)).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(billable.slice(0, 4)).toEqual([['01', 16], ['02', 0], ['03', 1], ['04', 0]]);
    expect(free.slice(0, 4)).toEqual([['01', 4], ['02', 0], ['03', 1], ['04', 0]]);
    const widths = [...body.matchAll(/<rect class="bar" data-label="\d\d"[^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(30);
    expect(Math.max(...widths)).toBeLessThan(720 / 30);
    for (const l of ['01', '05', '10', '15', '20', '25', '30']) expect(body).toContain(`text-anchor="middle">${l}</text>`);

    // Free plan: 100 billable requests a month; 19 units used by the 3rd (16 + 3).
    expect(body).toMatch(/<line class="quota" id="chart-quota-quota" data-value="100"/);
    expect(body).toMatch(/<polyline class="used" id="chart-quota-used" data-value="19"/);
    expect(body).toContain('<p class="muted" id="quota-note">19 of 100 billable requests used this month.</p>');

    // Per day: requests, billable, non-billable, errors, error rate, p50, p99 (nearest rank).
    expect(row(body, 'data-day', '01')).toEqual(['20', '16', '4', '4', '20%', '10.0 ms', '20.0 ms']);
    expect(row(body, 'data-day', '02')).toEqual(['0', '0', '0', '0', '—', '—', '—']);
    expect(row(body, 'data-day', '03')).toEqual(['2', '1', '1', '1', '50%', '8.00 ms', '30.0 ms']);
    expect(row(body, 'data-day', '04')).toBeUndefined();
    expect(row(body, 'data-endpoint', odo)).toEqual(['20', '16', '4', '4', '20%', '10.0 ms', '20.0 ms']);
    expect(row(body, 'data-endpoint', batch)).toEqual(['2', '1', '1', '1', '50%', '8.00 ms', '30.0 ms']);
    expect(body).toContain('<title id="chart-daily-title">Requests per day: billable and non-billable</title>');
  });

  it('says when the plan has no quota, in German', async () => {
    const { c, appId } = await devWithApp(t);
    await t.platform.storage.db.updateTable('developers').set({ plan: 'enterprise' }).execute();
    t.platform.metering.invalidatePlans();
    const body = (await c.get(`/dashboard/apps/${appId}/usage`, { 'accept-language': 'de' })).body;
    expect(body).not.toContain('class="quota"');
    expect(body).toContain('Dieser Tarif hat kein Monatskontingent.');
    expect(body).toContain('<th scope="col">Fehlerquote</th>');
    expect(rects(body, 'billable')).toHaveLength(30);
  });
});
