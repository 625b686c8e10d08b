import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const V2_KEYS = ['type', 'code', 'description', 'docURL', 'statusCode', 'requestId', 'resolution', 'suggestedUserMessage'];

describe('server core', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp();
    t.app.post('/v2.0/__echo', async (req) => ({ body: req.body ?? null }));
    t.app.get('/v2.0/__boom', async () => { throw new Error('secret internal detail'); });
    await t.app.ready();
  });
  afterAll(async () => t.close());

  it('answers an unknown path with RESOURCE_NOT_FOUND:PATH in the exact v2 shape', async () => {
    const res = await t.app.inject('/nope');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = res.json();
    expect(Object.keys(body)).toEqual(V2_KEYS);
    expect(body).toMatchObject({ type: 'RESOURCE_NOT_FOUND', code: 'PATH', statusCode: 404, resolution: { type: null } });
    expect(body.requestId).toBe(res.headers['sc-request-id']);
    expect(res.headers['sc-request-id']).toMatch(UUID);
    expect(body.docURL).toBe('http://opencar.test/docs/errors/resource-not-found-errors#path');
  });

  it('answers unsupported or missing version segments with RESOURCE_NOT_FOUND:VERSION', async () => {
    for (const path of ['/v1.0/vehicles', '/v9/vehicles/x', '/vehicles']) {
      const res = await t.app.inject(path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json()).toMatchObject({ type: 'RESOURCE_NOT_FOUND', code: 'VERSION' });
    }
  });

  it('serves the error page each docURL points at, with an anchor per code', async () => {
    const res = await t.app.inject('/docs/errors/resource-not-found-errors');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('id="path"');
    expect(res.body).toContain('id="version"');
    const auth = await t.app.inject('/docs/errors/authentication-errors');
    expect(auth.body).toContain('id="null"');
  });

  it('treats a trailing slash as equivalent and sets sc-request-id everywhere', async () => {
    for (const path of ['/healthz', '/healthz/']) {
      const res = await t.app.inject(path);
      expect(res.statusCode).toBe(200);
      expect(res.headers['sc-request-id']).toMatch(UUID);
    }
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready', storage: 'sqlite' });
  });

  it('rejects malformed JSON with VALIDATION and accepts an empty JSON body', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/v2.0/__echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ type: 'VALIDATION', code: null, statusCode: 400 });
    const empty = await t.app.inject({ method: 'POST', url: '/v2.0/__echo', headers: { 'content-type': 'application/json' }, payload: '' });
    expect(empty.json()).toEqual({ body: null });
  });

  it('never leaks internals on a 5xx', async () => {
    const res = await t.app.inject('/v2.0/__boom');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret internal detail');
    expect(res.json()).toMatchObject({ type: 'SERVER', code: 'INTERNAL', resolution: { type: 'RETRY_LATER' } });
  });

  it('exposes Prometheus metrics by route and status', async () => {
    await t.app.inject('/healthz');
    const res = await t.app.inject('/metrics');
    expect(res.body).toMatch(/opencar_http_requests_total\{route="\/healthz",method="GET",status="200"\} \d+/);
    expect(res.body).toContain('opencar_http_request_duration_seconds_bucket');
  });
});

describe('framework errors and logs', () => {
  it('answers a malformed URL with the v2 VALIDATION body and a request id', async () => {
    const t = await testApp();
    const res = await t.app.inject('/v2.0/%E0%A4%A');
    expect(res.statusCode).toBe(400);
    expect(res.headers['sc-request-id']).toMatch(UUID);
    expect(res.json()).toMatchObject({ type: 'VALIDATION', code: null, requestId: res.headers['sc-request-id'] });
    await t.close();
  });

  it('logs the route pattern, never the query string', async () => {
    const lines: string[] = [];
    const { pino } = await import('pino');
    const t = await testApp();
    const logger = pino({ level: 'info' }, { write: (l: string) => { lines.push(l); } });
    const { buildApp } = await import('../src/build-app.js');
    const app = await buildApp({ ...t.platform, log: logger });
    await app.inject('/healthz?token=very-secret-link-token');
    expect(lines.join('')).toContain('"route":"/healthz"');
    expect(lines.join('')).not.toContain('very-secret-link-token');
    await app.close();
    await t.close();
  });
});
