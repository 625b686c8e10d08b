import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hashPassword, hmacSha256Hex, systemClock } from '@opencar/core';
import { connectForTest } from '@opencar/oauth';
import { DESKTOP, TEST_CLIENT, axeViolations, hasChromium, launchBrowser, startServer, type LiveServer } from '../src/index.js';

const DEV = { email: 'seed@opencar.local', password: 'seed-dev-password-123' };
const SOC = 'tractionbattery-stateofcharge';
const RANGE = 'tractionbattery-range';
const LOCKED = 'closure-islocked';
/** A 390 px phone (the width the dashboard is checked at). */
const PHONE_390 = { width: 390, height: 844 } as const;
/** The longest the receiver holds a VERIFY answer back (it answers as soon as the test has looked at the waiting form). */
const VERIFY_HOLD_MS = 5000;
/** OPENCAR_SCREENSHOTS=1 writes the pictures to docs/screenshots/integrations-*.png. */
const SHOTS = process.env.OPENCAR_SCREENSHOTS === '1';
const SHOT_DIR = SHOTS ? resolve(import.meta.dirname, '../../../docs/screenshots') : join(tmpdir(), 'opencar-integrations');

const WORDS = {
  en: { tab: 'Integrations (v3)', enabled: 'enabled', verified: 'verified, disabled', battery: 'Traction battery', closure: 'Closure' },
  de: { tab: 'Integrationen (v3)', enabled: 'aktiviert', verified: 'bestätigt, deaktiviert', battery: 'Antriebsbatterie', closure: 'Türen und Klappen' },
} as const;

/**
 * A payload 4.0 receiver on 127.0.0.1: answers VERIFY with the AMT's HMAC of `data.challenge` once
 * `release()` is called (or after VERIFY_HOLD_MS), keeps every event; at a path ending in `/wrong`
 * it answers VERIFY at once with a wrong challenge.
 */
function receiver(amt: string) {
  const events: { eventType: string; data: { vehicle?: { id?: string }; triggers?: { code: string }[]; challenge?: string } }[] = [];
  let held: (() => void)[] = [];
  const release = () => { const h = held; held = []; for (const answer of h) answer(); };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
    req.on('end', () => {
      const body = JSON.parse(raw) as (typeof events)[number];
      events.push(body);
      if (body.eventType !== 'VERIFY') { res.writeHead(204).end(); return; }
      // A receiver that answers at once, but with a wrong challenge.
      if (req.url?.endsWith('/wrong')) { res.writeHead(200, { 'content-type': 'application/json' }).end('{"challenge":"not-the-hmac"}'); return; }
      let done = false;
      const answer = () => {
        if (done) return;
        done = true;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: hmacSha256Hex(amt, body.data.challenge!) }));
      };
      held.push(answer);
      setTimeout(answer, VERIFY_HOLD_MS);
    });
  });
  return { server, events, release, waiting: () => held.length };
}

async function until<T>(what: string, fn: () => T | undefined, tries = 150): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100)); // a real server delivering: bounded polling
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * An API v3 integration made in the dashboard, in Debian Chromium on a 1280 px desktop and a 390 px
 * phone, in English and German: the Integrations tab, the form (change triggers and data signals
 * picked by group, a condition trigger "state of charge below 20 %, at most once an hour"), VERIFY
 * answered by a local receiver while the form shows that it runs and cannot be sent again, enabling
 * it, subscribing a simulated vehicle (listed by make, model, year and VIN tail) and its
 * FIRST_DELIVERY arriving. Every page: axe-core finds nothing and nothing scrolls sideways. Without
 * JavaScript the same form is a plain POST.
 */
