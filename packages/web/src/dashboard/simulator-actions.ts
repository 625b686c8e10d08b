import { clockControl, drive, injectFault, setState, type SimulatorBackend } from '@opencar/connectors';
import { WebError } from '../http/context.js';

export const FAULTS = [
  'VEHICLE_STATE:ASLEEP', 'VEHICLE_STATE:UNREACHABLE', 'VEHICLE_STATE:DOOR_OPEN', 'VEHICLE_STATE:LOW_BATTERY',
  'UPSTREAM:NO_RESPONSE', 'UPSTREAM:RATE_LIMIT', 'UPSTREAM:UNKNOWN_ISSUE', 'CONNECTED_SERVICES_ACCOUNT:AUTHENTICATION_FAILED',
] as const;

export const SPEEDS = ['1', '10', '60', '600', '3600'] as const;

/** A trip of roughly 5 km to the north-east of the current position, at 50 km/h. */
function tripFrom(lat: number, lon: number): [number, number][] {
  return [[lat + 0.02, lon + 0.01], [lat + 0.035, lon + 0.03]];
}

/** Runs one console action on a simulated vehicle; throws the simulator's ControlError when refused, a 400 for an unknown action. */
export async function runAction(sim: SimulatorBackend, vehicleId: string, action: string, f: { minutes?: number; factor?: number; fault?: string; count?: number }): Promise<void> {
  const s = sim.sim;
  switch (action) {
    case 'plug': await setState(s, vehicleId, { pluggedIn: true }); return;
    case 'unplug': await setState(s, vehicleId, { pluggedIn: false }); return;
    case 'sleep': await setState(s, vehicleId, { asleep: true }); return;
    case 'wake': await setState(s, vehicleId, { asleep: false }); return;
    case 'lock': await setState(s, vehicleId, { locked: true }); return;
    case 'unlock': await setState(s, vehicleId, { locked: false }); return;
    case 'open-door': await setState(s, vehicleId, { open: { doorFL: true } }); return;
    case 'close-door': await setState(s, vehicleId, { open: { doorFL: false } }); return;
    case 'trip': {
      const st = await s.load(vehicleId);
      await drive(s, vehicleId, tripFrom(st.lat, st.lon), 50);
      return;
    }
    case 'pause': await clockControl(s, vehicleId, { action: 'pause' }); return;
    case 'resume': await clockControl(s, vehicleId, { action: 'resume' }); return;
    case 'speed': await clockControl(s, vehicleId, { action: 'speed', factor: f.factor ?? 1 }); return;
    case 'advance': await clockControl(s, vehicleId, { action: 'advance', ms: Math.round((f.minutes ?? 0) * 60_000) }); return;
    case 'fault': await injectFault(s, vehicleId, f.fault ?? '', f.count ?? 1); return;
    case 'clear-fault': await injectFault(s, vehicleId, '', 0); return;
    default: throw new WebError(400, 'error.badRequest');
  }
}
