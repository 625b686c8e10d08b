import type { VehicleView } from './control.js';

/**
 * What a control change did to a vehicle, field by field, for feedback that names it ("state of
 * charge 54 % → 20 %"). Values are the view's own (fractions, km, ISO times); UIs format them.
 */
export type ChangeField =
  | 'soc' | 'fuel' | 'chargeLimit' | 'chargeKw' | 'chargerType' | 'pluggedIn' | 'chargeState' | 'location' | 'locked'
  | 'open' | 'asleep' | 'driving' | 'speedKmh' | 'outsideTempC' | 'latency' | 'remoteAccess' | 'offline' | 'inService'
  | 'virtualKeyPaired' | 'lowVoltageBattery' | 'oilLife' | 'odometerKm' | 'clock' | 'clockSpeed' | 'fault';

export interface Change { field: ChangeField; from: unknown; to: unknown }

type Pick = (v: VehicleView) => unknown;
const FIELDS: [ChangeField, Pick][] = [
  ['soc', (v) => v.state.soc], ['fuel', (v) => v.state.fuel], ['chargeLimit', (v) => v.state.chargeLimit],
  ['chargeKw', (v) => v.state.chargeKw], ['chargerType', (v) => v.state.chargerType], ['pluggedIn', (v) => v.state.pluggedIn],
  ['chargeState', (v) => v.state.chargeState],
  ['location', (v) => (v.state.driving ? null : { latitude: v.state.latitude, longitude: v.state.longitude })],
  ['locked', (v) => v.state.locked], ['open', (v) => v.state.open], ['asleep', (v) => v.state.asleep],
  ['driving', (v) => v.state.driving], ['speedKmh', (v) => (v.trip ? v.trip.speedKmh : null)],
  ['outsideTempC', (v) => (v.state.ambientSet ? v.state.ambientC : null)], ['latency', (v) => v.state.latency],
  ['remoteAccess', (v) => v.state.remoteAccess], ['offline', (v) => v.state.offline], ['inService', (v) => v.state.inService],
  ['virtualKeyPaired', (v) => v.state.virtualKeyPaired], ['lowVoltageBattery', (v) => v.state.lowVoltageBattery],
  ['oilLife', (v) => v.state.oilLife], ['odometerKm', (v) => v.state.odometerKm],
  ['clockSpeed', (v) => (v.clock.paused ? 0 : v.clock.speed)], ['fault', (v) => v.fault],
];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields that differ between two views of one vehicle; a clock jump of more than a minute counts as `clock`. */
export function diffViews(before: VehicleView, after: VehicleView): Change[] {
  const out: Change[] = [];
  for (const [field, pick] of FIELDS) {
    const a = pick(before);
    const b = pick(after);
    if (!same(a, b)) out.push({ field, from: a, to: b });
  }
  if (Math.abs(after.clock.virtualNowMs - before.clock.virtualNowMs) > 60_000) out.push({ field: 'clock', from: before.clock.virtualNow, to: after.clock.virtualNow });
  return out;
}
