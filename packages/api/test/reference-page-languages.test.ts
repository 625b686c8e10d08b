import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspHash, html } from '@opencar/ui';
import { testApp } from '../../../apps/server/test/helpers.js';
import { DOCS_DICTIONARIES, docsTranslator, type DocsLang } from '../src/index.js';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => t?.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
const script = (body: string) => /<script>([\s\S]*?)<\/script>/.exec(body)?.[1];
/** A message as the page writes it (placeholders left out). */
const words = (lang: DocsLang, key: keyof (typeof DOCS_DICTIONARIES)['en']) => docsTranslator(lang)(key).value;

describe('API reference in the reader language', () => {
  for (const lang of ['de', 'fr', 'es', 'nl'] as const) {
    it(`renders its own words in ${lang}`, async () => {
      const res = await get(`/docs/api?lang=${lang}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`<html lang="${lang}">`);
      for (const key of ['auth.title', 'auth.intro', 'ref.search', 'ref.englishNote', 'auth.accessName', 'ref.responses', 'auth.source'] as const) {
        expect(res.body, key).toContain(words(lang, key));
      }
      expect(res.body).toContain(`<th scope="col">${words(lang, 'ref.field')}</th><th scope="col">${words(lang, 'ref.type')}</th><th scope="col">${words(lang, 'ref.required')}</th>`);
      expect(res.body).toContain(`data-search-status="${words(lang, 'ref.searchStatus')}"`);
      expect(res.body).toContain(`data-tab-list="${words(lang, 'ref.tabList')}"`);
      expect(res.body).not.toContain('Search operations');
      expect(res.body).not.toContain('<h2 id="authentication-title">Authentication</h2>');
      expect(res.body).toContain(`<nav aria-label="${words(lang, 'docs.language')}" class="langs">`);
      expect(res.body).toContain('<a href="?lang=en" lang="en" hreflang="en">English</a>');
      expect(res.body).toMatch(new RegExp(`<strong lang="${lang}" aria-current="page">`));
      // The document's own texts stay English, marked as such.
      expect(res.body).toContain('<p lang="en">');
    });
  }

  it('follows the language cookie, then Accept-Language, and falls back to English', async () => {
    expect((await get('/docs/api', { 'accept-language': 'de-DE,de;q=0.9' })).body).toContain('<html lang="de">');
    expect((await get('/docs/api', { 'accept-language': 'de', cookie: 'oc_lang=fr' })).body).toContain('<html lang="fr">');
    for (const res of [await get('/docs/api?lang=xx'), await get('/docs/api', { 'accept-language': 'ja, zh;q=0.5' }), await get('/docs/api', { cookie: 'oc_lang=../en' })]) {
      expect(res.body).toContain('<html lang="en">');
      expect(res.body).toContain('<label for="op-search">Search operations</label>');
      expect(res.body).toContain('data-search-status="{shown} of {total} operations"');
    }
    expect(String((await get('/docs/api')).headers.vary)).toMatch(/accept-language/i);
  });

  it('keeps one script and one CSP in every language', async () => {
    const en = await get('/docs/api?lang=en');
    const csp = String(en.headers['content-security-policy']);
    expect(csp).toContain(`script-src ${cspHash(script(en.body)!)}`);
    for (const lang of ['de', 'fr', 'es', 'nl']) {
      const res = await get(`/docs/api?lang=${lang}`);
      expect(String(res.headers['content-security-policy'])).toBe(csp);
      expect(script(res.body)).toBe(script(en.body));
    }
  });

  it('renders each language once and serves it again', async () => {
    const a = await get('/docs/api?lang=nl');
    const b = await get('/docs/api', { 'accept-language': 'nl' });
    expect(b.body).toBe(a.body);
    expect(a.body).not.toBe((await get('/docs/api?lang=es')).body);
  });
});

describe('docs translator', () => {
  it('escapes plain values and keeps markup values', () => {
    const tr = docsTranslator('de');
    expect(tr('ref.response', { status: '<b>' }).value).toBe('Antwort: &lt;b&gt;');
    expect(tr('ref.response', { status: html`<code>200</code>` }).value).toBe('Antwort: <code>200</code>');
    expect(docsTranslator('xx')('auth.title').value).toBe('Authentication');
  });
});
