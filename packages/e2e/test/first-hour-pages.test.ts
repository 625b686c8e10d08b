import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, axeViolations, hasChromium, journey, PHONE_390 } from '../src/index.js';

/** A 390 px phone (the width the dashboard is checked at). */
/** OPENCAR_SCREENSHOTS=1 writes the pictures to docs/screenshots/site/ and docs/screenshots/dashboard/. */
const SHOTS = process.env.OPENCAR_SCREENSHOTS === '1';
const dirOf = (area: string) => (SHOTS ? resolve(import.meta.dirname, `../../../docs/screenshots/${area}`) : join(tmpdir(), 'opencar-first-hour', area));

const WORDS = {
  en: { copy: 'Copy', copied: 'Copied', appName: 'Application name', redirects: 'Redirect URIs', odometer: 'See the total distance driven', docs: 'Documentation' },
  de: { copy: 'Kopieren', copied: 'Kopiert', appName: 'Name der Anwendung', redirects: 'Weiterleitungs-URIs', odometer: 'Den Kilometerstand sehen', docs: 'Dokumentation' },
} as const;

/**
 * The first pages an app developer meets, in Debian Chromium on a desktop and a 390 px phone, in English
 * and German: the landing page, the docs index, the new-app form with described permissions, the
 * credentials shown once, and the settings page with copy buttons and the quick-start snippet. Every
 * page: axe-core finds nothing, nothing scrolls sideways, no CSP violation.
 */
describe.skipIf(!hasChromium())('first hour: landing, docs, credentials and quick start in the browser', () => {
  const j = journey();

  for (const lang of ['en', 'de'] as const) {
    for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE_390]] as const) {
      it(`${lang} on ${device}`, async () => {
        const w = WORDS[lang];
        const context = await j.browser.newContext({ viewport, locale: lang === 'en' ? 'en-US' : 'de-DE', bypassCSP: true });
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: j.server.url });
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) problems.push(m.text()); });
        page.on('dialog', (d) => void d.accept());
        const check = async (name: string, area: 'site' | 'dashboard', p: Page = page) => {
          expect(await p.evaluate(() => document.documentElement.lang)).toBe(lang);
          const wide = await p.evaluate((max) => [...document.querySelectorAll('body *')].filter((e) => !(e.parentElement?.closest('.table-wrap')) && e.getBoundingClientRect().right > max + 0.5)
            .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')}`), viewport.width);
          expect(wide, `${name} overflows on ${device}`).toEqual([]);
          expect(await p.evaluate(() => document.documentElement.scrollWidth), `${name} scrolls sideways on ${device}`).toBeLessThanOrEqual(viewport.width);
          expect(await axeViolations(p), `${name} (${lang}, ${device})`).toEqual([]);
          if (lang === 'en' || name === 'home') {
            const dir = dirOf(area);
            mkdirSync(dir, { recursive: true });
            await p.screenshot({ path: join(dir, `${name}${lang === 'en' ? '' : `-${lang}`}-${device}.png`), fullPage: true });
          }
        };
        const email = `first-${lang}-${device}@dev.example`;

        await page.goto(`${j.server.url}/`);
        for (const id of ['go-dashboard', 'go-portal', 'go-api', 'go-errors', 'go-docs', 'go-health']) await page.locator(`#${id} a`).waitFor();
        await check('home', 'site');
        const icon = await page.request.get(`${j.server.url}/favicon.ico`);
        expect(icon.headers()['content-type']).toBe('image/x-icon');
        await page.locator('#go-docs a').click();
        await page.waitForURL(/\/docs$/);
        expect(await page.locator('h1').textContent()).toBe(w.docs);
        await check('docs', 'site');

        await page.goto(`${j.server.url}/dashboard/signup`);
        await page.locator('input[name=name]').fill('First Dev');
        await page.locator('input[name=email]').fill(email);
        await page.locator('input[name=password]').fill('first-hour-password');
        await page.locator('#accept-tos').check();
        await page.locator('#sign-up-button').click();
        await page.waitForURL(/\/dashboard\?welcome=1/);
        await page.locator('#new-app').click();
        await page.locator('label[for="perm-read_odometer"]').waitFor();
        expect(await page.locator('label[for="perm-read_odometer"] .perm-text').textContent()).toBe(w.odometer);
        // Labels of the permission grid never overlap one another.
        const boxes = await page.locator('.checks .check').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ l: r.left, r: r.right, t: r.top, b: r.bottom })));
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i]!, boxes[j]!];
          expect(a.r <= b.l + 0.5 || b.r <= a.l + 0.5 || a.b <= b.t + 0.5 || b.b <= a.t + 0.5, `permissions ${i} and ${j} overlap`).toBe(true);
        }
        await check('new-app', 'dashboard');
        await page.getByLabel(w.appName).fill('First app');
        await page.getByLabel(w.redirects).fill('http://localhost:8000/callback');
        await page.locator('#save-app').click();
        const clientId = await page.locator('#client-id').inputValue();
        await check('app-created', 'dashboard');
        const copy = page.locator('button[data-copy="client-secret"]');
        expect(await copy.evaluate((b) => b.firstChild?.nodeValue)).toBe(w.copy);
        expect(await copy.getAttribute('aria-label')).toBeNull();
        await copy.click();
        await page.waitForFunction((t) => document.querySelector('button[data-copy="client-secret"]')?.firstChild?.nodeValue === t, w.copied);
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.locator('#client-secret').inputValue());

        await page.locator('#open-app').click();
        await page.waitForURL(new RegExp(`/dashboard/apps/${clientId}$`));
        await page.locator('button[data-copy="client-id-value"]').click();
        await page.waitForFunction((t) => document.querySelector('button[data-copy="client-id-value"]')?.firstChild?.nodeValue === t, w.copied);
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientId);
        await page.locator('button[data-copy="quick-env"]').click();
        await page.waitForFunction((t) => document.querySelector('button[data-copy="quick-env"]')?.firstChild?.nodeValue === t, w.copied);
        const env = await page.evaluate(() => navigator.clipboard.readText());
        expect(env).toContain(`SMARTCAR_API_ORIGIN=${j.server.url}\n`);
        expect(env).toContain(`SMARTCAR_CLIENT_ID=${clientId}\n`);
        await check('app-settings', 'dashboard');

        // Plans: cards, a confirmation step, the change applied; the usage page shows both buckets.
        await page.goto(`${j.server.url}/dashboard/plans`);
        await check('plans', 'dashboard');
        await page.locator('#choose-payg').click();
        await page.locator('#confirm-plan').waitFor();
        await check('plan-confirm', 'dashboard');
        await page.locator('#confirm-plan').click();
        await page.waitForURL(/changed=1/);
        expect(await page.locator('#plan-payg .badge.ok').first().count()).toBe(1);
        await page.goto(`${j.server.url}/dashboard/apps/${clientId}/usage`);
        await page.locator('#bucket-simulated').waitFor();
        await check('usage', 'dashboard');
        expect(problems).toEqual([]);
        await context.close();
      });
    }
  }
});
