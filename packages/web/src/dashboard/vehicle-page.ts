import type { FastifyInstance } from 'fastify';
import { html } from '@opencar/ui';
import { ChargeObservationsRepo } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, WebError } from '../http/context.js';
import { alert, maskVin } from '../views/components.js';
import { chargeCurve } from '../views/charge-curve.js';
import { formatNumber, formatTime } from '../i18n/index.js';
import { observedSessions } from '../services/charge-sessions.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { modeLabel } from './defaults.js';
import { makeName } from '../services/makes.js';

const tags = ['Dashboard'];
/** Sessions shown, newest first. */
const SHOWN = 5;

/**
 * One connected vehicle of an app: what it is, and the charge curve of each charging session the
 * platform observed (state of charge and power each time its connector read the vehicle).
 */
export function vehiclePageRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);
    const charges = new ChargeObservationsRepo(s.deps.storage.db);

    app.get('/dashboard/apps/:appId/vehicles/:vehicleId', { schema: { tags, summary: 'One connected vehicle of an application, with its observed charge curves' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const { t, lang } = ctx(req);
      const vehicleId = (req.params as { vehicleId: string }).vehicleId;
      if (!s.deps.grants) return devPage(req, reply, t('nav.vehicles'), alert('info', t('common.notAvailable')), { nav: appTabs(req, a, 'vehicles') });
      const [c] = (await s.deps.grants.listConnections(a.id, { vehicleId }, { limit: 1 })).connections;
      if (!c) throw new WebError(404, 'error.vehicleNotFound');
      const v = await s.deps.backend?.vehicle(vehicleId);
      const name = v ? `${makeName(s.deps.backend, v.make)} ${v.model} ${v.year}` : vehicleId;
      const sessions = observedSessions(await charges.ofVehicle(vehicleId)).slice(-SHOWN).reverse();
      const time = (ms: number) => formatTime(lang, ms).replace(' UTC', '');
      const pct = (x: number) => formatNumber(lang, x * 100);
      return devPage(req, reply, name, html`<p><a href="/dashboard/apps/${a.id}/vehicles">${t('vehicles.backToList')}</a></p>
<h1>${name}</h1>
<dl class="kv" id="vehicle-facts"><dt>VIN</dt><dd class="mono">${v ? maskVin(v.vin) : '—'}</dd><dt>${t('app.mode')}</dt><dd>${modeLabel(t, c.mode)}</dd>
<dt>${t('vehicles.connectedAt')}</dt><dd>${formatTime(lang, c.connectedAt)}</dd><dt>${t('vehicles.permissions')}</dt><dd>${c.permissions.map((p) => html`<code>${p}</code> `)}</dd></dl>
<section class="card" id="charge-curves" aria-labelledby="charge-curves-h"><h2 id="charge-curves-h">${t('sim.curves')}</h2><p class="muted">${t('vehicles.curvesIntro')}</p>
${sessions.length === 0 ? html`<p class="muted" id="no-sessions">${t('vehicles.noSessions')}</p>` : sessions.map((x, i) => html`<figure class="curve-box" data-session="${x.startedAtMs}" data-active="${String(x.endedAtMs === null)}">
${chargeCurve(`curve-${i}`, x.points, { title: t('sim.curveTitle', { from: pct(x.startSoc), to: pct(x.endSoc) }), soc: t('sim.soc'), power: t('simf.chargeKw'), time })}
<figcaption>${time(x.startedAtMs)} → ${x.endedAtMs === null ? t('vehicles.lastSeen', { time: time(x.points[x.points.length - 1]!.atMs) }) : time(x.endedAtMs)} · ${pct(x.startSoc)} % → ${pct(x.endSoc)} %${x.peakKw === null ? '' : ` · ${t('vehicles.peak', { kw: formatNumber(lang, x.peakKw, 1) })}`} · ${t('vehicles.readings', { n: x.points.length })}</figcaption></figure>`)}</section>`, { nav: appTabs(req, a, 'vehicles') });
    });
  };
}
