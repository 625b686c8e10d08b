import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx } from '../http/context.js';
import { alert, maskVin, postButton } from '../views/components.js';
import { formatTime } from '../i18n/index.js';
import { owner, ownerPage } from './guard.js';
import { loadOwnerData } from './data.js';

/** The signed-in owner's page: per vehicle, the apps with access, their permissions, and the access log. */
export function ownerOverview(s: WebServices) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const o = owner(req)!;
    const { t, lang, csrf } = ctx(req);
    await s.deps.metering?.flush();
    const d = await loadOwnerData(s, o);
    const q = (req.query ?? {}) as Record<string, string>;
    return ownerPage(req, reply, t('owner.title'), html`${q.revoked === '1' ? alert('ok', t('owner.revoked')) : ''}<h1>${t('owner.title')}</h1>
<p>${t('owner.explain')}</p>
${d.vehicles.length === 0 ? html`<p class="muted">${t('owner.noVehicles')}</p>` : ''}
${d.vehicles.map((v) => html`<section class="card vehicle" id="vehicle-${v.vehicleId}"><h2>${v.summary ? `${v.summary.make} ${v.summary.model} ${v.summary.year}` : v.vehicleId}</h2>
<p class="muted">VIN <span class="mono">${v.summary ? maskVin(v.summary.vin) : '—'}</span></p>
<h3>${t('owner.appsWithAccess')}</h3>
${v.connections.length === 0 ? html`<p class="muted no-access">${t('owner.noApps')}</p>` : html`<div class="table-wrap"><table class="access"><thead><tr><th scope="col">${t('owner.app')}</th>
<th scope="col">${t('vehicles.permissions')}</th><th scope="col">${t('vehicles.connectedAt')}</th><th scope="col"><span class="sr">${t('vehicles.actions')}</span></th></tr></thead><tbody>
${v.connections.map((c) => {
      const a = d.apps.get(c.appId);
      return html`<tr data-app-id="${c.appId}"><td>${a?.logoUrl ? html`<img class="logo" src="${a.logoUrl}" alt=""> ` : ''}${a?.name ?? c.appId}</td>
<td>${c.permissions.map((p) => html`<code>${p}</code> `)}</td><td>${formatTime(lang, c.connectedAt)}</td>
<td>${postButton('/account/revoke', t('owner.revoke'), csrf, { danger: true, confirm: t('owner.revokeConfirm', { app: a?.name ?? c.appId }), fields: { app_id: c.appId, vehicle_id: c.vehicleId } })}</td></tr>`;
    })}</tbody></table></div>`}
<h3>${t('owner.accessLog')}</h3>
${v.log.length === 0 ? html`<p class="muted">${t('owner.noAccess')}</p>` : html`<div class="table-wrap"><table class="access-log"><thead><tr><th scope="col">${t('logs.time')}</th><th scope="col">${t('owner.app')}</th>
<th scope="col">${t('owner.what')}</th><th scope="col">${t('owner.wokeCar')}</th><th scope="col">${t('logs.status')}</th></tr></thead><tbody>
${v.log.slice(0, 100).map((e) => html`<tr><td>${formatTime(lang, e.at)}</td><td>${e.appName}</td><td><code>${e.endpoint}</code></td>
<td>${e.woke ? html`<span class="badge warn">${t('owner.yes')}</span>` : t('owner.no')}</td><td>${e.status}</td></tr>`)}</tbody></table></div>`}
</section>`)}
<section class="card"><h2>${t('owner.yourData')}</h2><p><a class="button secondary" href="/account/export" id="export-data" download>${t('owner.export')}</a></p>
<h3>${t('owner.delete')}</h3><p>${t('owner.deleteHint')}</p>
${postButton('/account/delete', t('owner.delete'), csrf, { danger: true, confirm: t('owner.deleteConfirm'), id: 'delete-account' })}</section>`);
  };
}
