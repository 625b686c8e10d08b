import type { EventSink, LiveBackend, SignInInput, VehicleConnector, VehicleSummary } from '../src/index.js';

/**
 * A real connector's backend as the platform sees it through `registerLiveBrand`: one account with
 * one car of `make`, recording the sign-ins and commands it receives.
 */
export function fakeLive(make: string): LiveBackend & { signIns: SignInInput[]; sinks: EventSink[]; commands: string[] } {
  const car: VehicleSummary = { vehicleId: `real-${make}`, vin: '5YJ3E1EA7KF000001', make, model: 'Model 3', year: 2021, powertrain: 'BEV', accountId: `real-owner-${make}`, mode: 'live' };
  const commands: string[] = [];
  const reading = <T>(value: T) => ({ value, capturedAt: 0, oemUpdatedAt: 0, retrievedAt: 0, source: 'live' as const });
  const connector: VehicleConnector = {
    name: `real-${make}`,
    identity: async () => ({ vin: car.vin, make, model: car.model, year: car.year }),
    capabilities: async () => new Set(['attributes', 'charge', 'charge_control'] as const),
    chargeStatus: async () => reading({ isPluggedIn: false, state: 'NOT_CHARGING' as const }),
    chargeControl: async (_ctx, action) => { commands.push(action); return { completedAt: 0 }; },
  };
  const b = {
    signIns: [] as SignInInput[],
    sinks: [] as EventSink[],
    commands,
    async signIn(input: SignInInput) { b.signIns.push(input); return { ok: true as const, accountId: car.accountId, vehicles: [car] }; },
    async vehicle(id: string) { return id === car.vehicleId ? car : undefined; },
    async connector(id: string) { return id === car.vehicleId ? connector : undefined; },
    addEventSink(sink: EventSink) { b.sinks.push(sink); },
  };
  return b;
}
