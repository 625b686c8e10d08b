import type { FastifyInstance } from 'fastify';
import { html } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx } from '../http/context.js';
import { formatNumber, formatTime } from '../i18n/index.js';
import { planLabel as labelOf } from './plans.js';
import { alert } from '../views/components.js';
import { barChart, hBarChart } from '../views/charts.js';
import { appTabs, devPage, developer, ownedApp, requireDeveloper } from './guard.js';

const DAY = 86_400_000;

export function monthBounds(now: number): { from: number; to: number; month: string } {
  const d = new Date(now);
  const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return { from, to, month: new Date(from).toISOString().slice(0, 7) };
}

/**
 * Usage against the plan this billing month, as the platform's UsageService computes it (the same
 * figures the month's statement will carry): billable requests against the quota, active vehicles,
 * amount due, charts of billable requests per day and per endpoint, and the closed months' statements.
 */
export function usageRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/dashboard/apps/:appId/usage', { schema: { tags: ['Dashboard'], summary: 'Usage, amount due and statements of an application' }, preHandler: requireDeveloper(s) }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const { t, lang } = ctx(req);
      const usageService = s.deps.usage;
      if (!usageService) return devPage(req, reply, t('nav.usage'), alert('info', t('common.notAvailable')), { nav: appTabs(req, a, 'usage') });
      const now = s.deps.clock.now();
      const { from, to, month } = monthBounds(now);
      await s.deps.metering?.flush();
      const [u, days, statements, limits, connected, periods, buckets] = await Promise.all([
        usageService.usage(a.id, month), usageService.usageByDay(a.id, month), usageService.statements(a.id),
        s.deps.metering?.limitsFor(a.id), s.deps.grants?.appVehicleIds(a.id), usageService.periods(a.id, month), s.deps.metering?.bucketStates(a.id),
      ]);
      const bucket = (b: { tokens: number; capacity: number; refillPerMinute: number; resetSeconds: number }) => t('usage.bucketState', { tokens: formatNumber(lang, Math.floor(b.tokens)), capacity: formatNumber(lang, b.capacity), refill: formatNumber(lang, b.refillPerMinute), reset: formatNumber(lang, b.resetSeconds) });
      const byDay = new Map(days.map((d) => [d.day, d.billableRequests]));
      const today = Math.floor(now / DAY) * DAY;
      const bars = [];
      for (let d = from; d <= today && d < to; d += DAY) bars.push({ label: new Date(d).toISOString().slice(8, 10), value: byDay.get(d) ?? 0 });
      const endpoints = [...u.byEndpoint].sort((x, y) => y.billableRequests - x.billableRequests || y.requests - x.requests || x.endpoint.localeCompare(y.endpoint));
      const money = (c: number) => new Intl.NumberFormat(lang, { style: 'currency', currency: 'USD' }).format(c / 100);
      const of = (n: number | null) => (n ? ` / ${formatNumber(lang, n)}` : '');
      const planName = developer(req).plan;
      const planLabel = planName === 'payg' ? t('plan.payg') : planName === 'enterprise' ? t('plan.enterprise') : t('plan.free');
      return devPage(req, reply, t('nav.usage'), html`<h1>${a.name}: ${t('nav.usage')}</h1>
<div class="grid"><section class="card"><h2>${t('usage.thisMonth', { month })}</h2><dl class="kv" id="usage-summary">
<dt>${t('usage.billable')}</dt><dd id="usage-billable">${formatNumber(lang, u.billableRequests)}${of(u.limits.requestsPerMonth)}</dd>
<dt>${t('usage.requests')}</dt><dd id="usage-requests">${formatNumber(lang, u.requests)}</dd>
<dt>${t('usage.connected')}</dt><dd id="usage-connected">${connected ? formatNumber(lang, connected.length) : '—'}${of(u.limits.vehicles)}</dd>
<dt>${t('usage.active')}</dt><dd id="usage-active">${formatNumber(lang, u.vehicles)}</dd>
<dt>${t('usage.amountDue')}</dt><dd id="amount-due">${money(u.amountDueCents)}</dd></dl></section>
<section class="card"><h2>${t('account.plan')}</h2><p><strong id="current-plan">${planLabel}</strong>
${limits ? html` — ${t('usage.price', { price: money(limits.pricePerRequestCents) })}` : ''}</p><p><a href="/dashboard/plans" id="see-plans">${t('plans.seePlans')}</a></p></section></div>
${periods.length > 1 ? html`<section class="card"><h2>${t('plans.periods')}</h2><ol id="plan-periods">${periods.map((p) => html`<li data-plan="${p.plan}"><strong>${labelOf(t, p.plan)}</strong>
${t('usage.period', { from: formatTime(lang, p.from), billable: formatNumber(lang, p.billableRequests), price: money(p.pricePerRequestCents), amount: money(p.amountDueCents) })}</li>`)}</ol></section>` : ''}
${buckets ? html`<section class="card" id="buckets"><h2>${t('usage.buckets')}</h2><dl class="kv"><dt>${t('usage.bucketLive')}</dt><dd id="bucket-live">${bucket(buckets.live)}</dd>
<dt>${t('usage.bucketSimulated')}</dt><dd id="bucket-simulated">${bucket(buckets.simulated)}</dd></dl><p class="hint">${t('usage.bucketHint')}</p></section>` : ''}
<section class="card"><h2>${t('usage.perDay')}</h2>${barChart('chart-daily', t('usage.perDay'), bars)}</section>
<section class="card"><h2>${t('usage.perEndpoint')}</h2>${endpoints.length ? hBarChart('chart-endpoints', t('usage.perEndpoint'), endpoints.map((e) => ({ label: e.endpoint, value: e.billableRequests }))) : html`<p class="muted">${t('common.none')}</p>`}
${endpoints.length ? html`<details><summary>${t('usage.asTable')}</summary><table><thead><tr><th scope="col">${t('logs.endpoint')}</th><th scope="col">${t('usage.requests')}</th><th scope="col">${t('usage.billable')}</th></tr></thead>
<tbody>${endpoints.map((e) => html`<tr><td><code>${e.endpoint}</code></td><td>${e.requests}</td><td>${e.billableRequests}</td></tr>`)}</tbody></table></details>` : ''}</section>
<section class="card"><h2>${t('usage.statements')}</h2>${statements.length === 0 ? html`<p class="muted">${t('usage.noStatements')}</p>` : html`<div class="table-wrap"><table id="statements"><thead><tr>
<th scope="col">${t('usage.month')}</th><th scope="col">${t('account.plan')}</th><th scope="col">${t('usage.requests')}</th><th scope="col">${t('usage.billable')}</th><th scope="col">${t('usage.vehicles')}</th><th scope="col">${t('usage.amount')}</th></tr></thead>
<tbody>${statements.slice(0, 24).map((st) => html`<tr data-month="${st.month}"><td>${st.month}</td><td>${st.plan}</td><td>${st.requests}</td><td>${st.billableRequests}</td><td>${st.vehicles}</td><td>${money(st.amountDueCents)}</td></tr>`)}</tbody></table></div>`}</section>`,
      { nav: appTabs(req, a, 'usage') });
    });
  };
}
