import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsTranslator, type DocsKey, type DocsLang } from '@opencar/api';
import { testApp } from './helpers.js';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => t?.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
const words = (lang: DocsLang, key: DocsKey) => docsTranslator(lang)(key).value;
const PAGE = '/docs/errors/resource-not-found-errors';

describe('error reference in the reader language', () => {
  for (const lang of ['de', 'fr', 'es', 'nl'] as const) {
    it(`renders the index, an error page and the 404 page in ${lang}`, async () => {
      const index = await get(`/docs/errors?lang=${lang}`);
      expect(index.body).toContain(`<html lang="${lang}">`);
      expect(index.body).toContain(`<h1>${words(lang, 'errors.heading')}</h1>`);
      expect(index.body).toContain('<code>docURL</code>');
      expect(index.body).toContain('<a href="?lang=en" lang="en" hreflang="en">English</a>');

      const res = await get(`${PAGE}?lang=${lang}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`<html lang="${lang}">`);
      for (const key of ['errors.all', 'errors.status', 'errors.meaning', 'errors.action', 'errors.userMessage', 'errors.exampleBody', 'errors.reproduce', 'errors.reproduceHint', 'errors.englishNote'] as const) {
        expect(res.body, key).toContain(words(lang, key));
      }
      expect(res.body).not.toContain('Reproduce it in the simulator');
      // The catalogue's texts stay English, marked as such.
      expect(res.body).toMatch(/<td lang="en">/);

      const missing = await get(`/docs/errors/no-such-page?lang=${lang}`);
      expect(missing.statusCode).toBe(404);
      expect(missing.body).toContain(`<h1>${words(lang, 'errors.notFound')}</h1>`);
    });
  }

  it('takes the language from the cookie or Accept-Language and falls back to English', async () => {
    expect((await get(PAGE, { 'accept-language': 'fr-CA, en;q=0.5' })).body).toContain('<html lang="fr">');
    expect((await get(PAGE, { 'accept-language': 'fr', cookie: 'oc_lang=es' })).body).toContain('<html lang="es">');
    const en = await get(`${PAGE}?lang=pt`, { 'accept-language': 'pt-BR' });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('<h3>Reproduce it in the simulator</h3>');
    expect(en.body).toContain('<title>RESOURCE_NOT_FOUND errors — opencar</title>');
    expect(String(en.headers.vary)).toMatch(/accept-language/i);
  });
});
