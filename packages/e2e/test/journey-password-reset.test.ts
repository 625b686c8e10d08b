import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { MailRepo } from '@opencar/storage';
import { DESKTOP, axeViolations, hasChromium, journey, PHONE_390 } from '../src/index.js';

/** OPENCAR_SCREENSHOTS=1 writes the pictures to docs/screenshots/dashboard/. */
const SHOTS = process.env.OPENCAR_SCREENSHOTS === '1';
const DIR = SHOTS ? resolve(import.meta.dirname, '../../../docs/screenshots/dashboard') : join(tmpdir(), 'opencar-password-reset');

const WORDS = {
  en: { forgot: 'Forgot password?', sent: 'If an account exists for that e-mail', done: 'Your password was changed', subject: 'Reset your opencar password' },
  fr: { forgot: 'Mot de passe oublié ?', sent: 'Si un compte existe pour cet e-mail', done: 'Votre mot de passe a été changé', subject: 'Réinitialisez votre mot de passe opencar' },
} as const;

/**
 * A developer who forgot their password, in Debian Chromium on a desktop and a 390 px phone, in
 * English and French: "Forgot password?" on the sign-in page, the request form and its answer, the
 * link read from the mail outbox (no mail server configured), the new-password page, sign-in with
 * the new password. Every page: axe-core finds nothing and nothing scrolls sideways.
 */
describe.skipIf(!hasChromium())('password reset in the browser', () => {
  const j = journey();

  for (const lang of ['en', 'fr'] as const) {
    for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE_390]] as const) {
      it(`${lang} on ${device}`, async () => {
        const w = WORDS[lang];
        const email = `reset-${lang}-${device}@dev.example`;
        const check = async (p: Page, name: string) => {
          expect(await p.evaluate(() => document.documentElement.lang)).toBe(lang);
          const wide = await p.evaluate((max) => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > max + 0.5)
            .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}`), viewport.width);
          expect(wide, `${name} overflows on ${device}`).toEqual([]);
          expect(await axeViolations(p), `${name} (${lang}, ${device})`).toEqual([]);
          mkdirSync(DIR, { recursive: true });
          await p.screenshot({ path: join(DIR, `${name}${lang === 'en' ? '' : `-${lang}`}-${device}.png`), fullPage: true });
        };
        const locale = lang === 'en' ? 'en-US' : 'fr-FR';

        // The account, made in one browser, stays signed in there.
        const first = await j.browser.newContext({ viewport, locale, bypassCSP: true });
        const old = await first.newPage();
        await old.goto(`${j.server.url}/dashboard/signup`);
        await old.locator('input[name=name]').fill('Forgetful Dev');
        await old.locator('input[name=email]').fill(email);
        await old.locator('input[name=password]').fill('the-old-password');
        await old.locator('#accept-tos').check();
        await old.locator('#sign-up-button').click();
        await old.waitForURL(/\/dashboard\?welcome=1/);

        const context = await j.browser.newContext({ viewport, locale, bypassCSP: true });
        const page = await context.newPage();
        await page.goto(`${j.server.url}/dashboard/signin`);
        expect((await page.locator('#forgot-password').textContent())?.trim()).toBe(w.forgot);
        await page.locator('#forgot-password').click();
        await page.waitForURL(/\/dashboard\/forgot$/);
        await check(page, 'forgot-password');
        await page.locator('input[name=email]').fill(email.toUpperCase());
        await page.locator('#send-reset').click();
        await page.locator('.alert-ok').waitFor();
        expect(await page.locator('.alert-ok').textContent()).toContain(w.sent);
        await check(page, 'forgot-password-sent');

        const [mail] = await new MailRepo(j.server.platform.storage.db).list(1, email);
        expect(mail!.subject).toBe(w.subject);
        const link = /(http:\/\/127\.0\.0\.1:\d+\/dashboard\/reset\?token=[\w%-]+)/.exec(mail!.body_text)![1]!;
        await page.goto(link);
        await page.locator('#set-password').waitFor();
        await check(page, 'reset-password');
        await page.locator('input[name=password]').fill('the-new-password');
        await page.locator('#set-password').click();
        await page.waitForURL(/\/dashboard\/signin\?reset=1$/);
        expect(await page.locator('.alert-ok').textContent()).toContain(w.done);
        await check(page, 'reset-password-done');

        await page.locator('input[name=email]').fill(email);
        await page.locator('input[name=password]').fill('the-new-password');
        await page.locator('#sign-in-button').click();
        await page.waitForURL(/\/dashboard$/);

        // The link is spent, and the old browser's session ended with the reset.
        await page.goto(link);
        expect(await page.locator('.alert-error').textContent()).toBeTruthy();
        await old.goto(`${j.server.url}/dashboard`);
        await old.waitForURL(/\/dashboard\/signin\?next=/);
        await context.close();
        await first.close();
      }, 120_000);
    }
  }
});
