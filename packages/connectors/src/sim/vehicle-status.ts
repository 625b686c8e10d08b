import type { AccountAccess, ClimateStatus, Connectivity, LowVoltageBattery, Motion, Surveillance } from '../connector.js';
import { atHome } from './brand/records.js';
import { cabinOn, climateOf, hasWheelHeater, interiorC } from './brand/climate.js';
import { rand01 } from './hash.js';
import type { View } from './physics.js';
import type { BehaviourProfile } from './profiles/index.js';
import { firmwareVersion } from './vehicle-details.js';
import type { SimState } from './state.js';

/** Derived status readings of a simulated vehicle (cabin, 12 V battery, motion, connectivity, account). */
const r1 = (n: number) => Math.round(n * 10) / 10;
const r3 = (n: number) => Math.round(n * 1000) / 1000;

export function climateStatus(s: SimState, view: View): ClimateStatus {
  const cl = climateOf(s);
  return {
    cabinC: interiorC(s, view), outsideC: view.ambientC, hvacOn: cabinOn(s, view), targetC: cl.setC,
    frontDefroster: cl.defrost, rearDefroster: cl.defrost, steeringWheelHeater: hasWheelHeater(s) ? cl.wheel : null,
  };
}

/** Comfortably charged above 60 %; a warning from there down to the brand's low-battery threshold. */
export function lowVoltageBattery(view: View, profile: BehaviourProfile): LowVoltageBattery {
  return { stateOfCharge: r3(view.lv), status: view.lv >= 0.6 ? 'GOOD' : view.lv >= profile.lv.low ? 'WARN' : 'BAD' };
}

/** Heading while driving, else the one the last trip ended with (a seeded one before any trip). */
export function headingOf(s: SimState, view: View): number {
  return Math.round(view.driving ? view.heading : s.heading ?? rand01(s.seed, 0xc0) * 360) % 360;
}

const DRIVE_MODES: Record<string, string> = { TESLA: 'Standard', BMW: 'Comfort', MINI: 'Mid', PORSCHE: 'Normal', VOLVO: 'Comfort', AUDI: 'Comfort' };

export function motion(s: SimState, view: View): Motion {
  return {
    speed: r1(view.speedKmh), heading: headingOf(s, view), gear: view.driving ? 'DRIVE' : 'PARK',
    driveMode: { canonical: 'NORMAL', oemDisplayName: DRIVE_MODES[s.make] ?? 'Normal' },
  };
}

export const isOnline = (s: SimState) => !(s.offline || s.lv <= 0.02);

export function connectivity(s: SimState, t: number, asleep: boolean, profile: BehaviourProfile): Connectivity {
  const online = isOnline(s);
  const phoneKey = profile.rules.virtualKey ? s.virtualKey === 1 : s.year >= 2021 && rand01(s.seed, 0xd1) < 0.4;
  return { online, asleep: online ? asleep : null, digitalKeyPaired: phoneKey, firmwareVersion: firmwareVersion(s, t), inService: s.service === 1 };
}

/** One connecting account in ten is a secondary driver, whom the OEM denies charging commands. */
export function accountAccess(s: SimState): AccountAccess {
  const driver = rand01(s.seed, 0xacc) < 0.1;
  if (s.make === 'TESLA') {
    return { role: driver ? 'DRIVER' : 'OWNER', permissions: ['vehicle_device_data', 'vehicle_location', 'vehicle_cmds', ...(driver ? [] : ['vehicle_charging_cmds'])] };
  }
  return { role: driver ? 'SECONDARY' : 'PRIMARY', permissions: ['vehicle_status', 'vehicle_location', 'remote_lock', ...(driver ? [] : ['remote_charge'])] };
}

/** Tesla Sentry Mode: on when the car is locked and parked away from home. */
export function surveillance(s: SimState, view: View): Surveillance {
  return { brand: 'Sentry Mode', enabled: !atHome(view.lat, view.lon) && !view.driving && s.locked === 1 };
}

export const isAtHome = (view: View) => atHome(view.lat, view.lon) && !view.driving;
