import type { FastifyInstance } from 'fastify';
import { html } from '@opencar/ui';
import { isApiError } from '@opencar/core';
import type { WebServices } from '../services.js';
import { ctx, redirect, WebError } from '../http/context.js';
import { alert, postButton } from '../views/components.js';
import { deliveryStatusBadge } from '../views/status-badge.js';
import { formatTime } from '../i18n/index.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { testEventForm, testOutcome } from './webhook-test.js';

const tags = ['Dashboard'];

/** A delivery's title: the event type it carries (CHARGING_STARTED …), else its kind (scheduled, verify). */
function eventTitle(d: { eventName: string; body: unknown }): string {
  const payload = (d.body as { payload?: { eventType?: unknown } } | null)?.payload;
  return typeof payload?.eventType === 'string' ? payload.eventType : d.eventName;
}

/** The delivery log of one webhook: bodies, response status per attempt, redeliver. */
export function WebhookDetail(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);

    app.get('/dashboard/apps/:appId/webhooks/:webhookId', { schema: { tags, summary: 'Delivery log of a webhook' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const { t, lang, csrf } = ctx(req);
      const wh = s.deps.webhooks;
      if (!wh) throw new WebError(503, 'common.notAvailable');
      const webhookId = (req.params as { webhookId: string }).webhookId;
      let hook, deliveries;
      try { [hook, deliveries] = await Promise.all([wh.get(a.id, webhookId), wh.deliveries(a.id, webhookId, 50)]); } catch (err) {
        if (isApiError(err)) throw new WebError(404, 'error.notFound');
        throw err;
      }
      const detailed = await Promise.all(deliveries.map((d) => wh.delivery(a.id, d.id)));
      const q = req.query as Record<string, string>;
      const redelivered = q.redelivered === '1';
      // The outcome is read from the delivery itself; the URL names only which one.
      const tested = q.tested ? detailed.find((d) => d.id === q.tested && d.test) : undefined;
      const ms = (iso: string | null) => (iso ? formatTime(lang, Date.parse(iso)) : '—');
      return devPage(req, reply, t('hooks.deliveries'), html`${redelivered ? alert('ok', t('hooks.redelivered')) : ''}${tested ? testOutcome(t, tested) : ''}<h1>${t('hooks.deliveries')}: ${hook.name}</h1>
<p><a href="/dashboard/apps/${a.id}/webhooks">${t('common.back')}</a></p>
<div class="actions">${hook.status === 'active' ? testEventForm(t, csrf, a.id, webhookId, s.deps.config.webhookTimeoutMs) : html`<p class="muted">${t('hooks.testNeedsVerify')}</p>`}</div>
${detailed.length === 0 ? html`<p class="muted">${t('common.none')}</p>` : detailed.map((d) => html`<section class="card delivery" id="delivery-${d.id}" data-status="${d.status}" data-test="${d.test ? '1' : '0'}">
<h2>${eventTitle(d)} ${deliveryStatusBadge(t, d)}${d.test ? html` <span class="badge delivery-test">${t('hooks.testBadge')}</span>` : ''}</h2>
<dl class="kv"><dt>${t('hooks.created')}</dt><dd>${ms(d.createdAt)}</dd><dt>${t('hooks.deliveredAt')}</dt><dd>${ms(d.deliveredAt)}</dd>
<dt>${t('hooks.attempts')}</dt><dd>${d.attempts}</dd><dt>${t('hooks.lastStatus')}</dt><dd class="last-status">${d.lastStatus ?? '—'}${d.lastError ? ` (${d.lastError})` : ''}</dd><dt>ID</dt><dd class="mono">${d.id}</dd></dl>
<details><summary>${t('hooks.body')}</summary><pre>${JSON.stringify(d.body, null, 2)}</pre></details>
${d.log.length ? html`<div class="table-wrap"><table><thead><tr><th scope="col">#</th><th scope="col">${t('logs.time')}</th><th scope="col">${t('hooks.response')}</th><th scope="col">${t('logs.latency')}</th></tr></thead><tbody>
${d.log.map((l) => html`<tr><td>${l.attempt}</td><td>${ms(l.at)}</td><td>${l.responseStatus ?? l.error ?? '—'}${l.responseBody ? html`<pre>${l.responseBody}</pre>` : ''}</td><td>${l.durationMs} ms</td></tr>`)}</tbody></table></div>` : ''}
${postButton(`/dashboard/apps/${a.id}/webhooks/${webhookId}/deliveries/${d.id}/redeliver`, t('hooks.redeliver'), csrf)}</section>`)}`, { nav: appTabs(req, a, 'webhooks') });
    });

    app.post('/dashboard/apps/:appId/webhooks/:webhookId/deliveries/:deliveryId/redeliver', { schema: { tags, summary: 'Redeliver a webhook delivery' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const { webhookId, deliveryId } = req.params as { webhookId: string; deliveryId: string };
      if (!s.deps.webhooks) throw new WebError(503, 'common.notAvailable');
      try { await s.deps.webhooks.redeliver(a.id, deliveryId); } catch (err) {
        if (isApiError(err)) throw new WebError(404, 'error.notFound');
        throw err;
      }
      return redirect(reply, `/dashboard/apps/${a.id}/webhooks/${webhookId}?redelivered=1`);
    });
  };
}
