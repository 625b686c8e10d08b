import type { FastifyInstance } from 'fastify';
import { html } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx } from '../http/context.js';
import { formatNumber, formatTime } from '../i18n/index.js';
import { planLabel as labelOf } from './plans.js';
import { alert } from '../views/components.js';
import { hBarChart } from '../views/charts.js';
import { monthBarChart, quotaChart } from '../views/month-charts.js';
import { UsageStatsRepo, type RequestStats } from '@opencar/storage';
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
      const stats = new UsageStatsRepo(s.deps.storage.db);
      const [u, days, byEndpoint, statements, limits, connected, periods, buckets] = await Promise.all([
        usageService.usage(a.id, month), stats.byDay(a.id, month), stats.byEndpoint(a.id, month), usageService.statements(a.id),
        s.deps.metering?.limitsFor(a.id), s.deps.grants?.appVehicleIds(a.id), usageService.periods(a.id, month), s.deps.metering?.bucketStates(a.id),
      ]);
      const bucket = (b: { tokens: number; capacity: number; refillPerMinute: number; resetSeconds: number }) => t('usage.bucketState', { tokens: formatNumber(lang, Math.floor(b.tokens)), capacity: formatNumber(lang, b.capacity), refill: formatNumber(lang, b.refillPerMinute), reset: formatNumber(lang, b.resetSeconds) });
      const byDay = new Map(days.map((d) => [d.day, d]));
      const today = Math.floor(now / DAY) * DAY;
      // Every day of the month on the axis; days to come stay empty.
      const monthDays: { day: number; label: string; st: RequestStats | undefined }[] = [];
      for (let d = from; d < to; d += DAY) monthDays.push({ day: d, label: new Date(d).toISOString().slice(8, 10), st: byDay.get(d) });
      const past = monthDays.filter((d) => d.day <= today);
      let running = 0;
      const cumulative = past.map((d) => (running += d.st?.units ?? 0));
      const quota = u.limits.requestsPerMonth;
      const endpoints = [...u.byEndpoint].sort((x, y) => y.billableRequests - x.billableRequests || y.requests - x.requests || x.endpoint.localeCompare(y.endpoint));
      const endpointStats = [...byEndpoint].sort((x, y) => y.requests - x.requests || x.endpoint.localeCompare(y.endpoint));
      const pct = (st: RequestStats) => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(st.requests ? st.errors / st.requests : 0);
      const ms = (v: number) => `${formatNumber(lang, v, v < 10 ? 2 : v < 100 ? 1 : 0)} ms`;
      const statCells = (st: RequestStats | undefined) => st
        ? html`<td>${formatNumber(lang, st.requests)}</td><td>${formatNumber(lang, st.billableRequests)}</td><td>${formatNumber(lang, st.requests - st.billableRequests)}</td><td>${formatNumber(lang, st.errors)}</td><td>${pct(st)}</td><td>${ms(st.p50)}</td><td>${ms(st.p99)}</td>`
        : html`<td>0</td><td>0</td><td>0</td><td>0</td><td>—</td><td>—</td><td>—</td>`;
      const statHead = html`<th scope="col">${t('usage.requests')}</th><th scope="col">${t('usage.billable')}</th><th scope="col">${t('usage.nonBillable')}</th><th scope="col">${t('usage.errors')}</th><th scope="col">${t('usage.errorRate')}</th><th scope="col">p50</th><th scope="col">p99</th>`;
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
<section class="card"><h2>${t('usage.perDay')}</h2>${monthBarChart('chart-daily', t('usage.perDay'), monthDays.map((d) => ({ label: d.label, billable: d.st?.billableRequests ?? 0, nonBillable: (d.st?.requests ?? 0) - (d.st?.billableRequests ?? 0) })), { billable: t('usage.billable'), nonBillable: t('usage.nonBillable') })}</section>
<section class="card"><h2>${t('usage.quotaChart')}</h2>${quotaChart('chart-quota', t('usage.quotaChart'), monthDays.map((d) => d.label), cumulative, quota, { used: t('usage.units'), quota: quota ? t('usage.quotaLine', { n: formatNumber(lang, quota) }) : '' })}
<p class="muted" id="quota-note">${quota ? t('usage.quotaNote', { used: formatNumber(lang, running), quota: formatNumber(lang, quota) }) : t('usage.noQuota')}</p></section>
<section class="card"><h2 id="daily-stats-title">${t('usage.dailyStats')}</h2><p class="hint">${t('usage.latencyHint')}</p><div class="table-wrap" tabindex="0" role="region" aria-labelledby="daily-stats-title"><table id="daily-stats"><thead><tr><th scope="col">${t('usage.day')}</th>${statHead}</tr></thead>
<tbody>${past.map((d) => html`<tr data-day="${d.label}"><th scope="row">${new Date(d.day).toISOString().slice(0, 10)}</th>${statCells(d.st)}</tr>`)}</tbody></table></div></section>
<section class="card"><h2>${t('usage.perEndpoint')}</h2>${endpoints.length ? hBarChart('chart-endpoints', t('usage.perEndpoint'), endpoints.map((e) => ({ label: e.endpoint, value: e.billableRequests }))) : html`<p class="muted">${t('common.none')}</p>`}
${endpointStats.length ? html`<h3 id="endpoint-stats-title">${t('usage.endpointStats')}</h3><div class="table-wrap" tabindex="0" role="region" aria-labelledby="endpoint-stats-title"><table id="endpoint-stats"><thead><tr><th scope="col">${t('logs.endpoint')}</th>${statHead}</tr></thead>
<tbody>${endpointStats.map((e) => html`<tr data-endpoint="${e.endpoint}"><th scope="row"><code>${e.endpoint}</code></th>${statCells(e)}</tr>`)}</tbody></table></div>` : ''}</section>
<section class="card"><h2>${t('usage.statements')}</h2>${statements.length === 0 ? html`<p class="muted">${t('usage.noStatements')}</p>` : html`<div class="table-wrap"><table id="statements"><thead><tr>
<th scope="col">${t('usage.month')}</th><th scope="col">${t('account.plan')}</th><th scope="col">${t('usage.requests')}</th><th scope="col">${t('usage.billable')}</th><th scope="col">${t('usage.vehicles')}</th><th scope="col">${t('usage.amount')}</th></tr></thead>
<tbody>${statements.slice(0, 24).map((st) => html`<tr data-month="${st.month}"><td>${st.month}</td><td>${st.plan}</td><td>${st.requests}</td><td>${st.billableRequests}</td><td>${st.vehicles}</td><td>${money(st.amountDueCents)}</td></tr>`)}</tbody></table></div>`}</section>`,
      { nav: appTabs(req, a, 'usage') });
    });
  };
}
