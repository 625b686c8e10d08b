import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import smartcar from 'smartcar';
import { hmacSha256Hex, systemClock } from '@opencar/core';
import { changePlan } from '@opencar/metering';
import { DESKTOP, PHONE, hasChromium, launchBrowser, startServer, type LiveServer } from '../src/index.js';

const REDIRECT = 'https://journey.example/callback';
const OEM = { make: 'TESLA', email: 'journey-owner@example.com', password: 'owner-password' };
/** Set OPENCAR_SCREENSHOTS=1 to refresh docs/screenshots/{dashboard,account}/ (desktop + phone). */
const SHOTS = process.env.OPENCAR_SCREENSHOTS === '1';

/** A local webhook receiver: answers the verify challenge with the AMT's HMAC and records deliveries. */
function receiver(amt: () => string) {
  const bodies: { eventName: string; payload: unknown }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
    req.on('end', () => {
      const body = JSON.parse(raw) as { eventName: string; payload: { challenge?: string } };
      bodies.push(body);
      res.setHeader('content-type', 'application/json');
      res.end(body.eventName === 'verify' ? JSON.stringify({ challenge: hmacSha256Hex(amt(), body.payload.challenge!) }) : '{}');
    });
  });
  return { server, bodies };
}

async function shoot(page: Page, area: 'dashboard' | 'account', name: string): Promise<void> {
  if (!SHOTS) return;
  const dir = new URL(`../../../docs/screenshots/${area}/`, import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}${name}-desktop.png`, fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: `${dir}${name}-phone.png`, fullPage: true });
  await page.setViewportSize(DESKTOP);
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100)); // polling a real server and browser: bounded
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!hasChromium())('journey: developer dashboard → Connect → SDK → webhooks → simulator → owner revokes', () => {
  let server: LiveServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let amt = '';
  const hook = receiver(() => amt);
  let hookUrl = '';
  beforeAll(async () => {
    server = await startServer();
    process.env.SMARTCAR_API_ORIGIN = server.url;
    process.env.SMARTCAR_AUTH_ORIGIN = server.url;
    process.env.SMARTCAR_MANAGEMENT_API_ORIGIN = server.url;
    await new Promise<void>((r) => hook.server.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hooks`;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url)) return route.continue();
      if (url.startsWith(REDIRECT)) return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>app callback</p>' });
      return route.abort();
    });
    page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise<void>((r) => hook.server.close(() => r()));
  });

  it('runs end to end in Debian Chromium', async () => {
    // 1. Sign up (ToS accepted) and land on the dashboard.
    await page.goto(`${server.url}/dashboard/signin`);
    await shoot(page, 'dashboard', 'signin');
    await page.goto(`${server.url}/dashboard/signup`);
    await shoot(page, 'dashboard', 'signup');
    await page.getByLabel('Name').fill('Journey Dev');
    await page.getByLabel('E-mail').fill('journey@dev.example');
    await page.getByLabel('Password').fill('journey-password-123');
    await page.locator('#accept-tos').check();
    await page.locator('#sign-up-button').click();
    await page.waitForURL(/\/dashboard\?welcome=1/);
    // Event webhooks need a plan with the feature: the developer moves to pay-as-you-go themselves, then the
    // operator grants Enterprise (not self-service).
    await page.goto(`${server.url}/dashboard/plans`);
    await page.locator('#choose-payg').click();
    await page.locator('#confirm-plan').click();
    await page.waitForURL(/changed=1/);
    await page.goto(`${server.url}/dashboard/account`);
    await shoot(page, 'dashboard', 'account');
    const dev = await server.platform.storage.db.selectFrom('developers').select('id').where('email', '=', 'journey@dev.example').executeTakeFirstOrThrow();
    await changePlan(server.platform.storage, systemClock, dev.id, 'enterprise', { source: 'operator' });
    server.platform.metering.invalidatePlans();

    // 2. Create an app; copy the secrets shown once.
    await page.goto(`${server.url}/dashboard`);
    await page.locator('#new-app').click();
    await shoot(page, 'dashboard', 'new-app');
    await page.getByLabel('Application name').fill('Journey App');
    await page.getByLabel('Redirect URIs').fill(REDIRECT);
    await page.locator('#perm-control_charge').check();
    await page.locator('#save-app').click();
    const clientId = await page.locator('#client-id').inputValue();
    const clientSecret = await page.locator('#client-secret').inputValue();
    amt = await page.locator('#amt').inputValue();
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    await shoot(page, 'dashboard', 'app-created');
    await page.goto(`${server.url}/dashboard`);
    await shoot(page, 'dashboard', 'apps');
    await page.goto(`${server.url}/dashboard/terms`);
    await shoot(page, 'dashboard', 'terms');
    await page.goto(`${server.url}/dashboard/apps/${clientId}`);
    await shoot(page, 'dashboard', 'app-settings');

    // 3. The quick-start Connect URL opens the flow for the app's own redirect URI (Try Connect, which
    // lands in the dashboard, has its own test); drive it by the automation ids.
    await page.goto((await page.locator('#quick-connect').textContent())!);
    await page.locator('button#continue-button').click();
    await page.locator(`button#${OEM.make}.brand-list-item`).click();
    await page.locator('input#username').fill(OEM.email);
    await page.locator('input#password').fill(OEM.password);
    await page.locator('#sign-in-button').click();
    await page.locator('.page-content').waitFor();
    await page.locator('button#approval-button').click();
    await page.waitForURL((u) => u.toString().startsWith(REDIRECT));
    const code = new URL(page.url()).searchParams.get('code')!;
    expect(code).toBeTruthy();

    // 4. The official SDK exchanges the code and reads the car.
    const client = new smartcar.AuthClient({ clientId, clientSecret, redirectUri: REDIRECT, mode: 'simulated' });
    const access = await client.exchangeCode(code);
    const vehicleId = ((await smartcar.getVehicles(access.accessToken)) as unknown as { vehicles: string[] }).vehicles[0];
    const vehicle = new smartcar.Vehicle(vehicleId!, access.accessToken);
    await vehicle.odometer();
    await vehicle.battery();
    const before = (await vehicle.charge()) as unknown as { isPluggedIn: boolean; state: string };
    expect(before.isPluggedIn).toBe(false);
    // The car's charge level is drawn per account (here a new app's each run, up to 90 %), and a Tesla
    // stops at 80 %: with the limit at 100 % plugging in always starts a charge.
    await vehicle.setChargeLimit(1);

    // 5. The calls appear in the request log and the usage chart.
    await page.goto(`${server.url}/dashboard/apps/${clientId}/logs`);
    await expect.poll(async () => { await page.reload(); return page.locator('#request-log').innerText().catch(() => ''); }, { timeout: 10_000 }).toContain('/odometer');
    await shoot(page, 'dashboard', 'request-log');
    await page.goto(`${server.url}/dashboard/apps/${clientId}/usage`);
    const odometerBar = page.locator('#chart-endpoints rect[data-label$="/odometer"]');
    expect(Number(await odometerBar.getAttribute('data-value'))).toBeGreaterThanOrEqual(1);
    const daily = await page.locator('#chart-daily rect').evaluateAll((rs) => rs.reduce((n, r) => n + Number(r.getAttribute('data-value')), 0));
    expect(daily).toBeGreaterThanOrEqual(3);
    await shoot(page, 'dashboard', 'usage');
    await page.goto(`${server.url}/dashboard/apps/${clientId}/vehicles`);
    await expect.poll(() => page.locator(`tr[data-vehicle-id="${vehicleId}"]`).count()).toBe(1);
    await shoot(page, 'dashboard', 'vehicles');

    // 6. Create a webhook (verified by the challenge) and subscribe the vehicle.
    await page.goto(`${server.url}/dashboard/apps/${clientId}/webhooks`);
    await page.getByLabel('URL', { exact: true }).fill(hookUrl);
    await page.locator('#create-webhook').click();
    expect(await page.locator('.hook-status').first().innerText()).toBe('active');
    const webhookId = (await page.locator('section.webhook').first().getAttribute('id'))!.replace('webhook-', '');
    await page.locator(`#subscribe-${webhookId}`).click();
    await page.waitForURL(/subscribed=1/);
    // Subscribed vehicles read as make, model, year and VIN tail.
    expect(await page.locator(`#webhook-${webhookId} ul.plain li`).first().innerText()).toMatch(/^[A-Z][\w-]* .+ \d{4} · VIN …\w{4}$/);
    await shoot(page, 'dashboard', 'webhooks');

    // 7. The simulator console plugs the car in: the API's charge status changes, a delivery is seen.
    await page.goto(`${server.url}/dashboard/apps/${clientId}/simulator`);
    await page.locator(`#sim-${vehicleId} button[data-action="plug"]`).click();
    expect(await page.locator(`#feedback-${vehicleId}`).innerText()).toContain('Plugged in: no → yes');
    await shoot(page, 'dashboard', 'simulator');
    const after = (await vehicle.charge()) as unknown as { isPluggedIn: boolean; state: string };
    expect(after.isPluggedIn).toBe(true);
    expect(after.state).toBe('CHARGING');
    await until('a charging webhook delivery', async () => (hook.bodies.some((b) => b.eventName === 'eventBased') ? true : undefined));
    await page.goto(`${server.url}/dashboard/apps/${clientId}/webhooks/${webhookId}`);
    await expect.poll(async () => { await page.reload(); return page.locator('section.delivery[data-status="delivered"]').count(); }, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(await page.locator('section.delivery .last-status').first().innerText()).toContain('200');
    // Each delivery is titled by the event type it carries, not by the webhook's kind.
    expect(await page.locator('section.delivery h2').first().innerText()).toMatch(/^CHARGING_[A-Z_]+ /);
    await shoot(page, 'dashboard', 'webhook-deliveries');

    // 8. The owner signs in to the portal with the OEM account used in Connect and revokes the app.
    const owner = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    const op = await owner.newPage();
    op.on('dialog', (d) => void d.accept());
    await op.goto(`${server.url}/account`);
    await shoot(op, 'account', 'signin');
    await op.locator('#owner-make').selectOption(OEM.make);
    await op.getByLabel('E-mail').fill(OEM.email);
    await op.getByLabel('Password').fill(OEM.password);
    await op.locator('#owner-mode').selectOption('simulated');
    await op.locator('#owner-sign-in').click();
    const row = op.locator(`#vehicle-${vehicleId} [data-app-id="${clientId}"]`);
    await expect.poll(() => row.count()).toBe(1);
    expect(await op.locator(`#vehicle-${vehicleId} .access-log`).innerText()).toContain('Journey App read the total distance driven');
    await shoot(op, 'account', 'overview');
    await row.getByRole('button', { name: 'Revoke access' }).click();
    await op.waitForURL(/revoked=1/);
    await shoot(op, 'account', 'revoked');
    await owner.close();

    // 9. The app's next API call fails with AUTHENTICATION; the management API shows no connection.
    const err = await vehicle.odometer().then(() => undefined, (e: { type?: string; statusCode?: number }) => e);
    expect(err?.type).toBe('AUTHENTICATION');
    const conns = (await smartcar.getConnections(amt, {})) as unknown as { connections: { vehicleId: string }[] };
    expect(conns.connections.filter((c) => c.vehicleId === vehicleId)).toEqual([]);
  });
});
