import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../../../apps/server/test/helpers.js';
import { FormClient, inputValue } from './browser-client.js';

type T = Awaited<ReturnType<typeof testApp>>;

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const pre = (body: string, id: string) => unescape(new RegExp(`<pre id="${id}"[^>]*>([\\s\\S]*?)</pre>`).exec(body)?.[1] ?? '');

async function devWithApp(t: T, email = 'dev@example.com') {
  const c = new FormClient(t.app);
  await c.get('/dashboard/signup');
  await c.post('/dashboard/signup', { name: 'Dev', email, password: 'correct horse battery', accept_tos: 'on' });
  await c.get('/dashboard/apps/new');
  const res = await c.post('/dashboard/apps', { name: 'Log', redirect_uris: 'https://app.example/cb', scope: ['read_vin'], mode: 'simulated' });
  return { c, appId: inputValue(res.body, 'client-id')! };
}

async function seed(t: T, appId: string, requestId: string, over: { responseBody?: string } = {}) {
  const at = t.clock.now();
  await t.platform.metering.record({
    requestId, at, appId, vehicleId: 'veh-1', userId: 'u1', endpoint: 'POST /v2.0/vehicles/:id/charge/limit', method: 'POST', status: 200, latencyMs: 9, units: 1, woke: false, requestClass: 'command',
  });
  t.platform.metering.recordDetail({
    requestId, appId, at, method: 'POST', url: '/v2.0/vehicles/veh-1/charge/limit?access_token=leak-q',
    requestHeaders: { authorization: 'Bearer leak-bearer', cookie: 'sid=leak-cookie', 'content-type': 'application/json', 'sc-unit-system': 'metric' },
    requestBody: { limit: 0.8, client_secret: 'leak-secret' }, status: 200,
    responseHeaders: { 'content-type': 'application/json; charset=utf-8', 'sc-request-id': requestId, 'set-cookie': 'x=leak-set-cookie' },
    responseBody: over.responseBody ?? '{"status":"success","message":"Successfully sent request to vehicle","refresh_token":"leak-refresh"}',
  });
}

describe('request log detail: headers and bodies', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('shows the request line, headers and bodies pretty-printed and copyable, with every secret masked', async () => {
    const { c, appId } = await devWithApp(t);
    await seed(t, appId, 'req-detail-1');
    const res = await c.get(`/dashboard/apps/${appId}/logs/req-detail-1`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/leak-/);
    expect(pre(res.body, 'request-line')).toBe('POST /v2.0/vehicles/veh-1/charge/limit?access_token=[masked]');
    expect(pre(res.body, 'request-headers')).toBe('authorization: Bearer [masked]\ncookie: [masked]\ncontent-type: application/json\nsc-unit-system: metric');
    expect(JSON.parse(pre(res.body, 'request-body'))).toEqual({ limit: 0.8, client_secret: '[masked]' });
    expect(pre(res.body, 'request-body')).toContain('\n  "limit": 0.8');
    expect(pre(res.body, 'response-headers')).toContain('set-cookie: [masked]');
    expect(pre(res.body, 'response-headers')).toContain('sc-request-id: req-detail-1');
    expect(JSON.parse(pre(res.body, 'response-body'))).toEqual({ status: 'success', message: 'Successfully sent request to vehicle', refresh_token: '[masked]' });
    expect(res.body).toContain('<span class="badge ok" id="response-status">200</span>');
    for (const id of ['request-line', 'request-headers', 'request-body', 'response-headers', 'response-body']) expect(res.body).toContain(`data-copy="${id}"`);
    expect(res.body).toContain('kept up to 16 KiB for 7 days');
    // Another developer's app cannot open it.
    const other = await devWithApp(t, 'other@example.com');
    expect((await other.c.get(`/dashboard/apps/${other.appId}/logs/req-detail-1`)).statusCode).toBe(404);
  });

  it('marks a body cut at the cap with its full size', async () => {
    const { c, appId } = await devWithApp(t);
    const big = JSON.stringify({ items: Array.from({ length: 3000 }, (_, i) => ({ i })) });
    await seed(t, appId, 'req-big', { responseBody: big });
    const res = await c.get(`/dashboard/apps/${appId}/logs/req-big`);
    expect(res.body).toMatch(new RegExp(`<p class="muted" id="response-body-note">Truncated: the first \\d+ of ${Buffer.byteLength(big)} bytes are kept.</p>`));
    expect(Buffer.byteLength(pre(res.body, 'response-body'))).toBeLessThanOrEqual(16 * 1024);
    expect(res.body).not.toContain('id="request-body-note"');
  });

  it('says when a request has no headers and bodies kept (purged, or before they were kept); dashboard pages are not captured', async () => {
    const { c, appId } = await devWithApp(t);
    await t.platform.metering.record({
      requestId: 'req-bare', at: t.clock.now(), appId, vehicleId: null, userId: null, endpoint: 'GET /v2.0/vehicles', method: 'GET', status: 200, latencyMs: 3, units: 0, woke: false, requestClass: 'free',
    });
    const res = await c.get(`/dashboard/apps/${appId}/logs/req-bare`);
    expect(res.body).toContain('<p class="muted" id="exchange-none">Headers and bodies are no longer kept for this request (they are kept 7 days).</p>');
    await t.platform.metering.flush();
    expect(await t.platform.storage.db.selectFrom('request_details').select('request_id').execute()).toEqual([]);
  });

  it('keeps no headers or bodies when OPENCAR_REQUEST_LOG_RETENTION_DAYS is 0, and says so (German)', async () => {
    await t.close();
    t = await testApp({ OPENCAR_REQUEST_LOG_RETENTION_DAYS: '0' });
    const { c, appId } = await devWithApp(t);
    await seed(t, appId, 'req-off');
    await t.platform.metering.flush();
    expect(await t.platform.storage.db.selectFrom('request_details').select('request_id').execute()).toEqual([]);
    const res = await c.get(`/dashboard/apps/${appId}/logs/req-off`, { 'accept-language': 'de' });
    expect(res.body).toContain('Dieser Server speichert keine Header oder Inhalte von Anfragen.');
  });
});
