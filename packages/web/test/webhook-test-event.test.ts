import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hmacSha256Hex } from '@opencar/core';
import { testApp } from '../../../apps/server/test/helpers.js';
import { Receiver } from '../../webhooks/test/receiver.js';
import { FormClient, inputValue } from './browser-client.js';

type T = Awaited<ReturnType<typeof testApp>>;

const unescape = (x: string) => x.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('dashboard: send test event', () => {
  let t: T;
  let rx: Receiver;
  let c: FormClient;
  let appId: string;
  let webhookId: string;
  let amt: string;
  const base = () => `/dashboard/apps/${appId}/webhooks`;
  const tokenOf = (html: string) => /action="[^"]+\/test"[^>]*>[\s\S]*?name="token" value="([^"]+)"/.exec(html)![1]!;
  const ledgerRows = async () => Number((await t.platform.storage.db.selectFrom('ledger').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeEach(async () => {
    t = await testApp({ OPENCAR_WEBHOOK_ALLOW_PRIVATE: 'true', OPENCAR_WEBHOOK_TIMEOUT_MS: '500' });
    c = new FormClient(t.app);
    await c.get('/dashboard/signup');
    await c.post('/dashboard/signup', { name: 'Dev', email: 'dev@example.com', password: 'correct horse battery', accept_tos: 'on' });
    await c.get('/dashboard/apps/new');
    const created = (await c.post('/dashboard/apps', { name: 'Hooks', redirect_uris: 'http://localhost:8000/callback', scope: ['read_odometer'], mode: 'simulated' })).body;
    appId = inputValue(created, 'client-id')!;
    amt = inputValue(created, 'amt')!;
    rx = new Receiver(amt);
    await rx.start();
    await c.get(base());
    const res = await c.post(base(), { name: 'Odometer', url: rx.url, type: 'scheduled', cadence: 'daily', endpoints: ['/odometer'] });
    expect(res.statusCode).toBe(303);
    webhookId = (await t.platform.webhooks.list(appId))[0]!.id;
    rx.received.length = 0;
  });
  afterEach(async () => { await rx.stop(); await t.close(); });

  it('the button on the list and on the delivery log sends one signed test envelope and shows its status and time', async () => {
    const list = (await c.get(base())).body;
    expect(list).toContain(`id="send-test-${webhookId}"`);
    expect(list).toContain('data-busy="Sending the test event… (up to 1 s)"');
    const page = (await c.get(`${base()}/${webhookId}`)).body;
    expect(page).toContain(`id="send-test-${webhookId}">Send test event</button>`);
    const before = await ledgerRows();
    const res = await c.post(`${base()}/${webhookId}/test`, { token: tokenOf(page) });
    expect(res.statusCode).toBe(303);
    const [d] = await t.platform.webhooks.deliveries(appId, webhookId);
    expect(res.headers.location).toBe(`${base()}/${webhookId}?tested=${d!.id}`);
    expect(rx.received).toHaveLength(1);
    const got = rx.received[0]!;
    expect(got.signature).toBe(hmacSha256Hex(amt, got.raw));
    expect(got.verified).toBe(true);
    expect(got.raw).toBe(JSON.stringify({ version: '2.0', webhookId, eventName: 'scheduled', mode: 'test', payload: { vehicles: [] } }));
    const shown = (await c.get(res.headers.location as string)).body;
    const ms = (await t.platform.webhooks.delivery(appId, d!.id)).log[0]!.durationMs;
    expect(shown).toContain(`<span id="test-outcome" data-status="delivered">Test event delivered: HTTP 204 in ${ms} ms.</span>`);
    expect(shown).toMatch(new RegExp(`<section class="card delivery" id="delivery-${d!.id}" data-status="delivered" data-test="1">\\s*<h2>scheduled <span[^>]*>delivered</span> <span class="badge delivery-test">test</span></h2>`));
    expect(unescape(shown)).toContain('"mode": "test"');
    expect(await t.platform.storage.db.selectFrom('webhook_deliveries').select(['test', 'order_key']).execute()).toEqual([{ test: 1, order_key: `test:${d!.id}` }]);
    expect(await ledgerRows()).toBe(before);
  });

  it('submitting the same form twice sends one event', async () => {
    const token = tokenOf((await c.get(`${base()}/${webhookId}`)).body);
    const [a, b] = await Promise.all([c.post(`${base()}/${webhookId}/test`, { token }), c.post(`${base()}/${webhookId}/test`, { token })]);
    expect(a.headers.location).toBe(b.headers.location);
    expect(rx.received).toHaveLength(1);
    expect(await t.platform.webhooks.deliveries(appId, webhookId)).toHaveLength(1);
  });

  it('a failing receiver: the page shows the HTTP status and that it is not retried, in the visitor\'s language', async () => {
    rx.mode = 'error';
    const token = tokenOf((await c.get(`${base()}/${webhookId}`)).body);
    const res = await c.post(`${base()}/${webhookId}/test`, { token });
    const de = (await c.get(res.headers.location as string, { 'accept-language': 'de' })).body;
    expect(de).toMatch(/<div class="alert alert-error" role="alert"><span id="test-outcome" data-status="dead">Testereignis nicht zugestellt: HTTP 500 nach [\d.]+ ms\./);
    expect(de).toContain('<span class="badge delivery-test">Test</span>');
    rx.mode = 'hang';
    const slow = await c.post(`${base()}/${webhookId}/test`, { token: tokenOf(de) });
    expect((await c.get(slow.headers.location as string)).body).toMatch(/data-status="dead">Test event not delivered: timed out after 500 ms after [\d.]+ ms\./);
  });

  it('an unverified webhook has no button and the route refuses it, sending nothing', async () => {
    await t.platform.storage.db.updateTable('webhooks').set({ status: 'unverified' }).where('id', '=', webhookId).execute();
    const page = (await c.get(`${base()}/${webhookId}`)).body;
    expect(page).not.toContain(`id="send-test-${webhookId}"`);
    expect(page).toContain('Test events go only to verified webhooks: verify this one first.');
    expect((await c.get(base())).body).not.toContain(`id="send-test-${webhookId}"`);
    const res = await c.post(`${base()}/${webhookId}/test`, { token: 'x' });
    expect(res.statusCode).toBe(409);
    expect(rx.received).toHaveLength(0);
    expect(await t.platform.webhooks.deliveries(appId, webhookId)).toEqual([]);
  });

  it('another developer cannot send a test event to the webhook', async () => {
    const other = new FormClient(t.app);
    await other.get('/dashboard/signup');
    await other.post('/dashboard/signup', { name: 'Other', email: 'other@example.com', password: 'correct horse battery', accept_tos: 'on' });
    await other.get('/dashboard');
    const res = await other.post(`${base()}/${webhookId}/test`, { token: 'x' });
    expect(res.statusCode).toBe(404);
    expect(rx.received).toHaveLength(0);
  });
});
