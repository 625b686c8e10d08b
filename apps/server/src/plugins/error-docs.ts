import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, CATALOGUE, apiErrorBody, errorAnchor, errorPage, type ErrorKey } from '@opencar/core';
import { html, page, raw, staticPageCsp } from '@opencar/ui';
import { docsLang, docsPlainTranslator, docsTranslator, languageLinks, type LanguageOf } from '@opencar/api';

/** The error pages' own stylesheet (allowed by hash): long example lines scroll inside their box, not the page. */
const ERROR_CSS = 'pre{background:#fff;border:1px solid #ddd;padding:8px;overflow:auto;font-size:13px;max-width:100%}'
  + 'h1,h2,th,td{overflow-wrap:anywhere}';

/**
 * The error reference every `docURL` points at: `/docs/errors` lists each page, and
 * `/docs/errors/<type-page>#<code>` explains every error of that type and what to do about it.
 * The pages' own words follow the reader's language (`languageOf`); the catalogue's texts stay English.
 */
export function errorDocs(publicUrl: string, languageOf?: LanguageOf) {
  return async function errorDocRoutes(app: FastifyInstance): Promise<void> {
    const pages = new Map<string, (typeof CATALOGUE)[number][]>();
    for (const entry of CATALOGUE) {
      const name = errorPage(entry.type);
      pages.set(name, [...(pages.get(name) ?? []), entry]);
    }

    const csp = staticPageCsp(ERROR_CSS);
    const head = html`<style>${raw(ERROR_CSS)}</style>`;
    const langOfRequest = (req: FastifyRequest) => docsLang(languageOf?.(req));
    app.addHook('onRequest', async (_req, reply) => { reply.header('content-security-policy', csp).header('vary', 'accept-language, cookie'); });
    app.get('/docs/errors', async (req, reply) => {
      const lang = langOfRequest(req);
      const t = docsTranslator(lang);
      const c = (text: string) => html`<code>${text}</code>`;
      return reply.type('text/html').send(page({
        title: docsPlainTranslator(lang)('errors.title'), lang, head,
        body: html`<main>${languageLinks(lang)}<h1>${t('errors.heading')}</h1>
          <p>${t('errors.intro', { type: c('type'), code: c('code'), statusCode: c('statusCode'), resolution: c('resolution'), docURL: c('docURL') })}</p>
          <ul>${[...pages.entries()].map(([name, entries]) => html`<li><a href="/docs/errors/${name}">${entries[0]!.type}</a>
          (${entries.length})</li>`)}</ul></main>`,
      }));
    });

    app.get<{ Params: { page: string } }>('/docs/errors/:page', async (req, reply) => {
      const lang = langOfRequest(req);
      const t = docsTranslator(lang);
      const entries = pages.get(req.params.page);
      if (!entries) {
        return reply.code(404).type('text/html').send(page({
          title: docsPlainTranslator(lang)('errors.notFoundTitle'), lang, head,
          body: html`<main>${languageLinks(lang)}<h1>${t('errors.notFound')}</h1><p><a href="/docs/errors">${t('errors.all')}</a></p></main>`,
        }));
      }
      const type = entries[0]!.type;
      return reply.type('text/html').send(page({
        title: docsPlainTranslator(lang)('errors.pageTitle', { type }), lang, head,
        body: html`<main>${languageLinks(lang)}<p><a href="/docs/errors">${t('errors.all')}</a></p><h1>${t('errors.pageHeading', { type })}</h1>
          <p>${t('errors.englishNote')}</p>
          ${entries.map((e) => html`<section id="${errorAnchor(e.code)}"><h2>${e.type}:${e.code ?? 'null'}</h2>
          <table><tr><th>${t('errors.status')}</th><td>${e.status}</td></tr><tr><th>resolution.type</th><td>${e.resolution ?? 'null'}</td></tr>
          <tr><th>${t('errors.meaning')}</th><td lang="en">${e.description}</td></tr><tr><th>${t('errors.action')}</th><td lang="en">${e.action}</td></tr>
          <tr><th>${t('errors.userMessage')}</th><td lang="en">${e.suggestedUserMessage}</td></tr></table>
          <h3>${t('errors.exampleBody')}</h3><pre tabindex="0">${exampleBody(e, publicUrl)}</pre>
          <h3>${t('errors.reproduce')}</h3><p>${t('errors.reproduceHint')}</p>
          <pre tabindex="0">${reproduce(e, publicUrl)}</pre></section>`)}</main>`,
      }));
    });
  };
}

const keyOf = (e: (typeof CATALOGUE)[number]) => (e.code === null ? e.type : `${e.type}:${e.code}`) as ErrorKey;

/** The body the API answers with for this error (the request id is an example). */
function exampleBody(e: (typeof CATALOGUE)[number], publicUrl: string): string {
  return JSON.stringify(apiErrorBody(new ApiError(keyOf(e)), '5d6f2c1e-9a4b-4c1d-8e2f-0a1b2c3d4e5f', publicUrl), null, 2);
}

function reproduce(e: (typeof CATALOGUE)[number], publicUrl: string): string {
  return [
    `curl -u "$CLIENT_ID:$CLIENT_SECRET" -H 'content-type: application/json' \\`,
    `  -d '{"error":"${keyOf(e)}","count":1}' ${publicUrl}/simulator/vehicles/$VEHICLE_ID/faults`,
    `curl -H "Authorization: Bearer $ACCESS_TOKEN" ${publicUrl}/v2.0/vehicles/$VEHICLE_ID/odometer`,
  ].join('\n');
}
