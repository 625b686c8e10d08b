import type { FastifyInstance } from 'fastify';
import { html } from '@opencar/ui';
import { ctx } from '../http/context.js';
import { sendPage } from '../views/layout.js';
import { linkCard } from './home.js';

/** `GET /docs`: an index of the documentation this server serves. */
export async function docsIndexRoutes(app: FastifyInstance): Promise<void> {
  app.get('/docs', { schema: { hide: true } }, async (req, reply) => {
    const c = ctx(req);
    const { t } = c;
    return sendPage(reply, {
      lang: c.lang, t, title: t('common.docs'), area: 'site', path: c.path,
      body: html`<h1>${t('common.docs')}</h1><p>${t('docs.intro')}</p>
<div class="grid">${linkCard('doc-api', '/docs/api', t('common.apiDocs'), t('site.apiHint'))}
${linkCard('doc-openapi', '/openapi.json', t('docs.openapi'), t('docs.openapiHint'))}
${linkCard('doc-errors', '/docs/errors', t('common.errorDocs'), t('site.errorsHint'))}
${linkCard('doc-dashboard', '/dashboard', t('dashboard.name'), t('docs.dashboardHint'))}</div>`,
    });
  });
}
