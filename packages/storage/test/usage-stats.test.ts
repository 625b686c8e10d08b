import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, UsageStatsRepo, type Storage } from '../src/index.js';

const PG = process.env.TEST_DATABASE_URL;
const NOV1 = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;

const row = (i: number, at: number, endpoint: string, status: number, latency: number, units: number, app = 'app1') => ({
  request_id: `r-${app}-${i}`, at, month: '2026-11', app_id: app, vehicle_id: 'v1', user_id: 'u1', endpoint, method: 'GET', status, latency_ms: latency, units, woke: 0, request_class: 'data',
});

const dialects = [{ name: 'SQLite', url: 'sqlite::memory:', schema: undefined as string | undefined }];
if (PG) dialects.push({ name: 'PostgreSQL', url: PG, schema: `usage_stats_${process.pid}_${Date.now().toString(36)}` });

describe.each(dialects)('usage stats per day and endpoint ($name)', ({ url, schema }) => {
  let s: Storage;
  beforeAll(async () => {
    s = await openStorage(url, schema ? { schema } : {});
    const rows = [];
    // 1 Nov: 100 odometer reads with latencies 1..100 ms, every tenth a 409 (not billed).
    for (let i = 1; i <= 100; i++) rows.push(row(i, NOV1 + i * 1000, 'GET /v2.0/vehicles/:id/odometer', i % 10 === 0 ? 409 : 200, i, i % 10 === 0 ? 0 : 1));
    // 3 Nov: one batch billing 3 units (40 ms), one 500 (7 ms).
    rows.push(row(101, NOV1 + 2 * DAY + 5, 'POST /v2.0/vehicles/:id/batch', 200, 40, 3), row(102, NOV1 + 2 * DAY + 9, 'POST /v2.0/vehicles/:id/batch', 500, 7, 0));
    // Another app's request and another month's are not counted.
    rows.push(row(103, NOV1 + 5, 'GET /v2.0/vehicles/:id/odometer', 200, 999, 1, 'app2'), { ...row(104, NOV1 - 5, 'GET /v2.0/vehicles/:id/odometer', 200, 999, 1), month: '2026-10' });
    await s.db.insertInto('ledger').values(rows as never).execute();
  });
  afterAll(async () => {
    if (schema) await s.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await s.close();
  });

  it('counts requests, billable requests, units and errors and takes nearest-rank p50/p99 per UTC day', async () => {
    expect(await new UsageStatsRepo(s.db).byDay('app1', '2026-11')).toEqual([
      { day: NOV1, requests: 100, billableRequests: 90, units: 90, errors: 10, p50: 50, p99: 99 },
      { day: NOV1 + 2 * DAY, requests: 2, billableRequests: 1, units: 3, errors: 1, p50: 7, p99: 40 },
    ]);
  });

  it('does the same per endpoint', async () => {
    expect(await new UsageStatsRepo(s.db).byEndpoint('app1', '2026-11')).toEqual([
      { endpoint: 'GET /v2.0/vehicles/:id/odometer', requests: 100, billableRequests: 90, units: 90, errors: 10, p50: 50, p99: 99 },
      { endpoint: 'POST /v2.0/vehicles/:id/batch', requests: 2, billableRequests: 1, units: 3, errors: 1, p50: 7, p99: 40 },
    ]);
    expect(await new UsageStatsRepo(s.db).byEndpoint('nobody', '2026-11')).toEqual([]);
  });
});
