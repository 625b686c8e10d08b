import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { MailRepo } from '@opencar/storage';
import { DESKTOP, PHONE_390, axeViolations, hasChromium, journey } from '../src/index.js';

/** OPENCAR_SCREENSHOTS=1 writes the pictures to docs/screenshots/ (members-*.png). */
const SHOTS = process.env.OPENCAR_SCREENSHOTS === '1';
const DIR = SHOTS ? resolve(import.meta.dirname, '../../../docs/screenshots') : join(tmpdir(), 'opencar-team-members');
const PASSWORD = 'a long team passphrase';

const WORDS = {
  en: { members: 'Team', invited: 'Invitation sent.', subject: 'Join Owner {lang} on opencar', viewerNote: 'You are a viewer in', refused: 'Your role in this account is viewer' },
  de: { members: 'Team', invited: 'Einladung gesendet.', subject: 'Treten Sie Owner {lang} auf opencar bei', viewerNote: 'Sie sind Betrachter in', refused: 'Ihre Rolle in diesem Konto ist Betrachter' },
} as const;

/**
 * An account owner brings a colleague in as viewer, in Debian Chromium on a desktop and a 390 px
 * phone, in English and German: the members page, the invitation sent, its link read from the mail
 * outbox (no mail server configured), the invitee setting a password, signing in with it as a
 * viewer, seeing the owner's app with its controls disabled and getting 403 when posting anyway.
 * The members, invitation and refusal pages: axe-core finds nothing and nothing scrolls sideways.
 */
describe.skipIf(!hasChromium())('team members in the browser', () => {
  const j = journey();

  for (const lang of ['en', 'de'] as const) {
    for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE_390]] as const) {
      it(`${lang} on ${device}`, async () => {
        const w = WORDS[lang];
        const ownerEmail = `owner-${lang}-${device}@team.example`;
        const viewerEmail = `viewer-${lang}-${device}@team.example`;
        const check = async (p: Page, name: string) => {
          expect(await p.evaluate(() => document.documentElement.lang)).toBe(lang);
          const wide = await p.evaluate((max) => [...document.querySelectorAll('body *')]
            .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > max + 0.5)
            .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}`), viewport.width);
          expect(wide, `${name} overflows on ${device}`).toEqual([]);
          expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name} scrolls sideways on ${device}`).toBe(true);
          expect(await axeViolations(p), `${name} (${lang}, ${device})`).toEqual([]);
          mkdirSync(DIR, { recursive: true });
          await p.screenshot({ path: join(DIR, `members-${name}${lang === 'en' ? '' : `-${lang}`}-${device}.png`), fullPage: true });
        };
        const locale = lang === 'en' ? 'en-US' : 'de-DE';

        // The owner signs up and makes an app.
        const ownerCtx = await j.browser.newContext({ viewport, locale, bypassCSP: true });
        const owner = await ownerCtx.newPage();
        await owner.goto(`${j.server.url}/dashboard/signup`);
        await owner.locator('input[name=name]').fill(`Owner ${lang}`);
        await owner.locator('input[name=email]').fill(ownerEmail);
        await owner.locator('input[name=password]').fill(PASSWORD);
        await owner.locator('#accept-tos').check();
        await owner.locator('#sign-up-button').click();
        await owner.waitForURL(/\/dashboard\?welcome=1/);
        await owner.locator('#new-app').click();
        await owner.locator('input[name=name]').fill('Fleet board');
        await owner.locator('textarea[name=redirect_uris]').fill('http://localhost:8000/callback');
        await owner.locator('#save-app').click();
        await owner.locator('#open-app').click();
        const appUrl = owner.url();

        // Members page, from the account page; invite a viewer.
        await owner.goto(`${j.server.url}/dashboard/account`);
        await owner.locator('#see-members').click();
        await owner.waitForURL(/\/dashboard\/account\/members$/);
        expect((await owner.locator('nav a[href="/dashboard/account/members"]').textContent())?.trim()).toBe(w.members);
        await check(owner, 'page');
        await owner.locator('input[name=email]').fill(viewerEmail);
        await owner.locator('#invite-role').selectOption('viewer');
        await owner.locator('#send-invite').click();
        await owner.waitForURL(/done=invited/);
        expect(await owner.locator('.alert-ok').textContent()).toContain(w.invited);
        expect(await owner.locator(`tr[data-invite="${viewerEmail}"]`).count()).toBe(1);
        await check(owner, 'invited');

        // The invitation from the outbox; the invitee sets a password.
        const [mail] = await new MailRepo(j.server.platform.storage.db).list(1, viewerEmail);
        expect(mail!.subject).toBe(w.subject.replace('{lang}', lang));
        const link = /(http:\/\/127\.0\.0\.1:\d+\/dashboard\/invite\?token=[\w%-]+)/.exec(mail!.body_text)![1]!;
        const viewerCtx = await j.browser.newContext({ viewport, locale, bypassCSP: true });
        const viewer = await viewerCtx.newPage();
        await viewer.goto(link);
        await viewer.locator('#accept-invite').waitFor();
        await check(viewer, 'invite');
        await viewer.locator('input[name=name]').fill(`Viewer ${lang}`);
        await viewer.locator('input[name=password]').fill(PASSWORD);
        await viewer.locator('#accept-tos').check();
        await viewer.locator('#accept-invite').click();
        await viewer.waitForURL(/\/dashboard\?joined=1$/);

        // Signs out and in again with their own e-mail and password: the owner's app, read only.
        await viewer.locator('#sign-out').click();
        await viewer.waitForURL(/\/dashboard\/signin$/);
        await viewer.locator('input[name=email]').fill(viewerEmail);
        await viewer.locator('input[name=password]').fill(PASSWORD);
        await viewer.locator('#sign-in-button').click();
        await viewer.waitForURL(/\/dashboard$/);
        expect(await viewer.locator('#role-note').textContent()).toContain(w.viewerNote);
        expect(await viewer.locator('#new-app').count()).toBe(0);
        await viewer.goto(appUrl);
        expect(await viewer.locator('#try-connect').count()).toBe(0);
        const locked = viewer.locator('form[data-locked="viewer"]');
        expect(await locked.count()).toBeGreaterThan(0);
        expect(await viewer.locator('#save-app').isDisabled()).toBe(true);
        await check(viewer, 'viewer-app');
        await viewer.goto(`${j.server.url}/dashboard/account/members`);
        expect(await viewer.locator('#send-invite').isDisabled()).toBe(true);
        await check(viewer, 'viewer-list');

        // Posting anyway (the controls re-enabled by hand) is refused by the j.server.
        await viewer.goto(appUrl);
        await viewer.evaluate(() => { for (const f of document.querySelectorAll('fieldset[disabled]')) f.removeAttribute('disabled'); });
        const [answer] = await Promise.all([viewer.waitForResponse((r) => r.request().method() === 'POST'), viewer.locator('#save-app').click()]);
        expect(answer.status()).toBe(403);
        await viewer.locator('main h1').waitFor();
        expect(await viewer.locator('main').textContent()).toContain(w.refused);
        await check(viewer, 'refused');
        await viewerCtx.close();

        // The owner sees the new member.
        await owner.reload();
        expect(await owner.locator(`tr[data-member="${viewerEmail}"] [data-role="viewer"]`).count()).toBe(1);
        await ownerCtx.close();
      }, 180_000);
    }
  }
});
