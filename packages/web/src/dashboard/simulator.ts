import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { ControlError, describe, type VehicleView } from '@opencar/connectors';
import type { App } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, formOf, num, redirect, str, WebError } from '../http/context.js';
import { alert, csrfInput, maskVin, select } from '../views/components.js';
import { formatNumber, formatTime } from '../i18n/index.js';
import { positionPlot } from '../views/charts.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { FAULTS, runAction, SPEEDS } from './simulator-actions.js';

const tags = ['Dashboard'];

/** The simulator console: the app's vehicles with live state, controls, clock and fault injection. */
export function simulatorRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);
    const base = '/dashboard/apps/:appId/simulator';

    app.get(base, { schema: { tags, summary: 'Simulator console of an application' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      return consolePage(req, reply, a, (req.query as Record<string, string> | undefined)?.done ? 'done' : undefined);
    });

    app.get(`${base}/:vehicleId/state`, { schema: { tags, summary: 'Live state fragment of a simulated vehicle' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const v = await vehicleOf(s, req, a);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(stateBlock(req, v).value);
    });

    app.post(`${base}/:vehicleId`, { schema: { tags, summary: 'Run a simulator control action' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const v = await vehicleOf(s, req, a);
      const f = formOf(req);
      const back = `/dashboard/apps/${a.id}/simulator`;
      try {
        await runAction(s.deps.simulator!, v.vehicleId, str(f, 'action', 40), {
          minutes: num(f, 'minutes', 0), factor: num(f, 'factor', 1), fault: str(f, 'fault', 80), count: num(f, 'count', 1),
        });
      } catch (err) {
        // Shown on the page answering the POST: the message never travels in (and is never read from) the URL.
        if (err instanceof ControlError) return consolePage(req, reply, a, err.message, 400);
        throw err;
      }
      return redirect(reply, `${back}?done=1#sim-${v.vehicleId}`);
    });
  };

  async function consolePage(req: FastifyRequest, reply: FastifyReply, a: App, notice?: 'done' | string, status = 200) {
    const { t } = ctx(req);
    const sim = s.deps.simulator;
    if (!sim || !s.deps.grants) return devPage(req, reply, t('nav.simulator'), alert('info', t('common.notAvailable')), { nav: appTabs(req, a, 'simulator') });
    // Only vehicles connected in simulated or test mode can be controlled; live ones may be shared with other apps.
    const views = (await Promise.all((await s.deps.grants.appVehicleIds(a.id)).map((id) => view(s, id)))).filter((v) => v && v.mode !== 'live');
    return devPage(req, reply, t('nav.simulator'), html`${notice === 'done' ? alert('ok', t('sim.done')) : notice ? alert('error', notice) : ''}
<h1>${a.name}: ${t('nav.simulator')}</h1><p>${t('sim.intro')}</p>
${views.length === 0 ? html`<p class="muted">${t('vehicles.none')}</p>` : views.map((v) => v && vehicleCard(req, a, v))}`, { nav: appTabs(req, a, 'simulator'), status });
  }
}

async function view(s: WebServices, vehicleId: string): Promise<VehicleView | undefined> {
  const sim = s.deps.simulator!;
  try { return describe(sim.sim, await sim.sim.load(vehicleId)); } catch { return undefined; }
}

async function vehicleOf(s: WebServices, req: FastifyRequest, a: App): Promise<VehicleView> {
  const vehicleId = (req.params as { vehicleId: string }).vehicleId;
  if (!s.deps.simulator || !s.deps.grants || !(await s.deps.grants.appVehicleIds(a.id)).includes(vehicleId)) throw new WebError(404, 'error.vehicleNotFound');
  const v = await view(s, vehicleId);
  if (!v || v.mode === 'live') throw new WebError(404, 'error.vehicleNotFound');
  return v;
}

function stateBlock(req: FastifyRequest, v: VehicleView): SafeHtml {
  const { t, lang } = ctx(req);
  const st = v.state;
  const yes = (b: boolean) => (b ? t('owner.yes') : t('owner.no'));
  return html`<div class="grid"><dl class="kv sim-state">
<dt>${t('sim.soc')}</dt><dd class="sim-soc">${st.soc === null ? '—' : `${formatNumber(lang, st.soc * 100, 1)} %`}</dd>
<dt>${t('sim.charging')}</dt><dd class="sim-charge">${st.chargeState ?? '—'}${st.pluggedIn ? html` <span class="badge ok">${t('sim.pluggedIn')}</span>` : ''}</dd>
<dt>${t('sim.odometer')}</dt><dd>${formatNumber(lang, st.odometerKm, 1)} km</dd>
<dt>${t('sim.locks')}</dt><dd class="sim-locks">${st.locked ? t('sim.locked') : t('sim.unlocked')}${st.open.length ? html` · ${t('sim.open')}: ${st.open.join(', ')}` : ''}</dd>
<dt>${t('sim.asleep')}</dt><dd class="sim-asleep">${yes(st.asleep)}</dd>
<dt>${t('sim.driving')}</dt><dd>${st.driving ? `${formatNumber(lang, st.speedKmh)} km/h` : t('owner.no')}</dd>
<dt>${t('sim.clock')}</dt><dd class="sim-clock">${formatTime(lang, v.clock.virtualNowMs)} · ${v.clock.paused ? t('sim.paused') : `×${v.clock.speed}`}</dd>
<dt>${t('sim.fault')}</dt><dd>${v.fault ? `${v.fault.error} (${v.fault.remaining})` : t('owner.no')}</dd></dl>
<div>${positionPlot(`map-${v.vehicleId}`, t('sim.position'), st.latitude, st.longitude, st.destination ? [{ lat: st.latitude, lon: st.longitude }, { lat: st.destination.latitude, lon: st.destination.longitude }] : [])}</div></div>`;
}

function vehicleCard(req: FastifyRequest, a: App, v: VehicleView): SafeHtml {
  const { t, csrf } = ctx(req);
  const action = `/dashboard/apps/${a.id}/simulator/${v.vehicleId}`;
  const btn = (act: string, label: string) => html`<form method="post" action="${action}" class="inline">${csrfInput(csrf)}<input type="hidden" name="action" value="${act}"><button type="submit" class="secondary" data-action="${act}">${label}</button></form>`;
  return html`<section class="card sim-vehicle" id="sim-${v.vehicleId}"><h2>${v.make} ${v.model} ${v.year} <small class="muted mono">${maskVin(v.vin)}</small></h2>
<div data-refresh="${action}/state" data-every="3000" aria-live="polite">${stateBlock(req, v)}</div>
<h3>${t('sim.controls')}</h3><div class="actions">
${btn('plug', t('sim.plug'))}${btn('unplug', t('sim.unplug'))}${btn('trip', t('sim.trip'))}${btn('sleep', t('sim.sleep'))}${btn('wake', t('sim.wake'))}
${btn('open-door', t('sim.openDoor'))}${btn('close-door', t('sim.closeDoor'))}${btn('lock', t('sim.lock'))}${btn('unlock', t('sim.unlock'))}</div>
<h3>${t('sim.clock')}</h3><div class="actions">${btn('pause', t('sim.pause'))}${btn('resume', t('sim.resume'))}
<form method="post" action="${action}" class="inline">${csrfInput(csrf)}<input type="hidden" name="action" value="speed">
${select({ label: t('sim.speed'), name: 'factor', id: `speed-${v.vehicleId}`, value: String(v.clock.speed), options: SPEEDS.map((x) => ({ value: x, label: `×${x}` })) })}<button type="submit" class="secondary">${t('common.apply')}</button></form>
<form method="post" action="${action}" class="inline">${csrfInput(csrf)}<input type="hidden" name="action" value="advance">
<label for="adv-${v.vehicleId}">${t('sim.advanceMinutes')}</label> <input id="adv-${v.vehicleId}" name="minutes" type="number" min="1" max="527040" value="60" class="w7">
<button type="submit" class="secondary">${t('sim.advance')}</button></form></div>
<h3>${t('sim.faults')}</h3><form method="post" action="${action}" class="actions">${csrfInput(csrf)}<input type="hidden" name="action" value="fault">
${select({ label: t('sim.faultError'), name: 'fault', id: `fault-${v.vehicleId}`, options: FAULTS.map((f) => ({ value: f, label: f })) })}
<label for="count-${v.vehicleId}">${t('sim.faultCount')}</label> <input id="count-${v.vehicleId}" name="count" type="number" min="1" max="10000" value="1" class="w6">
<button type="submit" class="secondary">${t('sim.inject')}</button></form>${v.fault ? btn('clear-fault', t('sim.clearFault')) : ''}</section>`;
}
