import type { Capability, CatalogueModel, Region, VehicleBackend } from '@opencar/connectors';
import { answers, V3_CAPABILITIES, v3Powertrain, type V3Capability } from './capabilities.js';
import { REGIONS } from './query.js';

/** Why a VIN cannot answer a signal or command (opencar extension; see README "Compatibility API v3"). */
export type NotCapableReason =
  | 'MAKE_NOT_SUPPORTED' | 'REGION_NOT_SUPPORTED' | 'MODEL_YEAR_NOT_SUPPORTED'
  | 'PLATFORM_NOT_CAPABLE' | 'POWERTRAIN_NOT_CAPABLE' | 'MAKE_NOT_CAPABLE' | 'MODEL_NOT_CAPABLE';

export interface VinReport {
  vin: string;
  region: Region;
  compatible: boolean;
  reason: 'MAKE_NOT_COMPATIBLE' | 'VEHICLE_NOT_COMPATIBLE' | null;
  make: string | null;
  model: string | null;
  year: number | null;
  powertrainType: string | null;
  capabilities: Record<string, unknown>[];
}

/** An ISO country of each region, for the backend's VIN decoding (which takes Connect's country). */
const COUNTRY: Record<Region, string> = { US: 'US', CA: 'CA', EUROPE: 'DE' };

const entry = (c: V3Capability, capable: boolean, reason: NotCapableReason | null) => ({
  type: c.type, code: c.code, permission: c.permission, ...(c.path ? { path: c.path } : {}), capable, reason,
});

const has = (c: V3Capability, m: CatalogueModel) => answers(c, new Set<Capability>(m.capabilities));

/** Whether the powertrain decides a signal or command: some make has it on one powertrain and not on another. */
function powertrainGated(c: V3Capability, all: readonly CatalogueModel[]): boolean {
  const byMake = new Map<string, { with: Set<string>; without: Set<string> }>();
  for (const m of all) {
    const e = byMake.get(m.make) ?? { with: new Set<string>(), without: new Set<string>() };
    (has(c, m) ? e.with : e.without).add(v3Powertrain(m));
    byMake.set(m.make, e);
  }
  return [...byMake.values()].some((e) => [...e.with].some((pt) => ![...e.without].every((other) => other === pt)));
}

/**
 * Why a catalogue model lacks a signal or command: no vehicle of the catalogue answers it; the
 * powertrain decides it and no vehicle of this powertrain answers it (fuel on a BEV); no model of
 * the make answers it (the brand's cloud does not offer it); or other models of the make do.
 */
function reasonFor(c: V3Capability, model: CatalogueModel | undefined, make: string, all: readonly CatalogueModel[]): NotCapableReason {
  if (!all.some((m) => has(c, m))) return 'PLATFORM_NOT_CAPABLE';
  const pt = model ? v3Powertrain(model) : undefined;
  if (pt && powertrainGated(c, all) && !all.some((m) => v3Powertrain(m) === pt && has(c, m))) return 'POWERTRAIN_NOT_CAPABLE';
  if (!all.some((m) => m.make === make && has(c, m))) return 'MAKE_NOT_CAPABLE';
  return 'MODEL_NOT_CAPABLE';
}

/**
 * What a VIN can answer in a region: decoded by the backend's catalogue (WMI → make, position 10 →
 * model year, the descriptor → model), then every v3 signal and command with `capable` and, when
 * false, the reason. A VIN of no known make, or of a make not sold in the region, or of a year or
 * model the region does not have, lists every signal and command as not capable with that reason.
 */
export function vinReport(backend: Pick<VehicleBackend, 'capabilitiesForVin' | 'models'>, vin: string, region: Region): VinReport {
  const found = backend.capabilitiesForVin(vin, COUNTRY[region]);
  const base = { vin, region, make: null, model: null, year: null, powertrainType: null };
  if (!found || 'incompatible' in found) {
    // The make as decoded for another region, when the VIN has one there.
    const elsewhere = REGIONS.filter((r) => r !== region).map((r) => backend.capabilitiesForVin(vin, COUNTRY[r])).find((f) => f && !('incompatible' in f));
    const make = elsewhere && !('incompatible' in elsewhere) ? elsewhere.make.toUpperCase() : null;
    const why: NotCapableReason = !found ? 'MAKE_NOT_SUPPORTED' : found.incompatible === 'MAKE_NOT_COMPATIBLE' ? 'REGION_NOT_SUPPORTED' : 'MODEL_YEAR_NOT_SUPPORTED';
    return {
      ...base, make, compatible: false, reason: !found || found.incompatible === 'MAKE_NOT_COMPATIBLE' ? 'MAKE_NOT_COMPATIBLE' : 'VEHICLE_NOT_COMPATIBLE',
      capabilities: V3_CAPABILITIES.map((c) => entry(c, false, why)),
    };
  }
  const all = backend.models();
  const make = found.make.toUpperCase();
  const model = all.find((m) => m.make === make && m.model === found.model && m.startYear <= found.year && found.year <= m.endYear);
  const caps = new Set<Capability>(found.capabilities);
  return {
    ...base, make, model: found.model, year: found.year, powertrainType: v3Powertrain({ capabilities: found.capabilities }),
    compatible: true, reason: null,
    capabilities: V3_CAPABILITIES.map((c) => (answers(c, caps) ? entry(c, true, null) : entry(c, false, reasonFor(c, model, make, all)))),
  };
}
