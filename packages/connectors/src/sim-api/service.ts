import { ApiError } from '@opencar/core';
import { ControlError, clockControl, describe, drive, injectFault, setState, type ClockAction, type StatePatch, type VehicleView } from '../sim/control.js';
import { runScenario } from '../sim/scenarios.js';
import { addVehicle, type AddVehicle } from '../sim/add-vehicle.js';
import { chargeSessions, type ChargeSession } from '../sim/charge-curve.js';
import type { SimulatorBackend } from '../sim/backend.js';
import { VehicleError } from '../errors.js';

/**
 * Service functions behind the simulator API; the dashboard calls them in-process. Control errors
 * become 400 VALIDATION:PARAMETER; a vehicle that no longer exists 404.
 */
async function guard<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ControlError) throw new ApiError('VALIDATION:PARAMETER', { description: e.message });
    if (e instanceof VehicleError && e.failure.kind === 'account') throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No such simulated vehicle.' });
    throw e;
  }
}

export async function listVehicles(sim: SimulatorBackend, ids: readonly string[]): Promise<VehicleView[]> {
  const states = await sim.sim.engine.getMany(ids);
  return states.map((s) => describe(sim.sim, s));
}

export async function getVehicle(sim: SimulatorBackend, id: string): Promise<VehicleView> {
  const s = await sim.sim.engine.get(id);
  if (!s) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No such simulated vehicle.' });
  return describe(sim.sim, s);
}

export const updateState = (sim: SimulatorBackend, id: string, patch: StatePatch) => guard(setState(sim.sim, id, patch));
export const startTrip = (sim: SimulatorBackend, id: string, route: [number, number][], speedKmh: number) => guard(drive(sim.sim, id, route, speedKmh));
export const setFault = (sim: SimulatorBackend, id: string, error: string, count: number) => guard(injectFault(sim.sim, id, error, count));
export const moveClock = (sim: SimulatorBackend, id: string, action: ClockAction) => guard(clockControl(sim.sim, id, action));
export const createVehicle = (sim: SimulatorBackend, appId: string, p: AddVehicle) => guard(addVehicle(sim.sim.engine, sim.sim.clock.now(), appId, p));
export const scenario = (sim: SimulatorBackend, id: string, name: string) => guard(runScenario(sim.sim, id, name));

/** The vehicle's charging sessions with their charge curves (SoC and power over the vehicle's time). */
export async function chargingSessions(sim: SimulatorBackend, id: string): Promise<ChargeSession[]> {
  const s = await sim.sim.engine.get(id);
  if (!s) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No such simulated vehicle.' });
  return chargeSessions(s, sim.sim.meta(s), sim.sim.now(s));
}

/** Clock action from the API body: pause | resume | speed (factor) | advance (hours/minutes/seconds). */
export function clockActionOf(body: { action: string; factor?: number; hours?: number; minutes?: number; seconds?: number }): ClockAction {
  switch (body.action) {
    case 'reset': return { action: 'reset' };
    case 'pause': return { action: 'pause' };
    case 'resume': return { action: 'resume' };
    case 'speed': return { action: 'speed', factor: body.factor ?? 1 };
    case 'advance': return { action: 'advance', ms: ((body.hours ?? 0) * 3600 + (body.minutes ?? 0) * 60 + (body.seconds ?? 0)) * 1000 };
    default: throw new ApiError('VALIDATION:PARAMETER', { description: 'action must be pause, resume, speed, advance or reset' });
  }
}
