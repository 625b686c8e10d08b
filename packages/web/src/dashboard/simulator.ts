import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { addVehicle, BRANDS, chargeSessions, ControlError, describe, POWERTRAINS, REGIONS, SCENARIOS, type AddedVehicle, type Change, type ChargeSession, type VehicleView } from '@opencar/connectors';
import type { App } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, formOf, num, str, WebError, type Form } from '../http/context.js';
import { alert, csrfInput, maskVin, select } from '../views/components.js';
import { formatNumber, formatTime, type MessageKey } from '../i18n/index.js';
import { positionPlot } from '../views/charts.js';
import { chargeCurve } from '../views/charge-curve.js';
import { mapUrls } from '../assets/index.js';
import { vehicleTimeline, type TimelineEntry } from '../services/vehicle-timeline.js';
import { tryConnectUrl } from '../services/apps.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { FAULTS, LATENCIES, PLUG_STATES, runAction, SPEEDS } from './simulator-actions.js';
import { carLabel, changesNotice, enumText, refusalText } from './simulator-feedback.js';

const tags = ['Dashboard'];

type Notice = { kind: 'ok' | 'error' | 'info'; body: SafeHtml | string };

/** The simulator console: add vehicles; the app's vehicles with live state, controls, clock and fault injection. */
export function simulatorRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);
    const base = '/dashboard/apps/:appId/simulator';

    app.get(base, { schema: { tags, summary: 'Simulator console of an application' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      return consolePage(req, reply, a);
    });

    app.post(`${base}/vehicles`, { schema: { tags, summary: 'Add a simulated vehicle of a chosen make, model, year, powertrain and region' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const sim = s.deps.simulator;
      if (!sim) throw new WebError(404, 'error.vehicleNotFound');
      const f = formOf(req);
      try {
        const added = await addVehicle(sim.sim.engine, sim.sim.clock.now(), a.id, addChoice(f));
        return consolePage(req, reply, a, { kind: 'ok', body: addedNotice(req, a, added) });
      } catch (err) {
        if (err instanceof ControlError) return consolePage(req, reply, a, { kind: 'error', body: refusalText(ctx(req).t, err) }, 400);
        throw err;
      }
    });

    app.get(`${base}/:vehicleId/state`, { schema: { tags, summary: 'Live state fragment of a simulated vehicle' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const v = await vehicleOf(s, req, a);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(stateBlock(req, v, await pictures(s, a, v.vehicleId)).value);
    });

    app.post(`${base}/:vehicleId`, { schema: { tags, summary: 'Run a simulator control action' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const v = await vehicleOf(s, req, a);
      const { t, lang } = ctx(req);
      let changes: Change[];
      try {
        changes = (await runAction(s.deps.simulator!, v.vehicleId, str(formOf(req), 'action', 40), formOf(req))).changes;
      } catch (err) {
        // Shown on the page answering the POST: the message never travels in (and is never read from) the URL.
        if (err instanceof ControlError) return consolePage(req, reply, a, { kind: 'error', body: refusalText(t, err) }, 400, v.vehicleId);
        throw err;
      }
      return consolePage(req, reply, a, { kind: 'ok', body: changesNotice(t, lang, carLabel(v, brandName(v.make)), changes) }, 200, v.vehicleId);
    });
  };

  async function consolePage(req: FastifyRequest, reply: FastifyReply, a: App, notice?: Notice, status = 200, about?: string) {
    const { t } = ctx(req);
    const sim = s.deps.simulator;
    if (!sim || !s.deps.grants) return devPage(req, reply, t('nav.simulator'), alert('info', t('common.notAvailable')), { nav: appTabs(req, a, 'simulator') });
    // Only vehicles connected in simulated or test mode can be controlled; live ones may be shared with other apps.
    const views = (await Promise.all((await s.deps.grants.appVehicleIds(a.id)).map((id) => view(s, id)))).filter((v): v is VehicleView => v !== undefined && v.mode !== 'live');
    const top = notice && !about ? alert(notice.kind, notice.body) : '';
    const extras = await Promise.all(views.map((v) => pictures(s, a, v.vehicleId)));
    const urls = mapUrls();
    const map: MapConfig = { world: urls.world, tiles: s.deps.config.mapTiles };
    return devPage(req, reply, t('nav.simulator'), html`${top}
<h1>${a.name}: ${t('nav.simulator')}</h1><p>${t('sim.intro')}</p>
${views.length === 0 ? html`<p class="muted">${t('vehicles.none')}</p>` : html`<link rel="stylesheet" href="${urls.css}"><script src="${urls.leaflet}" defer></script><script src="${urls.script}" defer></script>
${views.map((v, i) => vehicleCard(req, a, v, extras[i]!, map, about === v.vehicleId ? notice : undefined))}`}
${addForm(req, a)}`, { nav: appTabs(req, a, 'simulator'), status });
  }
}

interface Pictures { sessions: ChargeSession[]; timeline: TimelineEntry[] }
interface MapConfig { world: string; tiles: { url: string; attribution: string } | undefined }

/** The charge curves and the event timeline of a vehicle (the request log is flushed first, so the newest calls show). */
async function pictures(s: WebServices, a: App, vehicleId: string): Promise<Pictures> {
  const sim = s.deps.simulator!;
  await s.deps.metering?.flush();
  const st = await sim.sim.load(vehicleId);
  return { sessions: chargeSessions(st, sim.sim.meta(st), sim.sim.now(st)), timeline: await vehicleTimeline(s.deps.storage, a.id, vehicleId) };
}

const brandName = (make: string) => BRANDS.find((b) => b.make === make)?.displayName ?? make;

function addChoice(f: Form) {
  const region = str(f, 'region', 10) || 'US';
  const powertrain = str(f, 'powertrain', 10);
  if (!(REGIONS as readonly string[]).includes(region) || (powertrain && !(POWERTRAINS as readonly string[]).includes(powertrain))) {
    throw new WebError(400, 'error.badRequest');
  }
  const year = num(f, 'year', NaN);
  if (!Number.isNaN(year) && !Number.isInteger(year)) throw new WebError(400, 'error.badRequest');
  const [make, model] = splitModel(str(f, 'make', 40), str(f, 'model', 120));
  return {
    make, model, region: region as (typeof REGIONS)[number],
    ...(Number.isNaN(year) ? {} : { year }), ...(powertrain ? { powertrain: powertrain as (typeof POWERTRAINS)[number] } : {}),
  };
}

/** The model select sends `MAKE|Model` (each option names its brand): its brand wins over the brand select. */
function splitModel(make: string, model: string): [string, string] {
  const i = model.indexOf('|');
  return i < 0 ? [make, model] : [model.slice(0, i), model.slice(i + 1)];
}

function addedNotice(req: FastifyRequest, a: App, v: AddedVehicle): SafeHtml {
  const { t } = ctx(req);
  const url = new URL(tryConnectUrl(a), 'http://x');
  url.searchParams.set('mode', v.mode);
  url.searchParams.set('make', v.make);
  url.searchParams.set('flags', `country:${v.country}`);
  return html`<p id="added-vehicle" data-vehicle-id="${v.vehicleId}" data-email="${v.email}">${t('sim.added', { car: `${v.brandName} ${v.model} ${v.year}`, mode: v.mode, brand: v.brandName, country: v.country, email: v.email })}</p>
<p><a class="button" id="connect-added" href="${url.pathname}${url.search.replace(/\+/g, '%20')}">${t('sim.connectLink')}</a></p>`;
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

function stateBlock(req: FastifyRequest, v: VehicleView, p: Pictures): SafeHtml {
  const { t, lang } = ctx(req);
  const st = v.state;
  const yes = (b: boolean) => (b ? t('owner.yes') : t('owner.no'));
  const pct = (x: number | null) => (x === null ? '—' : `${formatNumber(lang, x * 100, 1)} %`);
  return html`<div class="grid"><dl class="kv sim-state">
${st.soc !== null ? html`<dt>${t('sim.soc')}</dt><dd class="sim-soc">${pct(st.soc)}</dd>` : ''}
${st.fuel !== null ? html`<dt>${t('simf.fuel')}</dt><dd class="sim-fuel">${pct(st.fuel)}</dd>` : ''}
${st.chargeState !== null ? html`<dt>${t('sim.charging')}</dt><dd class="sim-charge" data-state="${st.chargeState}">${enumText(t, st.chargeState)}${st.pluggedIn ? html` <span class="badge ok">${t('sim.pluggedIn')}</span>` : ''}</dd>
<dt>${t('sim.chargerNow')}</dt><dd class="sim-charger">${st.chargerType ?? '—'} · ${formatNumber(lang, st.chargeKw ?? 0, 1)} kW · ${t('sim.limit')} ${pct(st.chargeLimit)}</dd>` : ''}
<dt>${t('sim.odometer')}</dt><dd>${formatNumber(lang, st.odometerKm, 1)} km</dd>
<dt>${t('sim.locks')}</dt><dd class="sim-locks">${st.locked ? t('sim.locked') : t('sim.unlocked')}${st.open.length ? html` · ${t('sim.open')}: ${st.open.join(', ')}` : ''}</dd>
<dt>${t('sim.asleep')}</dt><dd class="sim-asleep">${yes(st.asleep)}</dd>
<dt>${t('sim.driving')}</dt><dd class="sim-driving">${st.driving ? `${formatNumber(lang, st.speedKmh)} km/h` : t('owner.no')}</dd>
<dt>${t('sim.outside')}</dt><dd class="sim-temp">${formatNumber(lang, st.ambientC, 1)} °C${st.ambientSet ? '' : html` <span class="muted">(${t('simf.climateModel')})</span>`}</dd>
<dt>${t('simf.latency')}</dt><dd class="sim-latency">${enumText(t, st.latency)}</dd>
<dt>${t('sim.clock')}</dt><dd class="sim-clock">${formatTime(lang, v.clock.virtualNowMs)} · ${v.clock.paused ? t('sim.paused') : `×${v.clock.speed}`}</dd>
<dt>${t('sim.fault')}</dt><dd>${v.fault ? t('simf.faultValue', { error: v.fault.error, count: v.fault.remaining }) : t('owner.no')}</dd></dl>
<span hidden class="sim-pos" data-for="map-${v.vehicleId}" data-lat="${st.latitude}" data-lon="${st.longitude}" data-trail="${JSON.stringify(v.trail)}"${st.destination ? html` data-dest="${JSON.stringify([st.destination.latitude, st.destination.longitude])}"` : ''}></span>
${curves(req, v, p.sessions)}</div>
${timeline(req, p.timeline)}`;
}

/** The last three charging sessions: SoC and power over the vehicle's time. */
function curves(req: FastifyRequest, v: VehicleView, sessions: ChargeSession[]): SafeHtml {
  const { t, lang } = ctx(req);
  if (v.state.soc === null) return html``;
  const time = (ms: number) => formatTime(lang, ms).replace(' UTC', '');
  const shown = sessions.slice(-3).reverse();
  return html`<div class="sim-curves"><h3>${t('sim.curves')}</h3>${shown.length === 0 ? html`<p class="muted">${t('sim.noSessions')}</p>` : shown.map((x, i) => html`<figure class="curve-box" data-session="${x.startedAtMs}" data-active="${String(x.endedAtMs === null)}">
${chargeCurve(`curve-${v.vehicleId}-${i}`, x.points, { title: t('sim.curveTitle', { from: formatNumber(lang, x.startSoc * 100), to: formatNumber(lang, x.endSoc * 100) }), soc: t('sim.soc'), power: t('simf.chargeKw'), time })}
<figcaption>${time(x.startedAtMs)} → ${x.endedAtMs === null ? t('sim.inProgress') : time(x.endedAtMs)} · ${formatNumber(lang, x.startSoc * 100)} % → ${formatNumber(lang, x.endSoc * 100)} % · ${formatNumber(lang, x.energyKwh, 1)} kWh · ${formatNumber(lang, x.chargerKw, 1)} kW</figcaption></figure>`)}</div>`;
}

/** The vehicle's event timeline, newest first. */
function timeline(req: FastifyRequest, entries: TimelineEntry[]): SafeHtml {
  const { t, lang } = ctx(req);
  const line = (e: TimelineEntry): [string, string, SafeHtml | string] => {
    switch (e.kind) {
      case 'request': {
        const kind = e.status >= 400 ? 'error' : e.method === 'GET' ? 'read' : 'command';
        return [kind, t(`tl.${kind}` as MessageKey), html`<code>${e.method === 'GET' ? '' : `${e.method} `}${e.endpoint.replace(/^(GET|POST|PUT|DELETE|PATCH) /, '')}</code> → ${e.status}${e.woke ? html` · <span class="badge warn">${t('tl.woke')}</span>` : ''}`];
      }
      case 'charging': return ['charging', t('tl.charging'), enumText(t, e.event)];
      case 'webhook': return ['webhook', t('tl.webhook'), t('tl.delivery', { event: e.event, status: enumText(t, `delivery.${e.status}`), code: e.httpStatus ?? '—', attempts: e.attempts })];
    }
  };
  return html`<div class="sim-timeline"><h3>${t('sim.timeline')}</h3>${entries.length === 0 ? html`<p class="muted">${t('sim.noEvents')}</p>` : html`<ol class="timeline" tabindex="0" aria-label="${t('sim.timeline')}">${entries.map((e) => {
    const [kind, label, text] = line(e);
    return html`<li data-kind="${kind}"><time datetime="${new Date(e.at).toISOString()}">${formatTime(lang, e.at)}</time> <span class="badge tl-${kind}">${label}</span> ${text}</li>`;
  })}</ol>`}</div>`;
}

function vehicleCard(req: FastifyRequest, a: App, v: VehicleView, p: Pictures, map: MapConfig, notice?: Notice): SafeHtml {
  const { t, csrf } = ctx(req);
  const id = v.vehicleId;
  const action = `/dashboard/apps/${a.id}/simulator/${id}`;
  const st = v.state;
  const form = (act: string, body: SafeHtml, cls = 'actions') => html`<form method="post" action="${action}" class="${cls}" data-form="${act}">${csrfInput(csrf)}<input type="hidden" name="action" value="${act}">${body}</form>`;
  const btn = (act: string, label: string) => form(act, html`<button type="submit" class="secondary" data-action="${act}">${label}</button>`, 'inline');
  const numField = (name: string, label: string, value: string, o: { min: number; max: number; step?: string; cls?: string }) => html`<div class="field"><label for="${name}-${id}">${label}</label>
<input id="${name}-${id}" name="${name}" type="number" min="${o.min}" max="${o.max}" step="${o.step ?? 'any'}" value="${value}" class="${o.cls ?? 'w7'}"></div>`;
  const fix = (x: number | null, d = 1) => (x === null ? '' : String(Math.round(x * 10 ** d) / 10 ** d));
  const ev = st.soc !== null;
  const plugNow = !st.pluggedIn ? 'unplugged' : st.chargeState === 'CHARGING' ? 'charging' : 'idle';
  return html`<section class="card sim-vehicle" id="sim-${id}" data-powertrain="${v.powertrain}"><h2>${carLabel(v, brandName(v.make))} <small class="muted mono">${maskVin(v.vin)} · ${v.powertrain}</small></h2>
${notice ? html`<div id="feedback-${id}">${alert(notice.kind, notice.body)}</div>` : ''}
<div class="sim-top"><div class="sim-map map-box" id="map-${id}" data-world="${map.world}" data-label="${carLabel(v, brandName(v.make))}"${map.tiles ? html` data-tiles="${map.tiles.url}" data-attribution="${map.tiles.attribution}"` : ''}>${positionPlot(`plot-${id}`, t('sim.position'), st.latitude, st.longitude, v.trail.map(([lat, lon]) => ({ lat, lon })))}</div>
<div data-refresh="${action}/state" data-every="3000" aria-live="polite" class="sim-live">${stateBlock(req, v, p)}</div></div>
<h3>${t('sim.energy')}</h3>${form('energy', html`${ev ? numField('soc', t('sim.socPct'), fix(st.soc === null ? null : st.soc * 100), { min: 0, max: 100 }) : ''}
${st.fuel !== null ? numField('fuel', t('sim.fuelPct'), fix(st.fuel * 100), { min: 0, max: 100 }) : ''}<button type="submit" class="secondary">${t('sim.set')}</button>`)}
${ev ? html`<h3>${t('sim.charger')}</h3>${form('plug-state', html`${select({ label: t('sim.plugState'), name: 'plug', id: `plug-${id}`, value: plugNow, options: PLUG_STATES.map((p) => ({ value: p, label: t(`sim.plug.${p}` as MessageKey) })) })}<button type="submit" class="secondary">${t('common.apply')}</button>`)}
${form('charger', html`${numField('chargeLimit', t('sim.chargeLimitPct'), fix((st.chargeLimit ?? 0) * 100, 0), { min: 50, max: 100 })}
${select({ label: t('sim.chargerType'), name: 'chargerType', id: `ctype-${id}`, value: st.chargerType ?? 'AC', options: [{ value: 'AC', label: t('sim.chargerAC') }, ...(v.powertrain === 'BEV' ? [{ value: 'DC', label: t('sim.chargerDC') }] : [])] })}
${numField('chargeKw', t('sim.chargeKwLabel'), '', { min: 0.1, max: 350, cls: 'w6' })}<button type="submit" class="secondary">${t('common.apply')}</button>`)}` : ''}
${form('temperature', html`${numField('outsideTempC', t('sim.tempLabel'), st.ambientSet ? fix(st.ambientC) : '', { min: -40, max: 55 })}<button type="submit" class="secondary">${t('sim.set')}</button>`)}
<h3>${t('sim.locationTitle')}</h3><p class="hint">${t('sim.mapHint')}</p>
<form method="post" action="${action}" class="actions" data-form="position" data-map-target="map-${id}">${csrfInput(csrf)}
${numField('latitude', t('sim.latitude'), fix(st.latitude, 6), { min: -90, max: 90, cls: 'w9' })}${numField('longitude', t('sim.longitude'), fix(st.longitude, 6), { min: -180, max: 180, cls: 'w9' })}
${numField('speedKmh', t('sim.speedKmh'), '50', { min: 1, max: 250, cls: 'w6' })}
<button type="submit" class="secondary" name="action" value="location" data-action="location">${t('sim.moveHere')}</button>
<button type="submit" class="secondary" name="action" value="trip" data-action="trip">${t('sim.tripHere')}</button></form>
<h3>${t('sim.controls')}</h3><div class="actions">
${ev ? html`${btn('plug', t('sim.plug'))}${btn('unplug', t('sim.unplug'))}` : ''}${btn('sleep', t('sim.sleep'))}${btn('wake', t('sim.wake'))}
${btn('open-door', t('sim.openDoor'))}${btn('close-door', t('sim.closeDoor'))}${btn('lock', t('sim.lock'))}${btn('unlock', t('sim.unlock'))}</div>
${form('scenario', html`${select({ label: t('sim.preset'), name: 'scenario', id: `scen-${id}`, options: SCENARIOS.map((x) => ({ value: x, label: t(`sim.scen.${x}` as MessageKey) })) })}<button type="submit" class="secondary">${t('sim.run')}</button>`)}
${form('latency', html`${select({ label: t('sim.latencyLabel'), name: 'latency', id: `lat-${id}`, value: st.latency, options: LATENCIES.map((x) => ({ value: x, label: enumText(t, x) })) })}<button type="submit" class="secondary">${t('common.apply')}</button>`)}
<h3>${t('sim.clock')}</h3><div class="actions">${btn('pause', t('sim.pause'))}${btn('resume', t('sim.resume'))}${btn('reset-clock', t('sim.resetClock'))}
${form('speed', html`${select({ label: t('sim.speed'), name: 'factor', id: `speed-${id}`, value: String(v.clock.speed), options: SPEEDS.map((x) => ({ value: x, label: `×${x}` })) })}<button type="submit" class="secondary">${t('common.apply')}</button>`, 'inline')}
${form('advance', html`<label for="adv-${id}">${t('sim.advanceMinutes')}</label> <input id="adv-${id}" name="minutes" type="number" min="1" max="527040" value="60" class="w7">
<button type="submit" class="secondary">${t('sim.advance')}</button>`, 'inline')}</div>
<h3>${t('sim.faults')}</h3>${form('fault', html`${select({ label: t('sim.faultError'), name: 'fault', id: `fault-${id}`, options: FAULTS.map((f) => ({ value: f, label: f })) })}
<label for="count-${id}">${t('sim.faultCount')}</label> <input id="count-${id}" name="count" type="number" min="1" max="10000" value="1" class="w6">
<button type="submit" class="secondary">${t('sim.inject')}</button>`)}${v.fault ? btn('clear-fault', t('sim.clearFault')) : ''}</section>`;
}

function addForm(req: FastifyRequest, a: App): SafeHtml {
  const { t, csrf } = ctx(req);
  const makes = [...BRANDS].sort((x, y) => x.displayName.localeCompare(y.displayName, 'en'));
  return html`<section class="card" id="add-vehicle"><h2>${t('sim.add')}</h2><p>${t('sim.addIntro')}</p>
<form method="post" action="/dashboard/apps/${a.id}/simulator/vehicles" class="filters">${csrfInput(csrf)}
${select({ label: t('sim.make'), name: 'make', id: 'add-make', options: makes.map((b) => ({ value: b.make, label: b.displayName })) })}
<div class="field"><label for="add-model">${t('sim.model')}</label><select id="add-model" name="model"><option value="">${t('sim.anyModel')}</option>
${makes.map((b) => html`<optgroup label="${b.displayName}">${b.models.map((m) => html`<option value="${b.make}|${m.model}">${b.displayName} ${m.model} · ${m.powertrain} · ${m.startYear}–${m.endYear}</option>`)}</optgroup>`)}</select></div>
<div class="field"><label for="add-year">${t('sim.year')}</label><input id="add-year" name="year" type="number" min="2015" max="2026" step="1" class="w6"></div>
${select({ label: t('sim.powertrain'), name: 'powertrain', id: 'add-powertrain', options: [{ value: '', label: t('sim.anyPowertrain') }, ...POWERTRAINS.map((p) => ({ value: p, label: t(`sim.pt.${p}` as MessageKey) }))] })}
${select({ label: t('sim.region'), name: 'region', id: 'add-region', options: REGIONS.map((r) => ({ value: r, label: t(`sim.region.${r}` as MessageKey) })) })}
<div class="field"><button type="submit" id="add-submit">${t('sim.addSubmit')}</button></div></form></section>`;
}
