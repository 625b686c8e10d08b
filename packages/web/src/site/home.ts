import type { FastifyInstance } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx } from '../http/context.js';
import { sendPage } from '../views/layout.js';
import { DEMO_DEVELOPER_EMAIL } from '../services/developers.js';

export const linkCard = (id: string, href: string, title: string, hint: string): SafeHtml =>
  html`<section class="card link-card" id="${id}"><h2><a href="${href}">${title}</a></h2><p>${hint}</p><p class="muted mono">${href}</p></section>`;

/** `GET /`: what this server is and where everything on it lives, the demo sign-in when there is one. */
export function homeRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/', { schema: { hide: true } }, async (req, reply) => {
      const c = ctx(req);
      const { t } = c;
      const demo = await s.developers.exists(DEMO_DEVELOPER_EMAIL);
      return sendPage(reply, {
        lang: c.lang, t, title: t('site.title'), area: 'site', path: c.path,
        body: html`<h1>${t('site.title')}</h1><p class="lead">${t('site.tagline')}</p>
${demo ? html`<section class="card" id="demo-sign-in"><h2>${t('site.demo')}</h2><p>${t('site.demoHint', { email: DEMO_DEVELOPER_EMAIL })}</p>
<p><a class="button" href="/dashboard/signin">${t('signin.submit')}</a></p></section>` : ''}
<div class="grid">${linkCard('go-dashboard', '/dashboard', t('dashboard.name'), t('site.dashboardHint'))}
${linkCard('go-portal', '/account', t('account.name'), t('site.portalHint'))}
${linkCard('go-api', '/docs/api', t('common.apiDocs'), t('site.apiHint'))}
${linkCard('go-errors', '/docs/errors', t('common.errorDocs'), t('site.errorsHint'))}
${linkCard('go-docs', '/docs', t('common.docs'), t('site.docsHint'))}
${linkCard('go-health', '/readyz', t('site.health'), t('site.healthHint'))}</div>`,
      });
    });
  };
}
