import type { ModelDef } from '../catalogue/types.js';
import { taperFactor, type View } from '../physics.js';
import type { SimState } from '../state.js';
import { precondition, r1, r2 } from './call.js';

/**
 * The electrical picture behind the charge endpoints, derived from the physical state: supply
 * (AC single/three phase by market, or DC when the power exceeds the on-board charger), current,
 * instantaneous power (constant current up to 80 %, tapering after, as physics.ts charges) and
 * the range added per hour.
 */
export interface Supply { volts: number; phases: number; dc: boolean }


export const isDc = (s: SimState, md: ModelDef) => s.chargeKw > md.acKw + 0.05;

export function supply(s: SimState, md: ModelDef, soc: number): Supply {
  if (isDc(s, md)) return { volts: Math.round(360 + 60 * soc), phases: 0, dc: true };
  const eu = s.region === 'EUROPE';
  return { volts: eu ? 230 : 240, phases: eu && md.acKw > 7.4 ? 3 : 1, dc: false };
}

/** AC current (A) a power draws on a supply. */
export const ampsFor = (kw: number, sup: Supply) => Math.round((kw * 1000) / (sup.volts * Math.max(1, sup.phases)));

/** The most current the on-board charger takes (A per phase); the wall charger is sized to match. */
export function maxAmps(s: SimState, md: ModelDef): number {
  return ampsFor(md.acKw, supply({ ...s, chargeKw: md.acKw }, md, 0));
}

/** Requested current: what the owner set, else what the charging power draws. */
export function requestedAmps(s: SimState, md: ModelDef): number {
  if (s.brand?.ampsSet) return s.amps;
  return Math.min(maxAmps(s, md), ampsFor(Math.min(s.chargeKw, md.acKw), supply({ ...s, chargeKw: md.acKw }, md, 0)));
}

/** Instantaneous charging power (kW); 0 when not charging. */
export function powerKw(s: SimState, view: View): number {
  if (!view.charging) return 0;
  return r2(s.chargeKw * taperFactor(view.soc));
}

export function currentAmps(s: SimState, md: ModelDef, view: View): number {
  if (!view.charging) return 0;
  const sup = supply(s, md, view.soc);
  return sup.dc ? Math.round((powerKw(s, view) * 1000) / sup.volts) : ampsFor(powerKw(s, view), sup);
}

/** Voltage at the inlet: the supply while charging, 0 when plugged but idle; unplugged is an error. */
export function voltage(s: SimState, md: ModelDef, view: View): number {
  if (!s.plugged) throw precondition('CHARGING_PLUG_NOT_CONNECTED');
  return view.charging ? supply(s, md, view.soc).volts : 0;
}

/** Range added per hour of charging (km/h) at the current power. */
export const rangeRateKmh = (s: SimState, md: ModelDef, view: View) => (md.kwhPer100 > 0 ? r1((powerKw(s, view) * 100) / md.kwhPer100) : 0);

/** Completion time of the ongoing charge; NOT_CHARGING otherwise. */
export function completionAt(view: View): number {
  if (!view.charging || view.chargeDoneAt === undefined) throw precondition('NOT_CHARGING');
  return view.chargeDoneAt;
}

/** Energy added by the session in progress (kWh), or null when its start is unknown. */
export function energyAdded(s: SimState, md: ModelDef, view: View): number | null {
  const chg = s.brand?.chg;
  if (s.charging && chg) return r2(Math.max(0, (view.soc - chg[1]) * (md.batteryKwh ?? 0)));
  const last = s.brand?.sessions?.at(-1);
  if (s.plugged && last) return r2(Math.max(0, (last[3] - last[2]) * (md.batteryKwh ?? 0)));
  return s.plugged ? null : 0;
}
