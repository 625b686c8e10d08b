import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { describePermission } from '@opencar/oauth';
import type { WebServices } from '../services.js';
import { ctx } from '../http/context.js';
import { alert, maskVin, postButton } from '../views/components.js';
import { formatNumber, formatTime } from '../i18n/index.js';
import { owner, ownerPage } from './guard.js';
import { loadOwnerData, type AccessEntry, type OwnerData } from './data.js';
import { accessSentence } from './access-words.js';

/** Access-log entries per page. */
export const LOG_PAGE = 20;

/**
 * The signed-in owner's page: per vehicle, a card per app with access (what it may do in Connect's
 * words, a summary of what it did, Revoke always at hand), and the access log in words, paged.
 */
export function ownerOverview(s: WebServices) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const o = owner(req)!;
    const { t } = ctx(req);
    await s.deps.metering?.flush();
    const d = await loadOwnerData(s, o);
    const q = (req.query ?? {}) as Record<string, string>;
    const pageOf = (vehicleId: string) => (q.vehicle === vehicleId && /^\d{1,6}$/.test(q.page ?? '') ? Math.max(1, Number(q.page)) : 1);
    return ownerPage(req, reply, t('owner.title'), html`${q.revoked === '1' ? alert('ok', t('owner.revoked')) : ''}<h1>${t('owner.title')}</h1>
<p>${t('owner.explain')}</p>
${d.vehicles.length === 0 ? html`<p class="muted">${t('owner.noVehicles')}</p>` : ''}
${d.vehicles.map((v) => vehicleSection(req, d, v, pageOf(v.vehicleId)))}
${yourData(req)}`);
  };
}

type Vehicle = OwnerData['vehicles'][number];

function vehicleSection(req: FastifyRequest, d: OwnerData, v: Vehicle, page: number): SafeHtml {
  const { t } = ctx(req);
  return html`<section class="card vehicle" id="vehicle-${v.vehicleId}"><h2>${v.summary ? `${v.summary.make} ${v.summary.model} ${v.summary.year}` : v.vehicleId}</h2>
<p class="muted">VIN <span class="mono">${v.summary ? maskVin(v.summary.vin) : '—'}</span></p>
<h3>${t('owner.appsWithAccess')}</h3>
${v.connections.length === 0 ? html`<p class="muted no-access">${t('owner.noApps')}</p>` : html`<div class="app-cards">${v.connections.map((c) => appCard(req, d, v, c))}</div>`}
<h3>${t('owner.accessLog')}</h3>${accessLog(req, v, page)}</section>`;
}

function appCard(req: FastifyRequest, d: OwnerData, v: Vehicle, c: Vehicle['connections'][number]): SafeHtml {
  const { t, lang, csrf } = ctx(req);
  const a = d.apps.get(c.appId);
  const name = a?.name ?? c.appId;
  const mine = v.log.filter((e) => e.appId === c.appId);
  const summary = mine.length === 0 ? t('owner.summaryNone')
    : t('owner.summary', { requests: formatNumber(lang, mine.length), woke: formatNumber(lang, mine.filter((e) => e.woke).length), last: formatTime(lang, mine[0]!.at) });
  return html`<article class="app-card" data-app-id="${c.appId}"><div class="app-head"><h4>${a?.logoUrl ? html`<img class="logo" src="${a.logoUrl}" alt=""> ` : ''}${name}</h4>
${postButton('/account/revoke', t('owner.revoke'), csrf, { danger: true, confirm: t('owner.revokeConfirm', { app: name }), fields: { app_id: c.appId, vehicle_id: c.vehicleId } })}</div>
<p class="muted">${t('owner.connectedSince', { at: formatTime(lang, c.connectedAt) })}</p>
<p class="app-summary">${summary}</p>
<p><strong>${t('owner.canDo')}</strong></p><ul class="perms">${c.permissions.map((p) => html`<li data-permission="${p}">${describePermission(lang, p)}</li>`)}</ul></article>`;
}

function accessLog(req: FastifyRequest, v: Vehicle, page: number): SafeHtml {
  const { t, lang } = ctx(req);
  if (v.log.length === 0) return html`<p class="muted">${t('owner.noAccess')}</p>`;
  const pages = Math.max(1, Math.ceil(v.log.length / LOG_PAGE));
  const p = Math.min(page, pages);
  const shown = v.log.slice((p - 1) * LOG_PAGE, p * LOG_PAGE);
  const link = (n: number, label: string, rel: string) => html`<a class="button secondary" rel="${rel}" href="/account?vehicle=${v.vehicleId}&amp;page=${n}#vehicle-${v.vehicleId}">${label}</a>`;
  const entry = (e: AccessEntry) => html`<li data-endpoint="${e.endpoint}"><time datetime="${new Date(e.at).toISOString()}">${formatTime(lang, e.at)}</time>
<span class="what">${accessSentence(t, e.appName, e.endpoint)}${e.woke ? html` · <span class="badge warn">${t('owner.woke')}</span>` : ''}${e.status >= 400 ? html` · <span class="badge bad">${t('owner.failed', { status: e.status })}</span>` : ''}</span></li>`;
  return html`<ol class="access-log">${shown.map(entry)}</ol>
<nav class="actions" aria-label="${t('owner.logPaging')}"><span>${t('owner.page', { from: formatNumber(lang, (p - 1) * LOG_PAGE + 1), to: formatNumber(lang, (p - 1) * LOG_PAGE + shown.length), total: formatNumber(lang, v.log.length) })}</span>
${p > 1 ? link(p - 1, t('owner.newer'), 'prev') : ''}${p < pages ? link(p + 1, t('owner.older'), 'next') : ''}</nav>`;
}

function yourData(req: FastifyRequest): SafeHtml {
  const { t, csrf } = ctx(req);
  return html`<section class="card"><h2>${t('owner.yourData')}</h2><p><a class="button secondary" href="/account/export" id="export-data" download>${t('owner.export')}</a></p>
<h3>${t('owner.delete')}</h3><p>${t('owner.deleteHint')}</p>
${postButton('/account/delete', t('owner.delete'), csrf, { danger: true, confirm: t('owner.deleteConfirm'), id: 'delete-account' })}</section>`;
}
