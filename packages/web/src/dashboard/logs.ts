import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html } from '@opencar/ui';
import { RequestDetailsRepo, RequestLogRepo, WebRepo, type RequestLogQuery, type RequestLogRow } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, str, WebError } from '../http/context.js';
import { copyButton, field, select } from '../views/components.js';
import { copyWords } from '../views/copy.js';
import { formatTime } from '../i18n/index.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { exchangeSection } from './log-exchange.js';

export const PAGE_SIZE = 50;
/** Rows one export may hold. */
export const EXPORT_MAX = 10_000;
const tags = ['Dashboard'];

/** `YYYY-MM-DDTHH:mm` (datetime-local, read as UTC) → epoch ms. */
export function parseLocal(v: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(v)) return undefined;
  const ms = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : `${v}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** `1731-…` cursor of a row: its time and request id. */
const cursorOf = (r: RequestLogRow) => `${r.at}_${r.request_id}`;
function parseCursor(v: string): RequestLogQuery['before'] {
  const m = /^(\d{1,16})_([\w-]{1,100})$/.exec(v);
  return m ? { at: Number(m[1]), requestId: m[2]! } : undefined;
}

interface Filters { from: string; to: string; q: string; vehicle: string; endpoint: string; status: string }

function filtersOf(req: FastifyRequest): { v: Filters; query: RequestLogQuery } {
  const q = (req.query ?? {}) as Record<string, string>;
  const v = { from: str(q, 'from', 20), to: str(q, 'to', 20), q: str(q, 'q', 100).trim(), vehicle: str(q, 'vehicle', 100).trim(), endpoint: str(q, 'endpoint', 200), status: str(q, 'status', 3) };
  return { v, query: { from: parseLocal(v.from), to: parseLocal(v.to), search: v.q || undefined, vehicleId: v.vehicle || undefined, endpoint: v.endpoint || undefined, status: v.status || undefined } };
}

const params = (v: Filters, extra: Record<string, string> = {}) => {
  const p = new URLSearchParams();
  for (const [k, x] of Object.entries({ ...v, ...extra })) if (x) p.set(k, x);
  return p.toString();
};

/** `2026-11-01 08:30:05` (UTC): one line, sortable, the same in every language. */
const stamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

const CSV_COLUMNS = ['request_id', 'time', 'method', 'endpoint', 'status', 'latency_ms', 'billable_units', 'vehicle_id', 'user_id', 'woke', 'request_class'] as const;

function exportRow(r: RequestLogRow) {
  return {
    request_id: r.request_id, time: new Date(r.at).toISOString(), method: r.method, endpoint: r.endpoint, status: r.status, latency_ms: r.latency_ms,
    billable_units: r.units, vehicle_id: r.vehicle_id, user_id: r.user_id, woke: r.woke === 1, request_class: r.request_class,
  };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The request log: one line per request, newest first, 50 a page (keyset paging, so a page never
 * shifts while new requests arrive); filters by time, endpoint and status; search by request id or
 * vehicle id; a detail page per request; CSV and JSON export of the filtered log.
 */
export function logsRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const web = new WebRepo(s.deps.storage.db);
    const log = new RequestLogRepo(s.deps.storage.db);
    const details = new RequestDetailsRepo(s.deps.storage.db);
    const preHandler = requireDeveloper(s);

    app.get('/dashboard/apps/:appId/logs', { schema: { tags, summary: 'Request log of an application' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const { t } = ctx(req);
      const { v, query } = filtersOf(req);
      const before = parseCursor(str((req.query ?? {}) as Record<string, string>, 'before', 140));
      await s.deps.metering?.flush();
      const [rows, endpoints] = await Promise.all([log.page(a.id, { ...query, before }, PAGE_SIZE + 1), web.ledgerEndpoints(a.id)]);
      const shown = rows.slice(0, PAGE_SIZE);
      const more = rows.length > PAGE_SIZE;
      const base = `/dashboard/apps/${a.id}/logs`;
      return devPage(req, reply, t('nav.logs'), html`<h1>${a.name}: ${t('nav.logs')}</h1>
