import type { FastifyInstance } from 'fastify';
import { REFERENCE_CSP, referencePage } from './reference-page.js';
import { OPERATION_EXAMPLES, withExamples } from './examples.js';
import { docsLang, type LanguageOf } from '../docs-i18n/index.js';

export interface OpenApiRouteOptions {
  /** The reader's language (the server passes the dashboard's rule); English without it. */
  languageOf?: LanguageOf;
}

/** `/openapi.json` (OpenAPI 3.1, generated from the route schemas) and the `/docs/api` reference page. */
export async function openApiRoutes(app: FastifyInstance, opts: OpenApiRouteOptions = {}): Promise<void> {
  let cached: string | undefined;
  /** One rendered page per language. */
  const pages = new Map<string, string>();
  const document = () => (cached ??= JSON.stringify(withExamples(JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>)));
  const pageIn = (lang: string): string => {
    let html = pages.get(lang);
    if (html === undefined) pages.set(lang, html = referencePage(JSON.parse(document()) as Record<string, unknown>, OPERATION_EXAMPLES, lang));
    return html;
  };
  app.get('/openapi.json', { schema: { hide: true } }, async (_req, reply) => reply.type('application/json').send(document()));
  app.get('/docs/api', { schema: { hide: true } }, async (req, reply) =>
    reply.type('text/html').header('content-security-policy', REFERENCE_CSP).header('vary', 'accept-language, cookie')
      .send(pageIn(docsLang(opts.languageOf?.(req)))));
}
