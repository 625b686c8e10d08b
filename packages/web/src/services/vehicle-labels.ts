import type { WebServices } from '../services.js';
import { makeName } from './makes.js';

/** A vehicle as the owner knows it: make, model, year and the last four characters of the VIN. */
export function vehicleLabel(s: WebServices, id: string, v: { make: string; model: string; year: number; vin: string } | undefined): string {
  return v ? `${makeName(s.deps.backend, v.make)} ${v.model} ${v.year} · VIN …${v.vin.slice(-4)}` : id;
}

/** The labels of the given vehicles by id (the id itself when the backend does not know one). */
export async function vehicleLabels(s: WebServices, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map(await Promise.all(ids.map(async (id) => [id, vehicleLabel(s, id, await s.deps.backend?.vehicle(id))] as const)));
}
