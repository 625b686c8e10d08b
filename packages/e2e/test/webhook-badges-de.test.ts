import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hashPassword } from '@opencar/core';
import { DESKTOP, TEST_CLIENT, axeViolations, hasChromium, launchBrowser, startServer, type LiveServer } from '../src/index.js';

const DEV = { email: 'seed@opencar.local', password: 'seed-dev-password-123' };
const NOW = Date.now();

const hook = (id: string, status: string) => ({
  id, app_id: TEST_CLIENT.clientId, name: `Hook ${id}`, url: `https://hooks.example/${id}`, kind: 'event', cadence: null, topics: '["CHARGING_STARTED"]',
  status, verified_at: status === 'unverified' ? null : NOW, next_run_at: null, created_at: NOW, deleted_at: null, anchor_at: null,
});
const delivery = (id: string, seq: number, status: string, attempts: number) => ({
  id, webhook_id: 'wh-active', app_id: TEST_CLIENT.clientId, order_key: 'v1', seq, event_name: 'VEHICLE_STATE', body: '{"eventName":"VEHICLE_STATE","payload":{}}',
  status, attempts, next_attempt_at: NOW + 86_400_000, lease_owner: null, lease_until: null, created_at: NOW - seq, delivered_at: status === 'delivered' ? NOW : null,
  last_status: attempts === 0 ? null : status === 'delivered' ? 200 : 500, last_error: null, retry_from: null,
});

/**
 * The webhook list and a webhook's delivery log in German: every webhook state (active, unverified,
 * disabled) and delivery state (delivered, pending, failed and retried, given up) is a German badge.
 * The pending deliveries are due tomorrow, so the running delivery engine leaves them as they are.
 */
describe.skipIf(!hasChromium())('webhook and delivery badges in the dashboard\'s language', () => {
  let server: LiveServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    const db = server.platform.storage.db;
    await db.updateTable('developers').set({ password_hash: await hashPassword(DEV.password) }).where('email', '=', DEV.email).execute();
    await db.insertInto('webhooks').values([hook('wh-active', 'active'), hook('wh-new', 'unverified'), hook('wh-off', 'disabled')] as never).execute();
    await db.insertInto('webhook_deliveries').values([delivery('d-ok', 1, 'delivered', 1), delivery('d-wait', 2, 'pending', 0), delivery('d-retry', 3, 'pending', 2), delivery('d-dead', 4, 'dead', 8)] as never).execute();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('German badges on the webhook list and the delivery log, axe-clean', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'de-DE', bypassCSP: true });
    await context.route('**/*', (route) => (route.request().url().startsWith(server.url) ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.goto(`${server.url}/dashboard/signin`);
    await page.locator('input[name=email]').fill(DEV.email);
    await page.locator('input[name=password]').fill(DEV.password);
    await page.locator('#sign-in-button').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/dashboard/signin'));
    expect(await page.locator('html').getAttribute('lang')).toBe('de');

    await page.goto(`${server.url}/dashboard/apps/${TEST_CLIENT.clientId}/webhooks`);
    const hookBadge = async (id: string) => page.locator(`#webhook-${id} .hook-status`).innerText();
    expect(await hookBadge('wh-active')).toBe('aktiv');
    expect(await hookBadge('wh-new')).toBe('nicht bestätigt');
    expect(await hookBadge('wh-off')).toBe('deaktiviert');
    expect((await axeViolations(page)).join('\n')).toBe('');

    await page.goto(`${server.url}/dashboard/apps/${TEST_CLIENT.clientId}/webhooks/wh-active`);
    const badge = (id: string) => page.locator(`#delivery-${id} .delivery-status`);
    expect(await badge('d-ok').innerText()).toBe('zugestellt');
    expect(await badge('d-wait').innerText()).toBe('ausstehend');
    expect(await badge('d-retry').innerText()).toBe('fehlgeschlagen, wird wiederholt');
    expect(await badge('d-retry').getAttribute('data-status')).toBe('failed');
    expect(await badge('d-dead').innerText()).toBe('aufgegeben');
    expect((await axeViolations(page)).join('\n')).toBe('');
    await context.close();
  });
});
