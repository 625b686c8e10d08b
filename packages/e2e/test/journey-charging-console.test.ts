import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import smartcar from 'smartcar';
import { hmacSha256Hex } from '@opencar/core';
import { DESKTOP, axeViolations, hasChromium, launchBrowser, startServer, type LiveServer } from '../src/index.js';

const REDIRECT = 'https://charging.example/callback';
const PHONE_390 = { width: 390, height: 844 } as const;
/** OPENCAR_SCREENSHOTS=1 writes the pictures to docs/screenshots/console/. */
const SHOTS = process.env.OPENCAR_SCREENSHOTS === '1';

const WORDS = {
  en: { plugged: 'Plugged in: no → yes', soc: 'State of charge: ', completed: 'Charging completed', read: 'read your charging status', may: 'Start and stop charging and set the charge limit', revoke: 'Revoke access' },
  de: { plugged: 'Angesteckt: nein → ja', soc: 'Ladestand: ', completed: 'Laden abgeschlossen', read: 'hat Ihren Ladestatus gelesen', may: 'Laden starten und stoppen und das Ladelimit setzen', revoke: 'Zugriff widerrufen' },
} as const;

/** A local webhook receiver: answers the verify challenge with the AMT's HMAC and records deliveries. */
function receiver(amt: () => string) {
  const bodies: { eventName: string; payload: { eventType?: string; vehicleId?: string; challenge?: string } }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
    req.on('end', () => {
      const body = JSON.parse(raw) as (typeof bodies)[number];
      bodies.push(body);
      res.setHeader('content-type', 'application/json');
      res.end(body.eventName === 'verify' ? JSON.stringify({ challenge: hmacSha256Hex(amt(), body.payload.challenge!) }) : '{}');
    });
  });
  return { server, bodies };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, tries = 150): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100)); // polling a real server: bounded
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A developer tests a charging app with nothing but the simulator console, in Debian Chromium on a
 * desktop and a 390 px phone, in English and German: add a Kia EV6, connect it through Connect, set
 * 20 %, plug it in without charging, start charging through the official SDK, advance the car's
 * clock, see the session's charge curve and timeline, and receive CHARGING_COMPLETED on the app's
 * webhook. The map is Leaflet with the shipped outlines; no CSP violation; axe-core finds nothing.
 */
