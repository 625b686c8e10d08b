import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { openStorage, RequestDetailsRepo, type Storage } from '@opencar/storage';
import { BODY_CAP_BYTES, MASK, RequestDetailWriter, captureBody, detailRow, maskHeaders, maskQuery, maskText, type RequestDetail } from '../src/index.js';

const log = pino({ level: 'silent' });

const detail = (id: string, over: Partial<RequestDetail> = {}): RequestDetail => ({
  requestId: id, appId: 'app1', at: 1_000, method: 'POST', url: '/v2.0/vehicles/v1/charge/limit?access_token=abc&limit=5',
  requestHeaders: { authorization: 'Bearer eyJ-secret-token', 'content-type': 'application/json', 'user-agent': 'sdk/1' },
  requestBody: { limit: 0.8 }, status: 200, responseHeaders: { 'content-type': 'application/json; charset=utf-8', 'sc-request-id': id },
  responseBody: '{"status":"success","message":"ok"}', ...over,
});

describe('masking of request-log detail', () => {
  it('masks Authorization (keeping the scheme), cookies, SC-Signature and credential-looking headers; keeps the rest', () => {
    const h = maskHeaders({
      Authorization: 'Bearer eyJ-secret', 'proxy-authorization': 'Basic dXNlcjpwYXNz', cookie: 'oc_session=abc', 'set-cookie': ['a=1', 'b=2'],
      'SC-Signature': 'f00dfeed', 'x-api-key': 'k1', 'x-client-secret': 's1', 'x-auth-token': 't1', 'content-type': 'application/json', 'sc-unit-system': 'imperial',
    });
    expect(h).toEqual({
      authorization: `Bearer ${MASK}`, 'proxy-authorization': `Basic ${MASK}`, cookie: MASK, 'set-cookie': MASK, 'sc-signature': MASK,
      'x-api-key': MASK, 'x-client-secret': MASK, 'x-auth-token': MASK, 'content-type': 'application/json', 'sc-unit-system': 'imperial',
    });
    expect(JSON.stringify(h)).not.toMatch(/eyJ|dXNlcjpwYXNz|abc|f00dfeed/);
  });

  it('masks tokens, client secrets and passwords in JSON bodies at any depth, and pretty-prints', () => {
    const body = {
      access_token: 'at-1', refresh_token: 'rt-1', client_secret: 'cs-1', password: 'pw-1', limit: 0.5, code: 'NOT_FOUND',
      nested: { items: [{ token: 't-2', newPassword: 'pw-2', name: 'kept' }] }, expires_in: 7200,
    };
    const c = captureBody(JSON.stringify(body), 'application/json');
    const parsed = JSON.parse(c.body!) as typeof body;
    expect(parsed).toEqual({
      access_token: MASK, refresh_token: MASK, client_secret: MASK, password: MASK, limit: 0.5, code: 'NOT_FOUND',
      nested: { items: [{ token: MASK, newPassword: MASK, name: 'kept' }] }, expires_in: 7200,
    });
    expect(c.body).toContain('\n  "limit": 0.5');
    expect(c.body).not.toMatch(/at-1|rt-1|cs-1|pw-1|t-2|pw-2/);
    // A parsed body (Fastify's req.body) is masked the same way.
    expect(JSON.parse(captureBody({ refresh_token: 'rt-3', keep: 1 }, undefined).body!)).toEqual({ refresh_token: MASK, keep: 1 });
  });

  it('masks form bodies, query strings and text that is not whole JSON', () => {
    expect(captureBody('grant_type=refresh_token&refresh_token=rt-9&client_secret=cs-9', 'application/x-www-form-urlencoded').body)
      .toBe(`grant_type=refresh_token&refresh_token=${MASK}&client_secret=${MASK}`);
    expect(maskQuery('vehicle_id=v1&access_token=at&apiKey=k')).toBe(`vehicle_id=v1&access_token=${MASK}&apiKey=${MASK}`);
    const cut = '{"access_token":"at-5","refresh_token":"rt-5","note":"x","password":"pw-';
    const masked = maskText(cut);
    expect(masked).not.toMatch(/at-5|rt-5|pw-/);
    expect(masked).toContain('"note":"x"');
    expect(captureBody('password=hunter2 user=a', 'text/plain').body).toBe(`password=${MASK} user=a`);
  });

  it('caps each body at 16 KiB, says it was cut and how big it was, and never splits a character', () => {
    const big = JSON.stringify({ items: Array.from({ length: 2000 }, (_, i) => ({ i, name: 'élan' })) });
    const c = captureBody(big, 'application/json');
    expect(c.truncated).toBe(true);
    expect(c.bytes).toBe(Buffer.byteLength(big));
    expect(Buffer.byteLength(c.body!)).toBeLessThanOrEqual(BODY_CAP_BYTES);
    expect(Buffer.byteLength(c.body!)).toBeGreaterThan(BODY_CAP_BYTES - 4);
    expect(c.body).not.toContain('\uFFFD');
    const small = captureBody('{"a":1}', 'application/json');
    expect(small).toEqual({ body: '{\n  "a": 1\n}', bytes: 7, truncated: false });
    expect(captureBody('', undefined)).toEqual({ body: null, bytes: 0, truncated: false });
    expect(captureBody('é'.repeat(10), 'text/plain', 5)).toEqual({ body: 'éé', bytes: 20, truncated: true });
  });

  it('turns a handed-over request into its row: path and masked query apart, headers and bodies masked', () => {
    const row = detailRow(detail('r1'));
    expect(row).toMatchObject({ request_id: 'r1', app_id: 'app1', method: 'POST', path: '/v2.0/vehicles/v1/charge/limit', query: `access_token=${MASK}&limit=5`, response_status: 200 });
    expect(JSON.parse(row.request_headers)).toMatchObject({ authorization: `Bearer ${MASK}`, 'user-agent': 'sdk/1' });
    expect(JSON.parse(row.request_body!)).toEqual({ limit: 0.8 });
    expect(JSON.parse(row.response_body!)).toEqual({ status: 'success', message: 'ok' });
    expect(JSON.stringify(row)).not.toContain('eyJ-secret-token');
    // A streamed payload is not kept.
    expect(detailRow(detail('r2', { responseBody: { pipe: () => {} } })).response_body).toBeNull();
  });
});

