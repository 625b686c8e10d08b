import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { isApiError } from '@opencar/core';
import type { App } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect, str, WebError } from '../http/context.js';
import { formatTime } from '../i18n/index.js';
import { alert, csrfInput, postButton, select } from '../views/components.js';
import { vehicleLabels } from '../services/vehicle-labels.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { guarded, integrationBadge, integrationId, integrationsOf, integrationsPath } from './integration-shared.js';

const tags = ['Dashboard'];
const PAGE_SIZE = 100;

/** The vehicles subscribed to one integration (make, model, year, VIN tail); subscribe a connected vehicle, unsubscribe. */
export function integrationSubscriptionsRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);
    const base = '/dashboard/apps/:appId/integrations/:integrationId/subscriptions';

    app.get(base, { schema: { tags, summary: 'Vehicles subscribed to an API v3 integration' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      return subscriptionsPage(req, reply, a, integrationId(req));
    });

    app.post(base, { schema: { tags, summary: 'Subscribe a connected vehicle to an API v3 integration, or unsubscribe it' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const id = integrationId(req);
      const svc = integrationsOf(s);
      const f = formOf(req);
      const vehicleId = str(f, 'vehicle_id', 200);
      if (str(f, 'op', 20) === 'unsubscribe') {
        if (!(await guarded(() => svc.unsubscribe(a.id, id, vehicleId)))) throw new WebError(404, 'error.vehicleNotFound');
        return redirect(reply, integrationsPath(a, `/${id}/subscriptions?unsubscribed=1`));
      }
      try {
        // Another app's or a never-connected vehicle is "no such connected vehicle" (404).
        const r = await guarded(() => svc.subscribe(a.id, id, vehicleId));
        return redirect(reply, integrationsPath(a, `/${id}/subscriptions?subscribed=${r.created ? 1 : 'again'}`));
      } catch (err) {
        if (isApiError(err) && err.statusCode === 400) return subscriptionsPage(req, reply, a, id, alert('error', err.description), 400);
        throw err;
      }
    });
  };

  async function subscriptionsPage(req: FastifyRequest, reply: FastifyReply, a: App, id: string, notice?: SafeHtml, status = 200): Promise<FastifyReply> {
    const { t, lang, csrf } = ctx(req);
    const svc = integrationsOf(s);
    const i = await guarded(() => svc.get(a.id, id));
    const q = (req.query ?? {}) as Record<string, string>;
    const { items, total } = await svc.subscriptions(a.id, { webhookId: id }, { offset: 0, limit: PAGE_SIZE });
    const connected = (await s.deps.grants?.appVehicleIds(a.id)) ?? [];
    const subscribed = new Set(items.map((x) => x.vehicleId));
    const names = await vehicleLabels(s, [...new Set([...connected, ...subscribed])]);
    const name = (v: string) => names.get(v) ?? v;
    const open = connected.filter((v) => !subscribed.has(v));
    const path = integrationsPath(a, `/${encodeURIComponent(i.id)}/subscriptions`);
    const ok = q.subscribed === '1' ? t('integ.subscribed') : q.subscribed === 'again' ? t('integ.alreadySubscribed') : q.unsubscribed ? t('integ.unsubscribed') : '';
    return devPage(req, reply, t('integ.subscriptions'), html`${notice ?? (ok ? alert('ok', ok) : '')}
<h1>${i.name}: ${t('integ.subscriptions')}</h1><p><a href="${integrationsPath(a, `/${encodeURIComponent(i.id)}`)}">${t('common.back')}</a> · ${integrationBadge(t, i)}</p>
${i.isEnabled ? '' : html`<p class="alert alert-info" id="not-enabled">${t('integ.notEnabledNote')}</p>`}
${items.length === 0 ? html`<p class="muted" id="no-subscriptions">${t('integ.noSubscriptions')}</p>` : html`<div class="table-wrap"><table id="subscriptions"><caption class="sr">${t('integ.subscriptions')}</caption>
<thead><tr><th scope="col">${t('hooks.vehicle')}</th><th scope="col">${t('integ.mode')}</th><th scope="col">${t('integ.since')}</th><th scope="col"><span class="sr">${t('hooks.unsubscribe')}</span></th></tr></thead><tbody>
${items.map((x) => html`<tr data-vehicle-id="${x.vehicleId}"><th scope="row" class="vehicle-name" title="${x.vehicleId}">${name(x.vehicleId)}</th><td>${x.mode === 'live' ? t('mode.live') : t('mode.simulated')}</td><td>${formatTime(lang, Date.parse(x.createdAt))}</td>
<td>${postButton(path, t('hooks.unsubscribe'), csrf, { fields: { op: 'unsubscribe', vehicle_id: x.vehicleId }, id: `unsubscribe-${x.vehicleId}` })}</td></tr>`)}</tbody></table></div>
${total > items.length ? html`<p class="muted">${t('integ.firstN', { n: items.length, total })}</p>` : ''}`}
<h2>${t('integ.subscribeVehicle')}</h2>
${open.length ? html`<form method="post" action="${path}" class="card actions">${csrfInput(csrf)}<input type="hidden" name="op" value="subscribe">
${select({ label: t('hooks.vehicle'), name: 'vehicle_id', id: 'subscribe-vehicle', options: open.map((v) => ({ value: v, label: name(v) })) })}
<button type="submit" id="subscribe-button">${t('hooks.subscribe')}</button></form>` : html`<p class="muted" id="no-vehicles">${connected.length ? t('integ.allSubscribed') : t('integ.noVehicles')}</p>`}`, { nav: appTabs(req, a, 'integrations'), status });
  }
}
