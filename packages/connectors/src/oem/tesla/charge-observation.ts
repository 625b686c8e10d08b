import type { ChargeObservation } from '@opencar/storage';
import { battery, chargeStatus } from './readings.js';
import type { Snapshot } from './vehicle-data.js';

/**
 * What a fresh `charge_state` section says of the vehicle's charging (state of charge, power,
 * charging or not), at the time the car captured it; undefined when the section is absent or does
 * not parse (the read itself reports that).
 */
export function chargeObservationOf(vehicleId: string, snap: Snapshot, retrievedAt: number): ChargeObservation | undefined {
  const c = snap.sections.charge_state;
  if (!c) return undefined;
  try {
    const b = battery.extract(snap);
    const st = chargeStatus.extract(snap).value;
    const kw = typeof c.charger_power === 'number' && Number.isFinite(c.charger_power) && c.charger_power >= 0 ? c.charger_power : null;
    return { vehicleId, at: b.capturedAt ?? retrievedAt, soc: b.value.percentRemaining, powerKw: kw, charging: st.state === 'CHARGING', pluggedIn: st.isPluggedIn };
  } catch {
    return undefined;
  }
}