describe('request detail writer', () => {
  let s: Storage;
  beforeEach(async () => { s = await openStorage('sqlite::memory:'); });
  afterEach(async () => { await s.close(); });

  it('writes queued detail in batches off the request path and reads it back', async () => {
    const w = new RequestDetailWriter(s, log, { maxBatch: 3, maxDelayMs: 1 });
    for (let i = 0; i < 10; i++) w.add(detail(`r${i}`));
    expect(await s.db.selectFrom('request_details').select('request_id').execute()).toHaveLength(0);
    await w.flush();
    expect(await s.db.selectFrom('request_details').select('request_id').execute()).toHaveLength(10);
    const one = await new RequestDetailsRepo(s.db).one('app1', 'r7');
    expect(one?.query).toBe(`access_token=${MASK}&limit=5`);
    expect(await new RequestDetailsRepo(s.db).one('other-app', 'r7')).toBeUndefined();
    await w.close();
  });

  it('drops what does not fit the queue and survives a failed write without throwing', async () => {
    const w = new RequestDetailWriter(s, log, { maxPending: 4, maxDelayMs: 10_000 });
    for (let i = 0; i < 10; i++) w.add(detail(`q${i}`));
    await w.flush();
    expect((await s.db.selectFrom('request_details').select('request_id').execute()).map((r) => r.request_id).sort()).toEqual(['q0', 'q1', 'q2', 'q3']);
    await s.db.schema.dropTable('request_details').execute();
    w.add(detail('lost'));
    await expect(w.flush()).resolves.toBeUndefined();
    await w.close();
  });
});
