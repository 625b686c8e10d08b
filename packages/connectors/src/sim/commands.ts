import type { VehicleEvent } from '../backend.js';
import { VehicleError } from '../errors.js';
import type { Env } from './simulator.js';
import { OPEN_BITS, type SimState } from './state.js';
import { advanceTo, rollTo, startCharging, stopCharging } from './transitions.js';

/** Command bodies: check preconditions first (throw VehicleError), then mutate the state. */
const pre = (code: Parameters<typeof precondition>[0]) => precondition(code);
function precondition(code: 'CHARGING_PLUG_CONNECTED' | 'IN_MOTION' | 'CHARGING_PLUG_NOT_CONNECTED' | 'CHARGING_IN_PROGRESS' | 'FULLY_CHARGED' | 'DOOR_OPEN' | 'TRUNK_OPEN' | 'HOOD_OPEN' | 'NOT_CHARGING'): VehicleError {
  return new VehicleError({ kind: 'precondition', code });
}

export function chargeControl(action: 'START' | 'STOP') {
  return (s: SimState, env: Env, events: VehicleEvent[]): void => {
    if (s.mode === 'test') return testChargeControl(action, s, env, events);
    const { meta, t, view } = env;
    const rules = meta.profile.rules;
    if (action === 'STOP' && rules.stopUnsupportedIn?.includes(s.region)) throw new VehicleError({ kind: 'not_capable' });
    if (view.driving) throw pre('IN_MOTION');
    if (!s.plugged) throw pre('CHARGING_PLUG_NOT_CONNECTED');
    if (rules.minSocForChargeCommands !== undefined && view.soc < rules.minSocForChargeCommands) {
      throw new VehicleError({ kind: 'upstream', code: 'KNOWN_ISSUE' }, `charge commands need at least ${Math.round(rules.minSocForChargeCommands * 100)} % state of charge on this brand`);
    }
    if (action === 'START') {
      if (view.charging) throw pre('CHARGING_IN_PROGRESS');
      if (view.soc >= s.limit - 1e-9) throw pre('FULLY_CHARGED');
      rollTo(s, meta.tctx, t);
      startCharging(s, meta.tctx, t, events);
    } else {
      if (!view.charging) throw pre('NOT_CHARGING');
      rollTo(s, meta.tctx, t);
      stopCharging(s, t, events);
    }
  };
}

/**
 * Test mode (Smartcar's: commands succeed): start plugs the cable in when it is out and charges when
 * there is room below the limit; stop ends a charge if one runs. Only a trip started from the
 * simulator controls still refuses (IN_MOTION), as the vehicle's own readings would contradict it.
 */
function testChargeControl(action: 'START' | 'STOP', s: SimState, env: Env, events: VehicleEvent[]): void {
  const { meta, t, view } = env;
  if (view.driving) throw pre('IN_MOTION');
  rollTo(s, meta.tctx, t);
  if (action === 'STOP') { stopCharging(s, t, events); return; }
  if (!s.plugged) { s.plugged = 1; s.open |= OPEN_BITS.chargePort; }
  if (!view.charging && view.soc < s.limit - 1e-9) startCharging(s, meta.tctx, t, events);
}

export function setChargeLimit(limit: number) {
  return (s: SimState, env: Env, events: VehicleEvent[]): void => {
    rollTo(s, env.meta.tctx, env.t);
    s.limit = Math.round(limit * 1000) / 1000;
    advanceTo(s, env.meta.tctx, env.t, events);
  };
}

export function lockControl(action: 'LOCK' | 'UNLOCK') {
  return (s: SimState, env: Env): void => {
    if (env.view.driving) throw pre('IN_MOTION');
    if (action === 'LOCK') {
      const b = OPEN_BITS;
      if (s.open & (b.doorFL | b.doorFR | b.doorBL | b.doorBR)) throw pre('DOOR_OPEN');
      if (s.open & b.rear) throw pre('TRUNK_OPEN');
      if (s.open & b.front) throw pre(env.meta.md.powertrain === 'BEV' ? 'TRUNK_OPEN' : 'HOOD_OPEN');
    }
    s.locked = action === 'LOCK' ? 1 : 0;
  };
}

export function sendDestination(latitude: number, longitude: number) {
  return (s: SimState): void => {
    s.destLat = latitude;
    s.destLon = longitude;
  };
}

/** The charge-port door: a plugged-in cable keeps it open (in test mode, closing the door takes the cable out). */
export function chargePortControl(action: 'OPEN' | 'CLOSE') {
  return (s: SimState, env: Pick<Env, 'view' | 't'>, events: VehicleEvent[] = []): void => {
    if (env.view.driving) throw pre('IN_MOTION');
    if (action === 'CLOSE' && s.plugged && s.mode === 'test') { stopCharging(s, env.t, events); s.plugged = 0; }
    if (action === 'CLOSE' && s.plugged) throw pre('CHARGING_PLUG_CONNECTED');
    s.open = action === 'OPEN' ? s.open | OPEN_BITS.chargePort : s.open & ~OPEN_BITS.chargePort;
  };
}