describe.skipIf(!hasChromium())('journey: a charging app driven from the simulator console', () => {
  let server: LiveServer;
  let browser: Browser;
  let amt = '';
  const hook = receiver(() => amt);
  let hookUrl = '';
  beforeAll(async () => {
    server = await startServer();
    process.env.SMARTCAR_API_ORIGIN = server.url;
    process.env.SMARTCAR_AUTH_ORIGIN = server.url;
    await new Promise<void>((r) => hook.server.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hooks`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise<void>((r) => hook.server.close(() => r()));
  });

  for (const lang of ['en', 'de'] as const) {
    for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE_390]] as const) {
      it(`${lang} on ${device}`, async () => {
        const w = WORDS[lang];
        const context = await browser.newContext({ viewport, locale: lang === 'en' ? 'en-US' : 'de-DE' });
        await context.route('**/*', (route) => {
          const url = route.request().url();
          if (url.startsWith(server.url)) return route.continue();
          if (url.startsWith(REDIRECT)) return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>app callback</p>' });
          return route.abort();
        });
        const page = await context.newPage();
        const csp: string[] = [];
        page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) csp.push(m.text()); });
        page.on('dialog', (d) => void d.accept());
        const email = `charging-${lang}-${device}@dev.example`;

        // The developer and an app that may control charging; the operator grants a plan with event webhooks.
        await page.goto(`${server.url}/dashboard/signup?lang=${lang}`);
        await page.locator('input[name=name]').fill('Charging Dev');
        await page.locator('input[name=email]').fill(email);
        await page.locator('input[name=password]').fill('charging-password-123');
        await page.locator('#accept-tos').check();
        await page.locator('#sign-up-button').click();
        await page.waitForURL(/\/dashboard\?welcome=1/);
        await server.platform.storage.db.updateTable('developers').set({ plan: 'enterprise' }).where('email', '=', email).execute();
        server.platform.metering.invalidatePlans();
        await page.goto(`${server.url}/dashboard/apps/new`);
        await page.locator('input[name=name]').fill(`ChargeBuddy ${lang} ${device}`);
        await page.locator('textarea[name=redirect_uris]').fill(REDIRECT);
        await page.locator('#perm-read_charge').check();
        await page.locator('#perm-read_battery').check();
        await page.locator('#perm-control_charge').check();
        await page.locator('#save-app').click();
        const clientId = await page.locator('#client-id').inputValue();
        const clientSecret = await page.locator('#client-secret').inputValue();
        amt = await page.locator('#amt').inputValue();

        // The console adds a Kia EV6 and opens Connect for it.
        await page.goto(`${server.url}/dashboard/apps/${clientId}/simulator`);
        await page.locator('#add-model').selectOption('KIA|EV6');
        await page.locator('#add-powertrain').selectOption('BEV');
        await page.locator('#add-region').selectOption('US');
        await page.locator('#add-submit').click();
        const login = (await page.locator('#added-vehicle').getAttribute('data-email'))!;
        expect(login).toMatch(/@bev\.smartcar\.com$/);
        await page.locator('#connect-added').click();
        await page.locator('button#continue-button').click();
        await page.locator('input#username').fill(login);
        await page.locator('input#password').fill('any password');
        await page.locator('#sign-in-button').click();
        await page.locator('button#approval-button').click();
        await page.waitForURL((u) => u.toString().startsWith(REDIRECT));
        const code = new URL(page.url()).searchParams.get('code')!;
        const client = new smartcar.AuthClient({ clientId, clientSecret, redirectUri: REDIRECT, mode: 'simulated' });
        const access = await client.exchangeCode(code);
        const vehicleId = ((await smartcar.getVehicles(access.accessToken)) as unknown as { vehicles: string[] }).vehicles[0]!;
        const vehicle = new smartcar.Vehicle(vehicleId, access.accessToken);
        expect(await vehicle.attributes()).toMatchObject({ make: 'KIA', model: 'EV6' });

        // The app's webhook for charging events, verified and subscribed to the car.
        await page.goto(`${server.url}/dashboard/apps/${clientId}/webhooks`);
        await page.locator('input[name=url]').fill(hookUrl);
        await page.locator('#create-webhook').click();
        const webhookId = (await page.locator('section.webhook').first().getAttribute('id'))!.replace('webhook-', '');
        await page.locator(`#sub-vehicle-${webhookId}`).selectOption(vehicleId);
        await page.locator(`#subscribe-${webhookId}`).click();
        await page.waitForURL(/subscribed=1/);

        // 20 %, plugged in and not charging: startCharge() through the SDK succeeds.
        await page.goto(`${server.url}/dashboard/apps/${clientId}/simulator`);
        const card = page.locator(`#sim-${vehicleId}`);
        await card.locator('input[name=soc]').fill('20');
        await card.locator('form[data-form=energy] button').click();
        expect(await page.locator(`#feedback-${vehicleId}`).innerText()).toContain(w.soc);
        await page.locator(`#sim-${vehicleId} select[name=plug]`).selectOption('idle');
        await page.locator(`#sim-${vehicleId} form[data-form=plug-state] button`).click();
        expect(await page.locator(`#feedback-${vehicleId}`).innerText()).toContain(w.plugged);
        expect(await vehicle.charge()).toMatchObject({ isPluggedIn: true, state: 'NOT_CHARGING' });
        expect(await vehicle.startCharge()).toMatchObject({ status: 'success' });

        // Ten hours later on the car's clock: the session is over, its curve is drawn, the app was told.
        await page.locator(`#adv-${vehicleId}`).fill('600');
        await page.locator(`#sim-${vehicleId} form[data-form=advance] button`).click();
        await until('CHARGING_COMPLETED at the webhook', async () => (hook.bodies.some((b) => b.payload.eventType === 'CHARGING_COMPLETED' && b.payload.vehicleId === vehicleId) ? true : undefined));
        await page.goto(`${server.url}/dashboard/apps/${clientId}/simulator`);
        const curve = page.locator(`#sim-${vehicleId} figure.curve-box`).first();
        expect(await curve.getAttribute('data-active')).toBe('false');
        const socs = await curve.locator('circle.soc-point').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-soc'))));
        expect(socs[0]).toBeCloseTo(0.2, 2);
        expect(socs[socs.length - 1]).toBeGreaterThan(0.85);
        await until('the delivery in the timeline', async () => {
          await page.reload();
          return (await page.locator(`#sim-${vehicleId} ol.timeline li[data-kind=webhook]`).count()) > 0 ? true : undefined;
        }, 50);
        expect(await page.locator(`#sim-${vehicleId} ol.timeline`).innerText()).toContain(w.completed);
        // The map is Leaflet with the world's outlines, the car, a scale bar and zoom.
        await page.locator(`#map-${vehicleId}.leaflet-container .leaflet-control-scale`).waitFor();
        await page.locator(`#map-${vehicleId} .leaflet-control-zoom-in`).waitFor();
        expect(await page.locator(`#map-${vehicleId} path.leaflet-interactive`).count()).toBeGreaterThanOrEqual(1);
        const box = (await page.locator(`#map-${vehicleId}`).boundingBox())!;
        await page.locator(`#map-${vehicleId}`).click({ position: { x: box.width * 0.7, y: box.height * 0.6 } }); // clear of the zoom and scale controls
        expect(await page.locator(`#sim-${vehicleId} form[data-form=position] input[name=latitude]`).inputValue()).toMatch(/^-?\d+\.\d{6}$/);
        const wide = await page.evaluate((max) => [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > max + 0.5 && !e.closest('.leaflet-container'))
          .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}`), viewport.width);
        expect(wide).toEqual([]);
        expect(csp).toEqual([]);
        if (SHOTS) {
          const dir = new URL('../../../docs/screenshots/console/', import.meta.url).pathname;
          mkdirSync(dir, { recursive: true });
          await page.screenshot({ path: `${dir}charging-${lang}-${device}.png`, fullPage: true });
        }
        // axe-core needs to inject its script: the same session in a context that bypasses the CSP.
        const checked = await browser.newContext({ viewport, locale: lang === 'en' ? 'en-US' : 'de-DE', bypassCSP: true, storageState: await context.storageState() });
        const p2: Page = await checked.newPage();
        await p2.goto(`${server.url}/dashboard/apps/${clientId}/simulator`);
        await p2.locator(`#map-${vehicleId}.leaflet-container`).waitFor();
        expect((await axeViolations(p2)).join('\n')).toBe('');
        await checked.close();
        // The car's owner sees in words what the app may do and did, with Revoke at hand on a phone too.
        const ownerContext = await browser.newContext({ viewport, locale: lang === 'en' ? 'en-US' : 'de-DE' });
        const op = await ownerContext.newPage();
        op.on('dialog', (d) => void d.accept());
        op.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) csp.push(m.text()); });
        await op.goto(`${server.url}/account?lang=${lang}`);
        await op.locator('select[name=make]').selectOption('KIA');
        await op.locator('input[name=email]').fill(login);
        await op.locator('input[name=password]').fill('any password');
        await op.locator('select[name=mode]').selectOption('simulated');
        await op.locator('#owner-sign-in').click();
        const appCard = op.locator(`#vehicle-${vehicleId} [data-app-id="${clientId}"]`);
        await appCard.waitFor();
        expect(await appCard.innerText()).toContain(w.may);
        expect(await op.locator(`#vehicle-${vehicleId} .access-log`).innerText()).toContain(w.read);
        const revoke = appCard.getByRole('button', { name: w.revoke });
        const rb = (await revoke.boundingBox())!;
        expect(rb.x + rb.width).toBeLessThanOrEqual(viewport.width);
        const ownerWide = await op.evaluate((max) => [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > max + 0.5)
          .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}`), viewport.width);
        expect(ownerWide).toEqual([]);
        if (SHOTS) {
          const dir = new URL('../../../docs/screenshots/account/', import.meta.url).pathname;
          mkdirSync(dir, { recursive: true });
          await op.screenshot({ path: `${dir}owner-${lang}-${device}.png`, fullPage: true });
        }
        const ownerChecked = await browser.newContext({ viewport, locale: lang === 'en' ? 'en-US' : 'de-DE', bypassCSP: true, storageState: await ownerContext.storageState() });
        const op2 = await ownerChecked.newPage();
        await op2.goto(`${server.url}/account`);
        expect((await axeViolations(op2)).join('\n')).toBe('');
        await ownerChecked.close();
        await revoke.click();
        await op.waitForURL(/revoked=1/);
        expect(await op.locator(`#vehicle-${vehicleId} [data-app-id="${clientId}"]`).count()).toBe(0);
        await ownerContext.close();
        expect(csp).toEqual([]);

        await context.close();
      }, 90_000);
    }
  }
});
