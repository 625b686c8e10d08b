import type { FastifyInstance } from 'fastify';
import { html } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect, str, WebError } from '../http/context.js';
import { alert, maskVin, postButton } from '../views/components.js';
import { formatTime } from '../i18n/index.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { modeLabel } from './defaults.js';
import { makeName } from '../services/makes.js';

const tags = ['Dashboard'];

/** Connected vehicles of an app (make, model, year, masked VIN, mode, permissions, connected at), each linking to its page, and disconnect. */
export function vehiclesRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);

    app.get('/dashboard/apps/:appId/vehicles', { schema: { tags, summary: 'Connected vehicles of an application' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const { t, lang, csrf } = ctx(req);
      const grants = s.deps.grants;
      if (!grants) return devPage(req, reply, t('nav.vehicles'), alert('info', t('common.notAvailable')), { nav: appTabs(req, a, 'vehicles') });
      const { connections } = await grants.listConnections(a.id, {}, { limit: 100 });
      const rows = await Promise.all(connections.map(async (c) => ({ c, v: await s.deps.backend?.vehicle(c.vehicleId) })));
      const disconnected = (req.query as Record<string, string>).disconnected === '1';
      return devPage(req, reply, t('nav.vehicles'), html`${disconnected ? alert('ok', t('vehicles.disconnected')) : ''}<h1>${a.name}: ${t('nav.vehicles')}</h1>
<p>${t('vehicles.count', { n: connections.length })}</p>
${connections.length === 0 ? html`<p class="muted">${t('vehicles.none')}</p>` : html`<div class="table-wrap"><table id="vehicles-table"><thead><tr>
<th scope="col">${t('vehicles.vehicle')}</th><th scope="col">VIN</th><th scope="col">${t('app.mode')}</th><th scope="col">${t('vehicles.permissions')}</th>
<th scope="col">${t('vehicles.connectedAt')}</th><th scope="col"><span class="sr">${t('vehicles.actions')}</span></th></tr></thead><tbody>
${rows.map(({ c, v }) => html`<tr data-vehicle-id="${c.vehicleId}"><td><a class="vehicle-link" href="/dashboard/apps/${a.id}/vehicles/${encodeURIComponent(c.vehicleId)}">${v ? `${makeName(s.deps.backend, v.make)} ${v.model} ${v.year}` : c.vehicleId}</a><br><small class="muted mono">${c.vehicleId}</small></td>
<td class="mono">${v ? maskVin(v.vin) : '—'}</td><td>${modeLabel(t, c.mode)}</td><td>${c.permissions.map((p) => html`<code>${p}</code> `)}</td>
<td>${formatTime(lang, c.connectedAt)}</td>
<td>${postButton(`/dashboard/apps/${a.id}/vehicles/disconnect`, t('vehicles.disconnect'), csrf, { danger: true, confirm: t('vehicles.disconnectConfirm'), fields: { vehicle_id: c.vehicleId, user_id: c.userId } })}</td></tr>`)}
</tbody></table></div>`}`, { nav: appTabs(req, a, 'vehicles') });
    });

    app.post('/dashboard/apps/:appId/vehicles/disconnect', { schema: { tags, summary: 'Disconnect a vehicle from an application' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const f = formOf(req);
      const vehicleId = str(f, 'vehicle_id', 200);
      const userId = str(f, 'user_id', 200);
      if (!s.deps.grants || !vehicleId) throw new WebError(400, 'error.badRequest');
      await s.deps.grants.deleteConnections(a.id, { vehicleId, ...(userId ? { userId } : {}) });
      return redirect(reply, `/dashboard/apps/${a.id}/vehicles?disconnected=1`);
    });
  };
}
