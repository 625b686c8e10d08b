import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hmacSha256Hex } from '@opencar/core';
import { DESKTOP, axeViolations, hasChromium, journey, PHONE_390 } from '../src/index.js';

/** OPENCAR_SCREENSHOTS=1 writes the pictures to docs/screenshots/dashboard/. */
const SHOTS = process.env.OPENCAR_SCREENSHOTS === '1';
const DIR = SHOTS ? resolve(import.meta.dirname, '../../../docs/screenshots/dashboard') : join(tmpdir(), 'opencar-webhook-test-event');

const WORDS = {
  en: { send: 'Send test event', delivered: /^Test event delivered: HTTP 200 in [\d.]+ ms\.$/, failed: /^Test event not delivered: HTTP 500 after [\d.]+ ms\./, badge: 'test' },
  de: { send: 'Testereignis senden', delivered: /^Testereignis zugestellt: HTTP 200 in [\d.]+ ms\.$/, failed: /^Testereignis nicht zugestellt: HTTP 500 nach [\d.]+ ms\./, badge: 'Test' },
} as const;

/** A webhook receiver on 127.0.0.1: answers the verify challenge, records what it gets, and fails on demand. */
function receiver() {
  const got: { raw: string; signature: string; body: { eventName: string; mode?: string; payload: { challenge?: string } } }[] = [];
  let amt = '';
  let failing = false;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
    req.on('end', () => {
      const body = JSON.parse(raw) as (typeof got)[number]['body'];
      got.push({ raw, signature: String(req.headers['sc-signature'] ?? ''), body });
      if (body.eventName === 'verify') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ challenge: hmacSha256Hex(amt, body.payload.challenge!) }));
      } else res.writeHead(failing ? 500 : 200).end('{}');
    });
  });
  return {
    server, got,
    set amt(v: string) { amt = v; }, get amt() { return amt; },
    set failing(v: boolean) { failing = v; },
    tests: () => got.filter((g) => g.body.mode === 'test'),
  };
}

/**
 * A developer sends a test event to a webhook, in Debian Chromium on a 1280 px desktop in English
 * and a 390 px phone in German: the button on the webhook (clicked twice: one event), the outcome
 * on the delivery log with the "test" badge, then a failing receiver's status. Every page: axe-core
 * finds nothing and nothing scrolls sideways.
 */
describe.skipIf(!hasChromium())('webhooks: send test event in the browser', () => {
  const j = journey();
  const rx = receiver();
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => rx.server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(rx.server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => rx.server.close(() => r()));
  });

  for (const [lang, device, viewport] of [['en', 'desktop', DESKTOP], ['de', 'phone', PHONE_390]] as const) {
    it(`${lang} on ${device}`, async () => {
      const w = WORDS[lang];
      const check = async (p: Page, name: string) => {
        expect(await p.evaluate(() => document.documentElement.lang)).toBe(lang);
        const wide = await p.evaluate((max) => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > max + 0.5 && !e.closest('.table-wrap, pre, details'))
          .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}`), viewport.width);
        expect(wide, `${name} overflows on ${device}`).toEqual([]);
        expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name} scrolls sideways`).toBe(true);
        expect(await axeViolations(p), `${name} (${lang}, ${device})`).toEqual([]);
        mkdirSync(DIR, { recursive: true });
        await p.screenshot({ path: join(DIR, `${name}${lang === 'en' ? '' : `-${lang}`}-${device}.png`), fullPage: true });
      };
      const context = await j.browser.newContext({ viewport, locale: lang === 'en' ? 'en-US' : 'de-DE', bypassCSP: true });
      const page = await context.newPage();
      page.on('dialog', (d) => void d.accept());
      await page.goto(`${j.server.url}/dashboard/signup`);
      await page.locator('input[name=name]').fill('Hook Dev');
      await page.locator('input[name=email]').fill(`hooks-${lang}@dev.example`);
      await page.locator('input[name=password]').fill('hook-dev-password');
      await page.locator('#accept-tos').check();
      await page.locator('#sign-up-button').click();
      await page.waitForURL(/\/dashboard\?welcome=1/);
      await page.goto(`${j.server.url}/dashboard/apps/new`);
      await page.locator('input[name=name]').fill('Hook App');
      await page.locator('textarea[name=redirect_uris]').fill('https://hooks.example/callback');
      await page.locator('#save-app').click();
      const appId = await page.locator('#client-id').inputValue();
      rx.amt = await page.locator('#amt').inputValue();

      await page.goto(`${j.server.url}/dashboard/apps/${appId}/webhooks`);
      await page.locator('input[name=url]').fill(url);
      await page.locator('#hook-type').selectOption('scheduled');
      await page.locator('#ep-odometer').check();
      await page.locator('#create-webhook').click();
      await page.waitForURL(/created=verified/);
      const webhookId = (await page.locator('section.webhook').first().getAttribute('id'))!.replace('webhook-', '');
      const send = page.locator(`#send-test-${webhookId}`);
      expect((await send.textContent())?.trim()).toBe(w.send);

      // Clicked twice in a row: the button is disabled by the first submit and the form's token dedupes; one event.
      const before = rx.tests().length;
      await send.dblclick();
      await page.waitForURL(/\/webhooks\/[^/?]+\?tested=/);
      const outcome = page.locator('#test-outcome');
      expect(await outcome.getAttribute('data-status')).toBe('delivered');
      expect((await outcome.textContent())?.trim()).toMatch(w.delivered);
      expect(rx.tests().length).toBe(before + 1);
      const sent = rx.tests().at(-1)!;
      expect(sent.signature).toBe(hmacSha256Hex(rx.amt, sent.raw));
      expect(Object.keys(sent.body)).toEqual(['version', 'webhookId', 'eventName', 'mode', 'payload']);
      const tested = page.locator('section.delivery[data-test="1"]');
      expect(await tested.count()).toBe(1);
      expect((await tested.locator('.delivery-test').textContent())?.trim()).toBe(w.badge);
      await check(page, 'webhook-test-event');

      // A receiver that fails: its status is shown, as an error.
      rx.failing = true;
      await page.locator(`#send-test-${webhookId}`).click();
      await page.waitForURL(/\?tested=/);
      await page.locator('#test-outcome[data-status="dead"]').waitFor();
      expect((await page.locator('#test-outcome').textContent())?.trim()).toMatch(w.failed);
      expect(await page.locator('.alert-error #test-outcome').count()).toBe(1);
      expect(await page.locator('section.delivery[data-test="1"]').count()).toBe(2);
      expect(await page.locator('section.delivery').first().getAttribute('data-status')).toBe('dead'); // newest first
      rx.failing = false;
      await check(page, 'webhook-test-event-failed');
      await context.close();
    }, 120_000);
  }
});
