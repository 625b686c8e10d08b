import { decodeYear } from '../../sim/vin.js';

/**
 * Model and model year of a Tesla from what the Fleet API lists: `vehicle_config.car_type` when
 * Tesla sends it, else the VIN's model letter (position 4) and year code (position 10).
 */
const CAR_TYPES: Record<string, string> = {
  models: 'Model S', models2: 'Model S', model3: 'Model 3', modelx: 'Model X', modely: 'Model Y', cybertruck: 'Cybertruck', lychee: 'Model S', tamarind: 'Model X',
};
const VIN_MODELS: Record<string, string> = { S: 'Model S', '3': 'Model 3', X: 'Model X', Y: 'Model Y', C: 'Cybertruck', R: 'Roadster' };

export function teslaModel(vin: string, carType?: string | null): string {
  return (carType && CAR_TYPES[carType.toLowerCase()]) ?? VIN_MODELS[vin[3] ?? ''] ?? 'Tesla';
}

export function teslaYear(vin: string, fallback: number): number {
  return decodeYear(vin[9] ?? '') ?? fallback;
}
