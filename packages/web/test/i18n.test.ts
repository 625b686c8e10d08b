import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromAcceptLanguage, translator } from '../src/i18n/index.js';
import { testApp } from '../../../apps/server/test/helpers.js';

describe('languages', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => { t = await testApp(); });
  afterAll(async () => t.close());

  it('ranks Accept-Language by q and falls back to English', () => {
    expect(fromAcceptLanguage('fr-CH;q=0.4, de-AT;q=0.9, en;q=0.5')).toBe('de');
    expect(fromAcceptLanguage('ja, nl;q=0.1')).toBe('nl');
    expect(fromAcceptLanguage('ja')).toBe('en');
    expect(fromAcceptLanguage(undefined)).toBe('en');
  });

  it('renders pages in the browser language; the switcher sets and remembers the choice', async () => {
    const de = await t.app.inject({ url: '/dashboard/signin', headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    expect(de.body).toContain('<html lang="de">');
    expect(de.body).toContain(translator('de')('signin.submit'));
    const switched = await t.app.inject({ url: '/account?lang=de', headers: { 'accept-language': 'en' } });
    expect(switched.body).toContain('<html lang="de">');
    expect(String(switched.headers['set-cookie'])).toContain('oc_lang=de');
    const remembered = await t.app.inject({ url: '/dashboard/signup', headers: { cookie: 'oc_lang=de', 'accept-language': 'en' } });
    expect(remembered.body).toContain('Entwicklerkonto anlegen');
  });

  it('German has its own text for every message', () => {
    const en = translator('en');
    const de = translator('de');
    for (const key of ['signup.title', 'owner.revoke', 'sim.plug', 'hooks.redeliver', 'usage.perDay'] as const) expect(de(key)).not.toBe(en(key));
  });
});
