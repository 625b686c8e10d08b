import type { ChargeDetails, ChargeTimer, TractionBatteryDetails, Weekday } from '../connector.js';
import type { ModelDef } from './catalogue/types.js';
import { currentAmps, energyAdded, maxAmps, powerKw, rangeRateKmh, requestedAmps, supply } from './brand/electric.js';
import { electricTempFactor, type View } from './physics.js';
import { OPEN_BITS, type SimState } from './state.js';

/** The charging picture of a simulated EV, derived from its physical state on every read. */
const r1 = (n: number) => Math.round(n * 10) / 10;

/** Charging inlet by make and market: NACS on North American Teslas, CCS2 in Europe, CHAdeMO on the US Leaf. */
export function inlet(s: SimState, md: ModelDef): string {
  if (s.region === 'EUROPE') return 'CCS2';
  if (s.make === 'TESLA') return 'NACS';
  if (s.make === 'NISSAN' && md.model.startsWith('Leaf')) return 'CHADEMO';
  return md.powertrain === 'PHEV' ? 'J1772' : 'CCS1';
}

export function chargeDetails(s: SimState, md: ModelDef, view: View): ChargeDetails {
  const plugged = s.plugged === 1;
  const sup = supply(s, md, view.soc);
  const dc = plugged && sup.dc;
  const type = inlet(s, md);
  return {
    amperage: currentAmps(s, md, view),
    amperageMax: maxAmps(s, md),
    amperageRequested: requestedAmps(s, md),
    voltage: plugged && view.charging ? sup.volts : 0,
    powerKw: powerKw(s, view),
    energyAddedKwh: energyAdded(s, md, view),
    rangeRateKmh: rangeRateKmh(s, md, view),
    completesAt: view.charging ? view.chargeDoneAt ?? null : null,
    phases: plugged && !sup.dc ? sup.phases : null,
    connectorType: type,
    fastChargerPresent: dc,
    fastChargerType: dc ? (type === 'NACS' ? 'NACS' : type === 'CHADEMO' ? 'CHADEMO' : 'CCS') : null,
    cableLatched: plugged,
    portOpen: plugged || (s.open & OPEN_BITS.chargePort) !== 0,
    portColor: !plugged ? 'OFF' : view.charging ? 'GREEN' : 'BLUE',
  };
}

/** Ideal range: the pack at the model's reference consumption; rated: the homologated cycle, about 8 % kinder. */
export function batteryDetails(s: SimState, md: ModelDef, view: View): TractionBatteryDetails {
  const cap = md.batteryKwh ?? 0;
  const ideal = md.kwhPer100 > 0 ? (view.soc * cap * 100) / md.kwhPer100 : 0;
  return {
    heaterOn: view.ambientC < 0 && view.charging,
    maxRangeChargeCount: (s.brand?.sessions ?? []).filter((x) => x[3] >= 0.995).length,
    rangeIdeal: r1(ideal),
    rangeRated: r1((ideal / 0.92) / electricTempFactor(20)),
  };
}

const WEEK: Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const WORKDAYS = WEEK.slice(0, 5);
const WEEKEND = WEEK.slice(5);
const hms = (hhmm: string) => `${hhmm}:00`;

/** Timers the vehicle holds from brand endpoints (Tesla start/departure, Nissan weekly, Ford per location). */
export function chargeTimers(s: SimState): ChargeTimer[] {
  const b = s.brand;
  const out: ChargeTimer[] = [];
  const tesla = b?.schedule;
  if (tesla && (tesla.startTime.enabled || tesla.departureTime.enabled)) {
    out.push({
      type: 'GLOBAL', condition: null, oemOptimization: null,
      schedules: tesla.startTime.enabled && tesla.startTime.time ? [{ days: [...WEEK], start: hms(tesla.startTime.time), end: null }] : [],
      departureTimers: tesla.departureTime.enabled && tesla.departureTime.time ? [{ days: [...WEEK], time: hms(tesla.departureTime.time) }] : [],
    });
  }
  if (b?.nissanSchedules?.length) {
    out.push({
      type: 'GLOBAL', condition: null, oemOptimization: null, departureTimers: [],
      schedules: b.nissanSchedules.map((x) => ({ days: x.days.filter((d): d is Weekday => WEEK.includes(d as Weekday)), start: hms(x.start), end: hms(x.end) })),
    });
  }
  for (const l of b?.fordLocations ?? []) {
    out.push({
      type: 'LOCATION', condition: { name: null, address: null, latitude: l.lat, longitude: l.lon }, oemOptimization: null, departureTimers: [],
      schedules: [
        ...l.weekday.map((w) => ({ days: [...WORKDAYS], start: hms(w.start), end: hms(w.end) })),
        ...l.weekend.map((w) => ({ days: [...WEEKEND], start: hms(w.start), end: hms(w.end) })),
      ],
    });
  }
  return out;
}
