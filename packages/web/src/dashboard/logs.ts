import type { FastifyInstance } from 'fastify';
import { html } from '@opencar/ui';
import { WebRepo, type LedgerFilter } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, str } from '../http/context.js';
import { field, select } from '../views/components.js';
import { formatTime } from '../i18n/index.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';

const LIMIT = 200;

/** `YYYY-MM-DDTHH:mm` (datetime-local, read as UTC) → epoch ms. */
export function parseLocal(v: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(v)) return undefined;
  const ms = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : `${v}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The request log: filter by time, vehicle, endpoint and status; request id and latency per row. */
export function logsRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const repo = new WebRepo(s.deps.storage.db);
    app.get('/dashboard/apps/:appId/logs', { schema: { tags: ['Dashboard'], summary: 'Request log of an application' }, preHandler: requireDeveloper(s) }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const { t, lang } = ctx(req);
      const q = (req.query ?? {}) as Record<string, string>;
      const v = { from: str(q, 'from', 20), to: str(q, 'to', 20), vehicle: str(q, 'vehicle', 100), endpoint: str(q, 'endpoint', 200), status: str(q, 'status', 3) };
      const filter: LedgerFilter = { from: parseLocal(v.from), to: parseLocal(v.to), vehicleId: v.vehicle || undefined, endpoint: v.endpoint || undefined, status: v.status || undefined };
      await s.deps.metering?.flush();
      const [rows, endpoints] = await Promise.all([repo.requestLog(a.id, filter, LIMIT), repo.ledgerEndpoints(a.id)]);
      return devPage(req, reply, t('nav.logs'), html`<h1>${a.name}: ${t('nav.logs')}</h1>
<form method="get" class="card filters" role="search" aria-label="${t('logs.filters')}">
${field({ label: t('logs.from'), name: 'from', type: 'datetime-local', value: v.from })}${field({ label: t('logs.to'), name: 'to', type: 'datetime-local', value: v.to })}
${field({ label: t('logs.vehicle'), name: 'vehicle', value: v.vehicle })}
${select({ label: t('logs.endpoint'), name: 'endpoint', value: v.endpoint, options: [{ value: '', label: t('common.all') }, ...endpoints.map((e) => ({ value: e, label: e }))] })}
${select({ label: t('logs.status'), name: 'status', value: v.status, options: [{ value: '', label: t('common.all') }, { value: '2xx', label: '2xx' }, { value: '4xx', label: '4xx' }, { value: '5xx', label: '5xx' }] })}
<div><button type="submit" id="apply-filters">${t('common.filter')}</button></div></form>
<p class="muted">${t('logs.shown', { n: rows.length, max: LIMIT })}</p>
${rows.length === 0 ? html`<p class="muted" id="log-empty">${t('common.none')}</p>` : html`<div class="table-wrap"><table id="request-log"><thead><tr>
<th scope="col">${t('logs.time')}</th><th scope="col">${t('logs.endpoint')}</th><th scope="col">${t('logs.status')}</th><th scope="col">${t('logs.latency')}</th>
<th scope="col">${t('logs.vehicle')}</th><th scope="col">${t('logs.units')}</th><th scope="col">${t('logs.requestId')}</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${formatTime(lang, r.at)}</td><td><code>${r.endpoint}</code></td>
<td><span class="badge ${r.status < 400 ? 'ok' : r.status < 500 ? 'warn' : 'bad'}">${r.status}</span></td><td>${r.latency_ms} ms</td>
<td class="mono">${r.vehicle_id ?? '—'}${r.woke ? html` <span class="badge warn">${t('logs.woke')}</span>` : ''}</td><td>${r.units}</td><td class="mono">${r.request_id}</td></tr>`)}
</tbody></table></div>`}`, { nav: appTabs(req, a, 'logs') });
    });
  };
}
