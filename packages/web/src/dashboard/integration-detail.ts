import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { isApiError } from '@opencar/core';
import { isConditionTrigger, type Trigger } from '@opencar/webhooks';
import type { App } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect, str } from '../http/context.js';
import { formatTime, type Translate } from '../i18n/index.js';
import { alert, csrfInput, postButton } from '../views/components.js';
import { opLabel } from '../views/signal-picker.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { guarded, integrationBadge, integrationId, integrationsOf, integrationsPath, signalLabel } from './integration-shared.js';

const tags = ['Dashboard'];

/** One integration: its settings, verify again (with progress), enable/disable, delete. */
export function integrationDetailRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);
    const base = '/dashboard/apps/:appId/integrations/:integrationId';

    app.get(base, { schema: { tags, summary: 'An API v3 integration' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      return detailPage(s, req, reply, a, integrationId(req));
    });

    app.post(`${base}/verify`, { schema: { tags, summary: 'Send VERIFY to an API v3 integration again' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const id = integrationId(req);
      const r = await guarded(() => integrationsOf(s).verify(a.id, id));
      if (r.verified) return redirect(reply, integrationsPath(a, `/${id}?verified=1`));
      return detailPage(s, req, reply, a, id, alert('error', ctx(req).t('integ.verifyFailed', { error: r.error ?? '' })));
    });

    app.post(`${base}/enabled`, { schema: { tags, summary: 'Enable or disable an API v3 integration' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const id = integrationId(req);
      const on = str(formOf(req), 'enabled', 5) === '1';
      try {
        await guarded(() => integrationsOf(s).setEnabled(a.id, id, on));
      } catch (err) {
        if (isApiError(err) && err.statusCode === 400) return detailPage(s, req, reply, a, id, alert('error', ctx(req).t('integ.verifyFirst')), 400);
        throw err;
      }
      return redirect(reply, integrationsPath(a, `/${id}?enabled=${on ? 1 : 0}`));
    });

    app.post(`${base}/delete`, { schema: { tags, summary: 'Delete an API v3 integration' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      await guarded(() => integrationsOf(s).remove(a.id, integrationId(req)));
      return redirect(reply, integrationsPath(a, '?deleted=1'));
    });
  };
}

/** What a trigger does, in words: on every change, or the condition with its cooldown. */
export function triggerText(t: Translate, tr: Trigger): string {
  if (!isConditionTrigger(tr)) return t('integ.onChange');
  return tr.op === 'changed' ? t('integ.condChanged', { cooldown: tr.cooldownSeconds })
    : t('integ.condText', { op: opLabel(t, tr.op), value: String(tr.value), cooldown: tr.cooldownSeconds });
}

const NOTICES = { created: 'integ.created', verified: 'integ.verified', updated: 'integ.updated', moved: 'integ.movedVerified', enabled1: 'integ.enabledNow', enabled0: 'integ.disabledNow' } as const;

/** The detail page of one integration (404 for an id of another app or account). */
export async function detailPage(s: WebServices, req: FastifyRequest, reply: FastifyReply, a: App, id: string, notice?: SafeHtml, status = 200): Promise<FastifyReply> {
  const { t, lang, csrf } = ctx(req);
  const svc = integrationsOf(s);
  const i = await guarded(() => svc.get(a.id, id));
  const subscribed = (await svc.subscriptions(a.id, { webhookId: id }, { offset: 0, limit: 1 })).total;
  const labels = new Map(svc.signalChoices().map((c) => [c.code, signalLabel(t, c)]));
  const label = (code: string) => labels.get(code) ?? code;
  const q = (req.query ?? {}) as Record<string, string>;
  const key = q.created ? NOTICES.created : q.verified ? NOTICES.verified : q.updated === 'verified' ? NOTICES.moved : q.updated ? NOTICES.updated : q.enabled === '1' ? NOTICES.enabled1 : q.enabled === '0' ? NOTICES.enabled0 : undefined;
  const path = integrationsPath(a, `/${encodeURIComponent(i.id)}`);
  const seconds = Math.ceil(s.deps.config.webhookTimeoutMs / 1000);
  return devPage(req, reply, i.name, html`${notice ?? (key ? alert('ok', t(key)) : '')}
<h1>${a.name}: ${i.name}</h1><p><a href="${integrationsPath(a)}">${t('integ.all')}</a></p>
<section class="card integration" id="integration-${i.id}"><dl class="kv">
<dt>${t('account.status')}</dt><dd>${integrationBadge(t, i)}</dd>
<dt>${t('integ.callbackUri')}</dt><dd class="mono">${i.callbackUri}</dd>
<dt>${t('integ.errorCallbackUri')}</dt><dd${i.errorCallbackUri ? html` class="mono"` : ''}>${i.errorCallbackUri ?? t('integ.sameUri')}</dd>
<dt>${t('integ.autoSubscribe')}</dt><dd id="auto-subscribe-state">${i.autoSubscribe ? t('integ.autoOn') : t('integ.autoOff')}</dd>
<dt>${t('hooks.created')}</dt><dd>${formatTime(lang, Date.parse(i.createdAt))}</dd>
<dt>${t('integ.verifiedAt')}</dt><dd>${i.verifiedAt ? formatTime(lang, Date.parse(i.verifiedAt)) : '—'}</dd>
<dt>ID</dt><dd class="mono">${i.id}</dd></dl>
<h2>${t('integ.triggers')}</h2>${i.triggers.length ? html`<ul id="trigger-list">${i.triggers.map((tr) => html`<li>${label(tr.code)} <code>${tr.code}</code>: ${triggerText(t, tr)}</li>`)}</ul>` : html`<p class="muted" id="trigger-list">${t('integ.noTriggers')}</p>`}
<h2>${t('integ.signals')}</h2>${i.signals.length ? html`<ul id="signal-list">${i.signals.map((c) => html`<li>${label(c)} <code>${c}</code></li>`)}</ul>` : html`<p class="muted" id="signal-list">${t('integ.noSignals')}</p>`}
<div class="actions"><a class="button secondary" href="${path}/edit" id="edit-integration">${t('integ.edit')}</a>
<a class="button secondary" href="${path}/subscriptions" id="subscriptions-link">${t('integ.subscriptionsN', { n: subscribed })}</a>
${i.isVerified ? postButton(`${path}/enabled`, i.isEnabled ? t('integ.disable') : t('integ.enable'), csrf, { fields: { enabled: i.isEnabled ? '0' : '1' }, id: i.isEnabled ? 'disable-integration' : 'enable-integration' }) : ''}
${postButton(`${path}/delete`, t('hooks.delete'), csrf, { danger: true, confirm: t('integ.deleteConfirm'), id: 'delete-integration' })}</div>
${i.isVerified ? '' : html`<p class="hint" id="verify-first">${t('integ.verifyFirst')}</p>`}
<form method="post" action="${path}/verify" class="actions" data-busy="${t('hooks.verifying', { s: seconds })}">${csrfInput(csrf)}
<button type="submit" class="secondary" id="verify-integration">${t('hooks.verify')}</button>
<span class="busy-note" data-busy-note hidden><progress aria-label="${t('integ.verifyingLabel')}"></progress> ${t('hooks.verifying', { s: seconds })}</span></form></section>`, { nav: appTabs(req, a, 'integrations'), status });
}
