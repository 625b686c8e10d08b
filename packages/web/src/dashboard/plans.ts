import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { PLANS, changePlan, isPlanName, resolvePlan, type Feature, type PlanLimits, type PlanName } from '@opencar/metering';
import { PlanHistoryRepo } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect, str } from '../http/context.js';
import { alert, csrfInput } from '../views/components.js';
import { formatNumber, formatTime, type Translate } from '../i18n/index.js';
import { developer, devPage, requireDeveloper } from './guard.js';

const tags = ['Dashboard'];
/** Plans a developer may switch between themselves; Enterprise is set by the operator. */
export const SELF_SERVICE_PLANS: readonly PlanName[] = ['free', 'payg'];
const ORDER: readonly PlanName[] = ['free', 'payg', 'enterprise'];
const FEATURES: readonly Feature[] = ['event_webhooks', 'batch', 'compatibility', 'single_select'];
/** Where every refusal for a plan's feature or limit points. */
export const PLANS_PATH = '/dashboard/plans';

export const planLabel = (t: Translate, plan: string) => t(`plan.${isPlanName(plan) ? plan : 'free'}`);

/** The plan page: a card per plan (limits, features, price), switching with a confirmation step, and the plan history. */
export function plansRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);

    app.get(PLANS_PATH, { schema: { tags, summary: 'Plans: limits, features and prices; the plan history' }, preHandler }, async (req, reply) => page(s, req, reply));

    app.post(PLANS_PATH, { schema: { tags, summary: 'Change the plan (after a confirmation step)' }, preHandler, config: { role: 'owner' } }, async (req, reply) => {
      const { t, csrf, lang } = ctx(req);
      const f = formOf(req);
      const plan = str(f, 'plan', 20);
      const dev = developer(req);
      if (!isPlanName(plan) || !SELF_SERVICE_PLANS.includes(plan) || !SELF_SERVICE_PLANS.includes(dev.plan as PlanName)) return page(s, req, reply, t('account.badPlan'), 400);
      if (plan === dev.plan) return redirect(reply, PLANS_PATH);
      if (str(f, 'confirm', 10) !== 'yes') {
        const to = PLANS[plan];
        return devPage(req, reply, t('plans.confirmTitle'), html`<h1>${t('plans.confirmTitle')}</h1>
<section class="card" id="plan-confirm"><p>${t('plans.confirmText', { from: planLabel(t, dev.plan), to: planLabel(t, plan), at: formatTime(lang, s.deps.clock.now()) })}</p>
<ul>${limitItems(t, lang, to)}</ul><p>${t('plans.confirmBilling', { from: planLabel(t, dev.plan) })}</p>
<form method="post" action="${PLANS_PATH}" class="actions">${csrfInput(csrf)}<input type="hidden" name="plan" value="${plan}"><input type="hidden" name="confirm" value="yes">
<button type="submit" id="confirm-plan">${t('plans.confirm', { plan: planLabel(t, plan) })}</button><a class="button secondary" href="${PLANS_PATH}" id="cancel-plan">${t('plans.cancel')}</a></form></section>`);
      }
      await changePlan(s.deps.storage, s.deps.clock, dev.id, plan, { source: 'developer' });
      s.deps.metering?.invalidatePlans();
      return redirect(reply, `${PLANS_PATH}?changed=1`);
    });
  };
}

function limitItems(t: Translate, lang: Parameters<typeof formatNumber>[0], p: PlanLimits): SafeHtml {
  const n = (v: number | null) => (v === null ? t('plans.unlimited') : formatNumber(lang, v));
  const money = new Intl.NumberFormat(lang, { style: 'currency', currency: 'USD' }).format(p.pricePerRequestCents / 100);
  return html`<li>${t('plans.price')}: <strong>${p.pricePerRequestCents === 0 ? t('plans.noCharge') : t('usage.price', { price: money })}</strong></li>
<li>${t('plans.requests')}: ${n(p.requestsPerMonth)}</li><li>${t('plans.vehicles')}: ${n(p.vehicles)}</li>
<li>${t('plans.rate', { capacity: formatNumber(lang, p.appBucket.capacity), refill: formatNumber(lang, p.appBucket.refillPerMinute) })}</li>
<li>${p.vehicleBucket ? t('plans.vehicleRate', { capacity: formatNumber(lang, p.vehicleBucket.capacity), refill: formatNumber(lang, p.vehicleBucket.refillPerMinute) }) : t('plans.noVehicleRate')}</li>`;
}

async function page(s: WebServices, req: FastifyRequest, reply: FastifyReply, error?: string, status = 200) {
  const { t, lang, csrf } = ctx(req);
  const dev = developer(req);
  const changed = (req.query as Record<string, string>).changed === '1';
  const history = await new PlanHistoryRepo(s.deps.storage.db).history(dev.id);
  const limitsNow = resolvePlan(dev.plan, dev.plan_limits);
  const card = (plan: PlanName) => {
    const current = dev.plan === plan;
    const p = current ? limitsNow : PLANS[plan];
    const action = current ? html`<p><span class="badge ok">${t('plans.current')}</span></p>`
      : SELF_SERVICE_PLANS.includes(plan) && SELF_SERVICE_PLANS.includes(dev.plan as PlanName)
        ? html`<form method="post" action="${PLANS_PATH}">${csrfInput(csrf)}<input type="hidden" name="plan" value="${plan}"><button type="submit" id="choose-${plan}">${t('plans.choose', { plan: planLabel(t, plan) })}</button></form>`
        : html`<p class="muted">${t('plans.byOperator')}</p>`;
    return html`<section class="card plan-card${current ? ' current' : ''}" id="plan-${plan}" aria-labelledby="plan-${plan}-title"><h2 id="plan-${plan}-title">${planLabel(t, plan)}</h2>
<p>${t(`plans.${plan}Hint`)}</p><ul>${limitItems(t, lang, p)}</ul>
<h3>${t('plans.features')}</h3><ul class="features">${FEATURES.map((f) => html`<li data-feature="${f}" data-included="${p.features.has(f) ? 'yes' : 'no'}"><span class="badge ${p.features.has(f) ? 'ok' : ''}">${p.features.has(f) ? t('plans.included') : t('plans.notIncluded')}</span> ${t(`feature.${f}`)}</li>`)}</ul>
${action}</section>`;
  };
  return devPage(req, reply, t('plans.title'), html`${error ? alert('error', error) : ''}${changed ? alert('ok', t('plans.changed', { plan: planLabel(t, dev.plan) })) : ''}
<h1>${t('plans.title')}</h1><p>${t('plans.intro')}</p><div class="grid plans">${ORDER.map(card)}</div>
<section class="card"><h2>${t('plans.history')}</h2>${history.length === 0 ? html`<p id="plan-history-empty">${t('plans.noHistory', { plan: planLabel(t, dev.plan) })}</p>`
    : html`<div class="table-wrap"><table id="plan-history"><thead><tr><th scope="col">${t('plans.since')}</th><th scope="col">${t('account.plan')}</th><th scope="col">${t('plans.by')}</th></tr></thead>
<tbody>${[...history].reverse().map((h) => html`<tr><td>${formatTime(lang, h.starts_at)}</td><td>${planLabel(t, h.plan)}</td><td>${t(`plans.source.${h.source === 'operator' ? 'operator' : h.source === 'signup' ? 'signup' : 'developer'}`)}</td></tr>`)}</tbody></table></div>`}</section>`, { status });
}
