import type { FastifyInstance } from 'fastify';
import { html } from '@opencar/ui';
import { WebRepo } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx } from '../http/context.js';
import { formatNumber } from '../i18n/index.js';
import { barChart, hBarChart } from '../views/charts.js';
import { appTabs, devPage, developer, ownedApp, requireDeveloper } from './guard.js';

const DAY = 86_400_000;

export function monthBounds(now: number): { from: number; to: number; month: string } {
  const d = new Date(now);
  const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return { from, to, month: new Date(from).toISOString().slice(0, 7) };
}

/** Usage against the plan this billing month: charts per day and per endpoint, vehicles, amount due, statements. */
export function usageRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const repo = new WebRepo(s.deps.storage.db);
    app.get('/dashboard/apps/:appId/usage', { schema: { tags: ['Dashboard'], summary: 'Usage, amount due and statements of an application' }, preHandler: requireDeveloper(s) }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const { t, lang } = ctx(req);
      const now = s.deps.clock.now();
      const { from, to, month } = monthBounds(now);
      await s.deps.metering?.flush();
      const [days, endpoints, active, statements, limits, connected] = await Promise.all([
        repo.usageByDay(a.id, from, to), repo.usageByEndpoint(a.id, from, to), repo.activeVehicles(a.id, from, to),
        repo.statements(a.id), s.deps.metering?.limitsFor(a.id), s.deps.grants?.appVehicleIds(a.id),
      ]);
      const byDay = new Map(days.map((d) => [d.day, d.requests]));
      const today = Math.floor(now / DAY) * DAY;
      const bars = [];
      for (let d = from; d <= today && d < to; d += DAY) bars.push({ label: new Date(d).toISOString().slice(8, 10), value: byDay.get(d) ?? 0 });
      const requests = days.reduce((n, d) => n + d.requests, 0);
      const units = days.reduce((n, d) => n + d.units, 0);
      const cents = units * (limits?.pricePerRequestCents ?? 0);
      const money = (c: number) => new Intl.NumberFormat(lang, { style: 'currency', currency: 'USD' }).format(c / 100);
      const planName = developer(req).plan;
      const planLabel = planName === 'payg' ? t('plan.payg') : planName === 'enterprise' ? t('plan.enterprise') : t('plan.free');
      return devPage(req, reply, t('nav.usage'), html`<h1>${a.name}: ${t('nav.usage')}</h1>
<div class="grid"><section class="card"><h2>${t('usage.thisMonth', { month })}</h2><dl class="kv" id="usage-summary">
<dt>${t('usage.requests')}</dt><dd id="usage-requests">${formatNumber(lang, requests)}${limits?.requestsPerMonth ? ` / ${formatNumber(lang, limits.requestsPerMonth)}` : ''}</dd>
<dt>${t('usage.billable')}</dt><dd>${formatNumber(lang, units)}</dd>
<dt>${t('usage.connected')}</dt><dd id="usage-connected">${connected ? formatNumber(lang, connected.length) : '—'}${limits?.vehicles ? ` / ${formatNumber(lang, limits.vehicles)}` : ''}</dd>
<dt>${t('usage.active')}</dt><dd>${formatNumber(lang, active)}</dd>
<dt>${t('usage.amountDue')}</dt><dd id="amount-due">${money(cents)}</dd></dl></section>
<section class="card"><h2>${t('account.plan')}</h2><p><strong id="current-plan">${planLabel}</strong>
${limits ? html` — ${t('usage.price', { price: money(limits.pricePerRequestCents) })}` : ''}</p><p><a href="/dashboard/account#plan-select">${t('account.changePlan')}</a></p></section></div>
<section class="card"><h2>${t('usage.perDay')}</h2>${barChart('chart-daily', t('usage.perDay'), bars)}</section>
<section class="card"><h2>${t('usage.perEndpoint')}</h2>${endpoints.length ? hBarChart('chart-endpoints', t('usage.perEndpoint'), endpoints.map((e) => ({ label: e.endpoint, value: e.requests }))) : html`<p class="muted">${t('common.none')}</p>`}
${endpoints.length ? html`<details><summary>${t('usage.asTable')}</summary><table><thead><tr><th scope="col">${t('logs.endpoint')}</th><th scope="col">${t('usage.requests')}</th><th scope="col">${t('usage.billable')}</th></tr></thead>
<tbody>${endpoints.map((e) => html`<tr><td><code>${e.endpoint}</code></td><td>${e.requests}</td><td>${e.units}</td></tr>`)}</tbody></table></details>` : ''}</section>
<section class="card"><h2>${t('usage.statements')}</h2>${statements.length === 0 ? html`<p class="muted">${t('usage.noStatements')}</p>` : html`<div class="table-wrap"><table id="statements"><thead><tr>
<th scope="col">${t('usage.month')}</th><th scope="col">${t('account.plan')}</th><th scope="col">${t('usage.requests')}</th><th scope="col">${t('usage.billable')}</th><th scope="col">${t('usage.vehicles')}</th><th scope="col">${t('usage.amount')}</th></tr></thead>
<tbody>${statements.map((st) => html`<tr><td>${st.month}</td><td>${st.plan}</td><td>${st.requests}</td><td>${st.billable_units}</td><td>${st.vehicles}</td><td>${money(st.amount_cents)}</td></tr>`)}</tbody></table></div>`}</section>`,
      { nav: appTabs(req, a, 'usage') });
    });
  };
}
