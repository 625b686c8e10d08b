import { html, type SafeHtml } from '@opencar/ui';
import { ControlError, type Change, type ChangeField, type VehicleView } from '@opencar/connectors';
import { formatNumber, formatTime, type Lang, type MessageKey, type Translate } from '../i18n/index.js';

/** The vehicle as the console names it in feedback: brand, model, model year. */
export const carLabel = (v: Pick<VehicleView, 'make' | 'model' | 'year'>, brandName?: string) => `${brandName ?? v.make} ${v.model} ${v.year}`;

const LABEL: Record<ChangeField, MessageKey> = {
  soc: 'sim.soc', fuel: 'simf.fuel', chargeLimit: 'simf.chargeLimit', chargeKw: 'simf.chargeKw', chargerType: 'simf.chargerType',
  pluggedIn: 'simf.pluggedIn', chargeState: 'sim.charging', location: 'simf.location', locked: 'sim.locks', open: 'simf.open',
  asleep: 'sim.asleep', driving: 'sim.driving', speedKmh: 'simf.speedKmh', outsideTempC: 'simf.outsideTempC', latency: 'simf.latency',
  remoteAccess: 'simf.remoteAccess', offline: 'simf.offline', inService: 'simf.inService', virtualKeyPaired: 'simf.virtualKey',
  lowVoltageBattery: 'simf.lowVoltageBattery', oilLife: 'simf.oilLife', odometerKm: 'sim.odometer', clock: 'sim.clock',
  clockSpeed: 'simf.clockSpeed', fault: 'sim.fault',
};

/** Values of the simulator's enums in the reader's language. */
export function enumText(t: Translate, value: string): string {
  switch (value) {
    case 'CHARGING': return t('enum.CHARGING');
    case 'FULLY_CHARGED': return t('enum.FULLY_CHARGED');
    case 'NOT_CHARGING': return t('enum.NOT_CHARGING');
    case 'CHARGING_STARTED': return t('enum.CHARGING_STARTED');
    case 'CHARGING_STOPPED': return t('enum.CHARGING_STOPPED');
    case 'CHARGING_COMPLETED': return t('enum.CHARGING_COMPLETED');
    case 'delivery.pending': return t('enum.delivery.pending');
    case 'delivery.delivered': return t('enum.delivery.delivered');
    case 'delivery.dead': return t('enum.delivery.dead');
    case '': return t('simf.latencyDefault');
    case 'zero': return t('simf.latencyZero');
    case 'realistic': return t('simf.latencyRealistic');
    default: return value;
  }
}

function value(t: Translate, lang: Lang, field: ChangeField, v: unknown): string {
  if (v === null || v === undefined) {
    if (field === 'outsideTempC') return t('simf.climateModel');
    if (field === 'fault') return t('owner.no');
    return '—';
  }
  const n = (x: unknown, d = 0) => formatNumber(lang, Number(x), d);
  switch (field) {
    case 'soc': case 'fuel': case 'chargeLimit': case 'lowVoltageBattery': case 'oilLife': return `${n(Number(v) * 100, 1)} %`;
    case 'chargeKw': return `${n(v, 1)} kW`;
    case 'speedKmh': return `${n(v)} km/h`;
    case 'outsideTempC': return `${n(v, 1)} °C`;
    case 'odometerKm': return `${n(v, 1)} km`;
    case 'clock': return formatTime(lang, Date.parse(String(v)));
    case 'clockSpeed': return Number(v) === 0 ? t('sim.paused') : `×${n(v, 3)}`;
    case 'location': { const p = v as { latitude: number; longitude: number }; return `${n(p.latitude, 5)}, ${n(p.longitude, 5)}`; }
    case 'open': { const a = v as string[]; return a.length ? a.join(', ') : t('simf.allClosed'); }
    case 'fault': { const f = v as { error: string; remaining: number }; return t('simf.faultValue', { error: f.error, count: f.remaining }); }
    case 'locked': return v ? t('sim.locked') : t('sim.unlocked');
    default:
      if (typeof v === 'boolean') return v ? t('owner.yes') : t('owner.no');
      return enumText(t, String(v));
  }
}

/** "Kia EV6 2023: state of charge 54 % → 20 % · plugged in no → yes", in the page's language. */
export function changesNotice(t: Translate, lang: Lang, car: string, changes: Change[]): SafeHtml {
  if (changes.length === 0) return html`<strong>${car}</strong>: ${t('simf.nothing')}`;
  return html`<strong>${car}</strong>: <ul class="changes">${changes.map((c) => html`<li data-field="${c.field}">${t(LABEL[c.field])}: ${value(t, lang, c.field, c.from)} → ${value(t, lang, c.field, c.to)}</li>`)}</ul>`;
}

/** A refusal of the simulator in the page's language, naming the car. */
export function refusalText(t: Translate, e: ControlError): string {
  return t(`simerr.${e.code}` as MessageKey, { ...e.vars, car: e.car });
}