describe.skipIf(!hasChromium())('journey: API v3 integrations in the dashboard', () => {
  let server: LiveServer;
  let browser: Browser;
  const hook = receiver(TEST_CLIENT.amt);
  let hookUrl = '';
  beforeAll(async () => {
    server = await startServer();
    await server.platform.storage.db.updateTable('developers').set({ password_hash: await hashPassword(DEV.password) }).where('email', '=', DEV.email).execute();
    await new Promise<void>((r) => hook.server.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/v3-hook`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    hook.server.closeAllConnections();
    await new Promise<void>((r) => hook.server.close(() => r()));
  });

  it('works without JavaScript: the form is a plain POST, VERIFY answered, the detail page follows', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', javaScriptEnabled: false });
    await context.route('**/*', (route) => (route.request().url().startsWith(server.url) ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.goto(`${server.url}/dashboard/signin`);
    await page.locator('input[name=email]').fill(DEV.email);
    await page.locator('input[name=password]').fill(DEV.password);
    await page.locator('#sign-in-button').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/dashboard/signin'));
    await page.goto(`${server.url}/dashboard/apps/${TEST_CLIENT.clientId}/integrations/new`);
    await page.locator('input[name=name]').fill('No script');
    await page.locator('input[name=callback_uri]').fill(hookUrl);
    await page.locator('#group-odometer summary').click(); // a native disclosure: no script needed
    await page.locator('#trigger-odometer-traveleddistance').check();
    const before = hook.events.length;
    const submitted = page.locator('#save-integration').click();
    await until('VERIFY at the receiver', () => (hook.waiting() > 0 ? true : undefined));
    hook.release();
    await submitted;
    await page.waitForURL(/\/integrations\/[^/]+\?created=1$/);
    expect(hook.events.slice(before).map((e) => e.eventType)).toEqual(['VERIFY']);
    expect(await page.locator('#trigger-list').innerText()).toContain('odometer-traveleddistance');
    await context.close();
  });

  for (const lang of ['en', 'de'] as const) {
    for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE_390]] as const) {
      it(`${lang} on ${device}`, { timeout: 120_000 }, async () => {
        const w = WORDS[lang];
        const name = `Battery watch ${lang} ${device}`;
        // A simulated owner connects a car to the app.
        const signed = await server.platform.backend.signIn({ make: 'TESLA', email: `integrations-${lang}-${device}@example.com`, password: 'x', mode: 'simulated', country: 'US' });
        if (!signed.ok) throw new Error('sign-in failed');
        const vehicleId = signed.vehicles[0]!.vehicleId;
        await connectForTest(server.platform.storage, systemClock, { appId: TEST_CLIENT.clientId, userId: signed.accountId, vehicleIds: [vehicleId], permissions: ['read_battery', 'read_security'], mode: 'simulated' });

        const context = await browser.newContext({ viewport, locale: lang === 'en' ? 'en-US' : 'de-DE', bypassCSP: true });
        await context.route('**/*', (route) => (route.request().url().startsWith(server.url) ? route.continue() : route.abort()));
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) problems.push(m.text()); });
        page.on('dialog', (d) => void d.accept());
        const check = async (shot: string, p: Page = page) => {
          expect(await p.evaluate(() => document.documentElement.lang)).toBe(lang);
          const wide = await p.evaluate((max) => [...document.querySelectorAll('body *')].filter((e) => !(e.parentElement?.closest('.table-wrap')) && e.getBoundingClientRect().right > max + 0.5)
            .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')}`), viewport.width);
          expect(wide, `${shot} overflows on ${device}`).toEqual([]);
          expect(await p.evaluate(() => document.documentElement.scrollWidth), `${shot} scrolls sideways on ${device}`).toBeLessThanOrEqual(viewport.width);
          expect(await axeViolations(p), `${shot} (${lang}, ${device})`).toEqual([]);
          if (lang === 'en' || shot === 'form') {
            mkdirSync(SHOT_DIR, { recursive: true });
            await p.screenshot({ path: join(SHOT_DIR, `integrations-${shot}${lang === 'en' ? '' : `-${lang}`}-${device}.png`), fullPage: true });
          }
        };

        await page.goto(`${server.url}/dashboard/signin`);
        await page.locator('input[name=email]').fill(DEV.email);
        await page.locator('input[name=password]').fill(DEV.password);
        await page.locator('#sign-in-button').click();
        await page.waitForURL((u) => !u.pathname.startsWith('/dashboard/signin'));

        // The Integrations tab of the app.
        await page.goto(`${server.url}/dashboard/apps/${TEST_CLIENT.clientId}`);
        await page.getByRole('link', { name: w.tab }).click();
        await page.waitForURL(/\/integrations$/);
        await check('list');

        // The form: triggers and data signals by group, a condition.
        await page.locator('#new-integration').click();
        await page.waitForURL(/\/integrations\/new$/);
        await page.locator('input[name=name]').fill(name);
        await page.locator('input[name=callback_uri]').fill(hookUrl);
        await page.locator('#group-tractionbattery summary').click();
        await page.locator(`#trigger-${SOC}`).check();
        await page.locator(`#signal-${SOC}`).check();
        await page.locator(`#signal-${RANGE}`).check();
        await page.locator('#group-closure summary').click();
        await page.locator(`#trigger-${LOCKED}`).check();
        await page.locator('#cond-0-code').selectOption(SOC);
        await page.locator('#cond-0-op').selectOption('<');
        await page.locator('#cond-0-value').fill('20');
        await page.locator('#cond-0-cooldown').fill('3600');
        expect(await page.locator('#group-tractionbattery summary').innerText()).toContain(w.battery);
        expect(await page.locator('#group-closure summary').innerText()).toContain(w.closure);
        await check('form');

        // A receiver that answers VERIFY wrongly: nothing is kept, the form says why and keeps every value.
        await page.locator('input[name=callback_uri]').fill(`${hookUrl}/wrong`);
        await page.locator('#save-integration').click();
        await page.locator('.alert-error').waitFor();
        expect(await page.locator('.alert-error').innerText()).toContain('wrong challenge answer');
        expect(await page.locator(`#trigger-${SOC}`).isChecked()).toBe(true);
        expect(await page.locator(`#signal-${RANGE}`).isChecked()).toBe(true);
        expect(await page.locator('#cond-0-value').inputValue()).toBe('20');
        expect(await page.locator('input[name=name]').inputValue()).toBe(name);
        expect((await server.platform.integrations.list(TEST_CLIENT.clientId, { name }, { offset: 0, limit: 10 })).total).toBe(0);
        await check('refused');
        await page.locator('input[name=callback_uri]').fill(hookUrl);

        // Create: while VERIFY runs the button is disabled and the form says so; then the detail page.
        const before = hook.events.length;
        // Clicked inside the page so the state right after the click is read before the answer arrives;
        // a second submit is refused by the page while the first is under way.
        const sent = await page.evaluate(() => {
          const b = document.querySelector<HTMLButtonElement>('#save-integration')!;
          const f = b.form!;
          b.scrollIntoView({ block: 'center' });
          b.click();
          const again = f.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
          return { disabled: b.disabled, busy: f.getAttribute('aria-busy'), note: !f.querySelector<HTMLElement>('[data-busy-note]')!.hidden, again };
        });
        expect(sent).toEqual({ disabled: true, busy: 'true', note: true, again: false });
        await until('VERIFY at the receiver', () => (hook.waiting() > 0 ? true : undefined));
        if (lang === 'en') {
          // Playwright's own screenshot waits for the pending navigation; the DevTools protocol takes the page as it is.
          const cdp = await context.newCDPSession(page);
          const shot = (await cdp.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
          mkdirSync(SHOT_DIR, { recursive: true });
          writeFileSync(join(SHOT_DIR, `integrations-verifying-${device}.png`), Buffer.from(shot.data, 'base64'));
          await cdp.detach();
        }
        hook.release();
        await page.waitForURL(/\/integrations\/[^/]+\?created=1$/, { timeout: VERIFY_HOLD_MS - 1000 });
        expect(hook.events.slice(before).map((e) => e.eventType)).toEqual(['VERIFY']);
        const integrationId = new URL(page.url()).pathname.split('/').pop()!;
        const badge = page.locator('.integration-state');
        expect(await badge.innerText()).toBe(w.verified);
        expect(await page.locator('#trigger-list li').count()).toBe(3);
        expect(await page.locator('#signal-list li').count()).toBe(2);
        await check('detail');
        await page.locator('#edit-integration').click();
        await page.waitForURL(/\/edit$/);
        expect(await page.locator(`#trigger-${LOCKED}`).isChecked()).toBe(true);
        await check('edit');
        await page.goBack();

        // Enable, then subscribe the connected car.
        await page.locator('#enable-integration').click();
        await page.waitForURL(/enabled=1/);
        expect(await badge.innerText()).toBe(w.enabled);
        await page.locator('#subscriptions-link').click();
        await page.waitForURL(/\/subscriptions$/);
        await page.locator('#subscribe-vehicle').selectOption(vehicleId);
        await page.locator('#subscribe-button').click();
        await page.waitForURL(/subscribed=1/);
        const row = page.locator(`#subscriptions tr[data-vehicle-id="${vehicleId}"] .vehicle-name`);
        expect(await row.innerText()).toMatch(/^Tesla .+ \d{4} · VIN …\w{4}$/);
        await check('subscriptions');

        // The first event for the subscribed car is FIRST_DELIVERY.
        await until('FIRST_DELIVERY', () => (hook.events.some((e) => e.eventType === 'VEHICLE_STATE' && e.data.vehicle?.id === vehicleId
          && e.data.triggers?.some((t) => t.code === 'FIRST_DELIVERY')) ? true : undefined));

        // The list shows it with its counts.
        await page.goto(`${server.url}/dashboard/apps/${TEST_CLIENT.clientId}/integrations`);
        const listed = page.locator(`tr[data-integration-id="${integrationId}"]`);
        expect(await listed.locator('.n-triggers').innerText()).toBe('3');
        expect(await listed.locator('.n-signals').innerText()).toBe('2');
        expect(await listed.locator('.n-subscriptions').innerText()).toBe('1');
        expect(await listed.locator('.integration-state').innerText()).toBe(w.enabled);
        if (lang === 'en') await check('list-filled');
        expect(problems).toEqual([]);
        await context.close();
      });
    }
  }
});
