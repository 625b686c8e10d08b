import type { FastifyInstance } from 'fastify';
import { html } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx } from '../http/context.js';
import { alert } from '../views/components.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { integrationBadge, integrationsPath } from './integration-shared.js';

const tags = ['Dashboard'];
const PAGE_SIZE = 50;

/** The Integrations tab: the app's API v3 integrations with their state and what each watches. */
export function integrationsListRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);

    app.get('/dashboard/apps/:appId/integrations', { schema: { tags, summary: 'API v3 integrations of an application' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const { t } = ctx(req);
      const nav = appTabs(req, a, 'integrations');
      const svc = s.deps.integrations;
      if (!svc) return devPage(req, reply, t('nav.integrations'), alert('info', t('common.notAvailable')), { nav });
      const q = (req.query ?? {}) as Record<string, string>;
      const page = Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1));
      const { items, total } = await svc.list(a.id, {}, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
      const counts = await Promise.all(items.map(async (i) => (await svc.subscriptions(a.id, { webhookId: i.id }, { offset: 0, limit: 1 })).total));
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      return devPage(req, reply, t('nav.integrations'), html`${q.deleted ? alert('ok', t('integ.deleted')) : ''}
<h1>${a.name}: ${t('nav.integrations')}</h1>
<p class="lead">${t('integ.intro')}</p>
<p><a class="button" href="${integrationsPath(a, '/new')}" id="new-integration">${t('integ.new')}</a></p>
${items.length === 0 ? html`<p class="muted" id="no-integrations">${t('integ.none')}</p>` : html`<div class="table-wrap"><table id="integrations"><caption class="sr">${t('nav.integrations')}</caption>
<thead><tr><th scope="col">${t('field.name')}</th><th scope="col">${t('integ.callbackUri')}</th><th scope="col">${t('account.status')}</th><th scope="col">${t('integ.triggers')}</th><th scope="col">${t('integ.signals')}</th><th scope="col">${t('integ.subscriptions')}</th></tr></thead><tbody>
${items.map((i, n) => html`<tr data-integration-id="${i.id}"><th scope="row"><a href="${integrationsPath(a, `/${encodeURIComponent(i.id)}`)}">${i.name}</a></th><td class="mono">${i.callbackUri}</td>
<td>${integrationBadge(t, i)}</td><td class="n-triggers">${i.triggers.length}</td><td class="n-signals">${i.signals.length}</td>
<td class="n-subscriptions"><a href="${integrationsPath(a, `/${encodeURIComponent(i.id)}/subscriptions`)}">${counts[n]}</a></td></tr>`)}</tbody></table></div>`}
${pages > 1 ? html`<nav aria-label="${t('integ.paging')}" class="actions">${page > 1 ? html`<a href="${integrationsPath(a, `?page=${page - 1}`)}" rel="prev">${t('integ.prev')}</a>` : ''}
<span>${page} / ${pages}</span>${page < pages ? html`<a href="${integrationsPath(a, `?page=${page + 1}`)}" rel="next">${t('integ.next')}</a>` : ''}</nav>` : ''}`, { nav });
    });
  };
}