<form method="get" class="card filters" role="search" aria-label="${t('logs.filters')}">
${field({ label: t('logs.search'), name: 'q', value: v.q, hint: t('logs.searchHint') })}
${field({ label: t('logs.from'), name: 'from', type: 'datetime-local', value: v.from })}${field({ label: t('logs.to'), name: 'to', type: 'datetime-local', value: v.to })}
${select({ label: t('logs.endpoint'), name: 'endpoint', value: v.endpoint, options: [{ value: '', label: t('common.all') }, ...endpoints.map((e) => ({ value: e, label: e }))] })}
${select({ label: t('logs.status'), name: 'status', value: v.status, options: [{ value: '', label: t('common.all') }, { value: '2xx', label: '2xx' }, { value: '4xx', label: '4xx' }, { value: '5xx', label: '5xx' }] })}
${v.vehicle ? html`<input type="hidden" name="vehicle" value="${v.vehicle}">` : ''}
<div><button type="submit" id="apply-filters">${t('common.filter')}</button></div></form>
<div class="actions"><p class="muted" id="log-count">${s.deps.config.retentionDays > 0 ? t('logs.page', { n: shown.length, retention: s.deps.config.retentionDays }) : t('logs.pageForever', { n: shown.length })}</p>
<a class="button secondary" id="export-csv" href="${base}/export.csv?${params(v)}">${t('logs.exportCsv')}</a><a class="button secondary" id="export-json" href="${base}/export.json?${params(v)}">${t('logs.exportJson')}</a></div>
${shown.length === 0 ? html`<p class="muted" id="log-empty">${t('common.none')}</p>` : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t('nav.logs')}"><table id="request-log" class="one-line"><thead><tr>
<th scope="col">${t('logs.time')} (UTC)</th><th scope="col">${t('logs.endpoint')}</th><th scope="col">${t('logs.status')}</th><th scope="col">${t('logs.latency')}</th>
<th scope="col">${t('logs.vehicle')}</th><th scope="col">${t('logs.units')}</th><th scope="col">${t('logs.requestId')}</th></tr></thead><tbody>
${shown.map((r) => html`<tr data-request-id="${r.request_id}"><td>${stamp(r.at)}</td><td><code>${r.endpoint}</code></td>
<td><span class="badge ${r.status < 400 ? 'ok' : r.status < 500 ? 'warn' : 'bad'}">${r.status}</span></td><td>${Math.round(r.latency_ms)} ms</td>
<td class="mono" title="${r.vehicle_id ?? ''}">${r.vehicle_id ? r.vehicle_id.slice(0, 8) : '—'}${r.woke ? html` <span class="badge warn">${t('logs.woke')}</span>` : ''}</td><td>${r.units}</td>
<td class="mono"><a href="${base}/${encodeURIComponent(r.request_id)}" title="${r.request_id}">${r.request_id.slice(0, 8)}</a></td></tr>`)}
</tbody></table></div>`}
<nav class="actions" aria-label="${t('logs.paging')}">${before ? html`<a class="button secondary" id="log-newest" href="${base}?${params(v)}">${t('logs.newest')}</a>` : ''}
${more ? html`<a class="button secondary" id="log-older" href="${base}?${params(v, { before: cursorOf(shown[shown.length - 1]!) })}">${t('logs.older')}</a>` : ''}</nav>`, { nav: appTabs(req, a, 'logs') });
    });

    app.get('/dashboard/apps/:appId/logs/export.:format', { schema: { tags, summary: 'Export the filtered request log (CSV or JSON)' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const format = (req.params as { format: string }).format;
      if (format !== 'csv' && format !== 'json') throw new WebError(404, 'error.notFound');
      const { query } = filtersOf(req);
      await s.deps.metering?.flush();
      const rows: RequestLogRow[] = [];
      let before: RequestLogQuery['before'];
      while (rows.length < EXPORT_MAX) {
        const page = await log.page(a.id, { ...query, before }, Math.min(1000, EXPORT_MAX - rows.length));
        rows.push(...page);
        if (page.length < 1000) break;
        before = { at: page[page.length - 1]!.at, requestId: page[page.length - 1]!.request_id };
      }
      const name = `request-log-${a.id}.${format}`;
      reply.header('content-disposition', `attachment; filename="${name}"`);
      if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(rows.map(exportRow), null, 2));
      const lines = [CSV_COLUMNS.join(','), ...rows.map((r) => { const e = exportRow(r); return CSV_COLUMNS.map((c) => csvCell(e[c])).join(','); })];
      return reply.type('text/csv; charset=utf-8').send(lines.join('\r\n') + '\r\n');
    });

    app.get('/dashboard/apps/:appId/logs/:requestId', { schema: { tags, summary: 'One request of the request log' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const { t, lang } = ctx(req);
      await s.deps.metering?.flush();
      const requestId = (req.params as { requestId: string }).requestId.slice(0, 100);
      const r = await log.one(a.id, requestId);
      if (!r) throw new WebError(404, 'error.notFound');
      const detail = await details.one(a.id, requestId, r.at);
      const id = (name: string, value: string | null, label: string) => value
        ? html`<dt>${label}</dt><dd class="copy-row"><code id="${name}">${value}</code> ${copyButton(name, copyWords(t, label))}</dd>` : html`<dt>${label}</dt><dd>—</dd>`;
      return devPage(req, reply, t('logs.detail'), html`<p><a href="/dashboard/apps/${a.id}/logs">${t('logs.back')}</a></p><h1><code>${r.endpoint.startsWith(`${r.method} `) ? r.endpoint : `${r.method} ${r.endpoint}`}</code></h1>
<section class="card" id="request-detail"><dl class="kv">${id('detail-request-id', r.request_id, t('logs.requestId'))}
<dt>${t('logs.time')}</dt><dd>${formatTime(lang, r.at)}</dd>
<dt>${t('logs.status')}</dt><dd><span class="badge ${r.status < 400 ? 'ok' : r.status < 500 ? 'warn' : 'bad'}">${r.status}</span></dd>
<dt>${t('logs.latency')}</dt><dd>${r.latency_ms} ms</dd><dt>${t('logs.units')}</dt><dd>${r.units}</dd>
${id('detail-vehicle-id', r.vehicle_id, t('logs.vehicle'))}${id('detail-user-id', r.user_id, t('logs.user'))}
<dt>${t('logs.class')}</dt><dd>${r.request_class}${r.woke ? html` <span class="badge warn">${t('logs.woke')}</span>` : ''}</dd></dl>
${r.vehicle_id ? html`<p><a href="/dashboard/apps/${a.id}/logs?${params({ from: '', to: '', q: r.vehicle_id, vehicle: '', endpoint: '', status: '' })}">${t('logs.sameVehicle')}</a></p>` : ''}</section>
${exchangeSection(t, detail, s.deps.config.requestLogRetentionDays)}`,
      { nav: appTabs(req, a, 'logs') });
    });
  };
}
