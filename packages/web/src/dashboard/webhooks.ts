import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { isApiError } from '@opencar/core';
import { EVENT_TYPES, SCHEDULABLE_PATHS } from '@opencar/webhooks';
import type { App } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { hookStatusBadge } from '../views/status-badge.js';
import { ctx, formOf, list, redirect, str, WebError } from '../http/context.js';
import { alert, csrfInput, field, postButton, select } from '../views/components.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { WebhookDetail } from './webhook-detail.js';
import { testEventForm, WebhookTest } from './webhook-test.js';
import { vehicleLabel } from '../services/vehicle-labels.js';

const tags = ['Dashboard'];
const CADENCES = ['hourly', 'daily', 'weekly', 'monthly', '30m'];

/** Webhooks of an app: create (with the verify handshake), verify again, delete, subscriptions. */
export function webhooksRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);
    const base = '/dashboard/apps/:appId/webhooks';
    const back = (a: App, q: string) => `/dashboard/apps/${a.id}/webhooks${q}`;

    app.get(base, { schema: { tags, summary: 'Webhooks of an application' }, preHandler }, async (req, reply) => listPage(req, reply, await ownedApp(s, req)));

    app.post(base, { schema: { tags, summary: 'Create a webhook (sends the verify challenge)' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const f = formOf(req);
      const type = str(f, 'type', 20) === 'scheduled' ? 'scheduled' : 'eventBased';
      const typed: Typed = { name: str(f, 'name', 100), url: str(f, 'url', 1000), type, events: list(f, 'events'), cadence: str(f, 'cadence', 20), endpoints: list(f, 'endpoints') };
      try {
        const created = await service().create(a.id, {
          name: str(f, 'name', 100), url: str(f, 'url', 1000), type,
          ...(type === 'scheduled' ? { cadence: str(f, 'cadence', 20), endpoints: list(f, 'endpoints') } : { events: list(f, 'events') }),
        });
        if (created.verification.verified) return redirect(reply, back(a, '?created=verified'));
        // A receiver that does not answer the challenge is not kept: the form comes back with what was typed.
        await service().remove(a.id, created.id);
        // The failure is shown on the page answering the POST: it never travels in (and is never read from) the URL.
        return listPage(req, reply, a, ctx(req).t('hooks.notVerified', { error: created.verification.error ?? '' }), 400, typed);
      } catch (err) {
        if (isApiError(err) && err.type === 'BILLING') return listPage(req, reply, a, html`${err.description} <a href="/dashboard/plans" id="see-plans">${ctx(req).t('plans.seePlans')}</a>`, 400, typed);
        if (isApiError(err)) return listPage(req, reply, a, err.description, 400, typed);
        throw err;
      }
    });

    app.post(`${base}/:webhookId/verify`, { schema: { tags, summary: 'Send the verify challenge again' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const r = await guarded(() => service().verify(a.id, hookId(req)));
      if (r.verified) return redirect(reply, back(a, '?verified=1'));
      return listPage(req, reply, a, ctx(req).t('hooks.notVerified', { error: r.error ?? '' }));
    });

    app.post(`${base}/:webhookId/delete`, { schema: { tags, summary: 'Delete a webhook' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      await guarded(() => service().remove(a.id, hookId(req)));
      return redirect(reply, back(a, ''));
    });

    app.post(`${base}/:webhookId/subscriptions`, { schema: { tags, summary: 'Subscribe or unsubscribe a connected vehicle' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const f = formOf(req);
      const vehicleId = str(f, 'vehicle_id', 200);
      if (!(await s.deps.grants?.appVehicleIds(a.id))?.includes(vehicleId)) throw new WebError(404, 'error.vehicleNotFound');
      const ok = str(f, 'op', 20) === 'unsubscribe' ? await service().unsubscribe(a.id, hookId(req), vehicleId) : await service().subscribe(a.id, hookId(req), vehicleId);
      if (!ok) throw new WebError(404, 'error.notFound');
      return redirect(reply, back(a, '?subscribed=1'));
    });

    await app.register(WebhookDetail(s));
    await app.register(WebhookTest(s));

    function service() {
      if (!s.deps.webhooks) throw new WebError(503, 'common.notAvailable');
      return s.deps.webhooks;
    }
  };

  async function listPage(req: FastifyRequest, reply: FastifyReply, a: App, error?: string | SafeHtml, status = 200, typed?: Typed) {
    const { t, csrf } = ctx(req);
    const nav = appTabs(req, a, 'webhooks');
    if (!s.deps.webhooks) return devPage(req, reply, t('nav.webhooks'), alert('info', t('common.notAvailable')), { nav });
    const q = (req.query ?? {}) as Record<string, string>;
    const hooks = await s.deps.webhooks.list(a.id);
    const vehicles = (await s.deps.grants?.appVehicleIds(a.id)) ?? [];
    const names = new Map(await Promise.all(vehicles.map(async (id) => [id, vehicleLabel(s, id, await s.deps.backend?.vehicle(id))] as const)));
    const nameOf = (id: string) => names.get(id) ?? id;
    const v: Typed = typed ?? { name: 'Charging events', url: '', type: 'eventBased', events: [...EVENT_TYPES], cadence: CADENCES[0]!, endpoints: [] };
    const notice = error ? alert('error', error) : q.created === 'verified' || q.verified === '1' ? alert('ok', t('hooks.verified'))
      : q.subscribed ? alert('ok', t('sim.done')) : '';
    const base = `/dashboard/apps/${a.id}/webhooks`;
    return devPage(req, reply, t('nav.webhooks'), html`${notice}<h1>${a.name}: ${t('nav.webhooks')}</h1>
${hooks.length === 0 ? html`<p class="muted">${t('hooks.none')}</p>` : hooks.map((h) => html`<section class="card webhook" id="webhook-${h.id}"><h2>${h.name}</h2>
<dl class="kv"><dt>URL</dt><dd class="mono">${h.url}</dd><dt>${t('hooks.type')}</dt><dd>${h.type === 'eventBased' ? `${t('hooks.event')}: ${h.events.join(', ')}` : `${t('hooks.scheduled')} (${h.cadence}): ${h.endpoints.join(', ')}`}</dd>
<dt>${t('account.status')}</dt><dd>${hookStatusBadge(t, h.status)}</dd><dt>ID</dt><dd class="mono">${h.id}</dd>
<dt>${t('hooks.vehicles')}</dt><dd>${h.vehicles.length ? html`<ul class="plain">${h.vehicles.map((id) => html`<li title="${id}">${nameOf(id)}</li>`)}</ul>` : '—'}</dd></dl>
<div class="actions"><a class="button secondary" href="${base}/${h.id}">${t('hooks.deliveries')}</a>${h.status === 'active' ? testEventForm(t, csrf, a.id, h.id, s.deps.config.webhookTimeoutMs) : ''}${postButton(`${base}/${h.id}/verify`, t('hooks.verify'), csrf)}
${postButton(`${base}/${h.id}/delete`, t('hooks.delete'), csrf, { danger: true, confirm: t('hooks.deleteConfirm') })}</div>
${vehicles.length ? html`<form method="post" action="${base}/${h.id}/subscriptions" class="actions">${csrfInput(csrf)}
${select({ label: t('hooks.vehicle'), name: 'vehicle_id', id: `sub-vehicle-${h.id}`, options: vehicles.map((id) => ({ value: id, label: nameOf(id) })) })}
${select({ label: t('hooks.op'), name: 'op', id: `sub-op-${h.id}`, options: [{ value: 'subscribe', label: t('hooks.subscribe') }, { value: 'unsubscribe', label: t('hooks.unsubscribe') }] })}
<button type="submit" class="secondary" id="subscribe-${h.id}">${t('common.apply')}</button></form>` : ''}</section>`)}
<h2>${t('hooks.new')}</h2><form method="post" action="${base}" class="card" data-busy="${t('hooks.verifying', { s: Math.ceil(s.deps.config.webhookTimeoutMs / 1000) })}">${csrfInput(csrf)}
${field({ label: t('field.name'), name: 'name', value: v.name })}
${field({ label: 'URL', name: 'url', type: 'url', required: true, value: v.url, hint: t('hooks.urlHint') })}
${select({ label: t('hooks.type'), name: 'type', id: 'hook-type', value: v.type, options: [{ value: 'eventBased', label: t('hooks.event') }, { value: 'scheduled', label: t('hooks.scheduled') }] })}
<fieldset><legend>${t('hooks.events')}</legend>${EVENT_TYPES.map((e) => html`<div class="check"><input type="checkbox" id="ev-${e}" name="events" value="${e}"${v.events.includes(e) ? html` checked` : ''}><label for="ev-${e}">${e}</label></div>`)}</fieldset>
${select({ label: t('hooks.cadence'), name: 'cadence', value: v.cadence, options: CADENCES.map((c) => ({ value: c, label: c })) })}
<fieldset><legend>${t('hooks.endpoints')}</legend>${SCHEDULABLE_PATHS.map((e) => html`<div class="check"><input type="checkbox" id="${endpointId(e)}" name="endpoints" value="${e}"${v.endpoints.includes(e) ? html` checked` : ''}><label for="${endpointId(e)}">${e}</label></div>`)}</fieldset>
<button type="submit" id="create-webhook">${t('hooks.create')}</button></form>`, { nav, status });
  }
}

/** What the developer typed into the new-webhook form, shown again when it is refused. */
interface Typed { name: string; url: string; type: 'eventBased' | 'scheduled'; events: string[]; cadence: string; endpoints: string[] }

function hookId(req: FastifyRequest): string {
  return (req.params as { webhookId: string }).webhookId;
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (err) {
    if (isApiError(err) && err.statusCode === 404) throw new WebError(404, 'error.notFound');
    throw err;
  }
}

/** Element id of an endpoint checkbox: `/charge/limit` → `ep-charge-limit`, `/` → `ep-vehicle`. */
function endpointId(path: string): string {
  return `ep-${path.slice(1).replace(/\//g, '-') || 'vehicle'}`;
}
