import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v3World } from './fixture.js';

type W = Awaited<ReturnType<typeof v3World>>;

const V3_OPERATIONS = [
  'post /oauth2/token',
  'get /v3/connections', 'get /v3/connections/{connectionId}', 'delete /v3/connections/{connectionId}', 'delete /v3/users/{userId}',
  'get /v3/vehicles/{id}', 'get /v3/vehicles/{id}/signals', 'get /v3/vehicles/{id}/signals/{code}',
  ...['charge/start', 'charge/stop', 'charge/set-limit', 'charge-port/open', 'charge-port/close', 'security/lock', 'security/unlock', 'navigation/set-destination']
    .map((c) => `post /v3/vehicles/{id}/commands/${c}`),
  'post /v3/vehicles/{id}/charge-schedules/daily', 'post /v3/vehicles/{id}/charge-schedules/weekly', 'post /v3/vehicles/{id}/charge-schedules/workweek',
  'delete /v3/vehicles/{id}/charge-schedules/{scheduleId}', 'get /v3/vehicles/{id}/charge-schedules/{scheduleId}/executions',
  'get /v3/compatible-vehicles', 'get /v3/compatible-vehicles/{vin}',
];

describe('the API reference covers every v3 route', () => {
  let w: W;
  beforeAll(async () => { w = await v3World(); });
  afterAll(async () => w?.close());

  it('/openapi.json has every v3 operation with a summary and a tag, and /docs/api lists them', async () => {
    const doc = (await w.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { summary?: string; tags?: string[] }>> };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => [`${m} ${path}`, op] as const));
    const byKey = new Map<string, { summary?: string; tags?: string[] }>(ops);
    for (const key of V3_OPERATIONS) {
      const op = byKey.get(key);
      expect(op, key).toBeDefined();
      expect(op!.summary, key).toBeTruthy();
      expect(op!.tags?.length, key).toBeGreaterThan(0);
    }
    const page = await w.app.inject({ url: '/docs/api' });
    expect(page.statusCode).toBe(200);
    for (const path of ['/v3/connections', '/v3/vehicles/{id}/commands/charge/set-limit', '/v3/vehicles/{id}/charge-schedules/daily']) expect(page.body).toContain(path);
  });
});
