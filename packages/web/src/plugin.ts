import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BASE_CSS_SOURCE, html } from '@opencar/ui';
import type { WebDeps } from './deps.js';
import { createServices, type WebServices } from './services.js';
import { assetRoutes } from './assets/index.js';
import { ctx, formOf, setContext, WebError } from './http/context.js';
import { serializeCookie } from './http/cookies.js';
import { isLang, langOf, LANG_COOKIE, translator } from './i18n/index.js';
import { sendPage } from './views/layout.js';
import { dashboardRoutes } from './dashboard/index.js';
import { ownerRoutes } from './owner/index.js';
import { homeRoutes } from './site/home.js';
import { docsIndexRoutes } from './site/docs-index.js';
import { faviconRoutes } from './site/favicon.js';

/**
 * Scripts and styles only from this origin, plus the one base stylesheet every page inlines (by hash);
 * no inline style attributes. Images also from https and from the configured map tile server.
 */
const csp = (tiles: string | undefined) => `default-src 'self'; img-src 'self' https: data:${tiles && tiles.startsWith('http:') ? ` ${new URL(tiles.replace(/\{[a-z]\}/g, '0')).origin}` : ''}; style-src 'self' ${BASE_CSS_SOURCE}; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`;

/**
 * The developer dashboard (/dashboard) and the owner portal (/account): server-rendered HTML with
 * its own HTML error handler (the root handler renders API JSON).
 */
export function webPlugin(deps: WebDeps) {
  return async function web(app: FastifyInstance): Promise<void> {
    const services = createServices(deps);
    app.addHook('onClose', async () => { await services.mailer.drain(); services.mailer.close(); });
    const CSP = csp(deps.config.mapTiles?.url);
    const secure = deps.config.publicUrl.startsWith('https:') || deps.config.tls !== undefined;
    app.setErrorHandler((err: FastifyError, req, reply) => renderError(err, req, reply));
    app.addHook('onRequest', async (req, reply) => {
      reply.header('content-security-policy', CSP).header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'same-origin').header('x-frame-options', 'DENY');
      const q = (req.query as Record<string, unknown> | undefined)?.lang;
      if (isLang(q)) reply.header('set-cookie', serializeCookie(LANG_COOKIE, q, { path: '/', secure, maxAge: 365 * 86400 }));
    });
    app.addHook('preHandler', async (req, reply) => establishContext(services, req, reply));
    await app.register(assetRoutes);
    await app.register(faviconRoutes);
    await app.register(homeRoutes(services));
    await app.register(docsIndexRoutes);
    await app.register(dashboardRoutes(services));
    await app.register(ownerRoutes(services));
  };
}

async function establishContext(s: WebServices, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const path = req.url.split('?')[0] ?? '/';
  if (path.startsWith('/web-assets/') || path.startsWith('/favicon.')) return;
  const kind = path.startsWith('/account') ? 'owner' : 'developer';
  const session = await s.sessions.load(req, kind);
  const lang = langOf(req);
  setContext(req, { lang, t: translator(lang), path, kind, session, csrf: s.sessions.csrfToken(req, reply, session) });
  if (req.method === 'POST' && !s.sessions.checkCsrf(req, session, formOf(req)._csrf)) throw new WebError(403, 'error.csrf');
}

function renderError(err: FastifyError | WebError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const c = ctx(req);
  const status = err instanceof WebError ? err.statusCode : err.validation ? 400 : (err.statusCode ?? 500) >= 400 && (err.statusCode ?? 500) < 500 ? err.statusCode! : 500;
  if (status >= 500) req.log.error({ err }, 'web page failed');
  const message = err instanceof WebError ? c.t(err.messageKey) : status === 404 ? c.t('error.notFound') : status >= 500 ? c.t('error.server') : c.t('error.badRequest');
  const home = c.kind === 'owner' ? '/account' : '/dashboard';
  return sendPage(reply, {
    lang: c.lang, t: c.t, title: c.t('error.title'), area: c.kind === 'owner' ? 'account' : 'dashboard', path: c.path, status,
    body: html`<h1>${c.t('error.title')}</h1><p>${message}</p><p class="muted">${c.t('error.requestId')}: <code>${req.id}</code></p><p><a href="${home}">${c.t('common.back')}</a></p>`,
  });
}
