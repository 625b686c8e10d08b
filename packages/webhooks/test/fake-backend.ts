import type { VehicleBackend, VehicleConnector } from '@opencar/connectors';

/** A vehicle backend whose vehicles answer every read with fixed values; records which reads were made. */
export function fakeBackend(opts: { failConnector?: (vehicleId: string) => boolean } = {}): VehicleBackend & { reads: string[] } {
  const reads: string[] = [];
  const reading = <T>(path: string, vehicleId: string, value: T) => { reads.push(`${vehicleId}${path}`); return Promise.resolve({ value, capturedAt: 0, retrievedAt: 0 }); };
  const backend = {
    reads,
    connector(vehicleId: string): Promise<VehicleConnector | undefined> {
      if (opts.failConnector?.(vehicleId)) return Promise.reject(new Error('backend unavailable'));
      return Promise.resolve({
        identity: () => { reads.push(`${vehicleId}/vin`); return Promise.resolve({ vin: `VIN-${vehicleId}`, make: 'TESLA', model: 'Model 3', year: 2024 }); },
        odometer: () => reading('/odometer', vehicleId, { distance: 1234 }),
        battery: () => reading('/battery', vehicleId, { percentRemaining: 0.5, range: 200 }),
        location: () => reading('/location', vehicleId, { latitude: 1, longitude: 2 }),
      } as unknown as VehicleConnector);
    },
  };
  return backend as unknown as VehicleBackend & { reads: string[] };
}
