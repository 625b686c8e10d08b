import type { Capability, Powertrain, Region } from '../connector.js';
import { modelsFor, type BrandDef } from './catalogue/index.js';
import { capabilitiesOf } from './catalogue/types.js';
import { hash32 } from './hash.js';

const FIRST_YEAR = 2015;
const LAST_YEAR = 2026;

/** What a Connect request asks of the vehicle: the capabilities of every requested permission, and of the required ones. */
export interface Wanted {
  requested?: readonly Capability[];
  required?: readonly Capability[];
}

export interface TestModeModel { modelIdx: number; year: number }

/**
 * Test mode's models for a request: of the brand's models sold in the region (and of a VIN login's
 * powertrains where the brand has one), those that provide every requested capability; else those
 * that provide every required one; else all of them (the vehicle is then incompatible with the request).
 * Returned as indices into `brand.models`, in catalogue order.
 */
export function testModeCandidates(brand: BrandDef, region: Region, wanted: Wanted, powertrain?: readonly Powertrain[]): number[] {
  let pool = modelsFor(brand, region).filter((md) => md.endYear >= FIRST_YEAR && md.startYear <= LAST_YEAR);
  if (pool.length === 0) pool = [...brand.models];
  if (powertrain) {
    const kind = pool.filter((md) => powertrain.includes(md.powertrain));
    if (kind.length) pool = kind;
  }
  const provides = (caps: readonly Capability[] | undefined) => {
    if (!caps?.length) return pool;
    return pool.filter((md) => { const has = new Set(capabilitiesOf(brand, md)); return caps.every((c) => has.has(c)); });
  };
  const all = provides(wanted.requested);
  const chosen = all.length ? all : provides(wanted.required);
  return (chosen.length ? chosen : pool).map((md) => brand.models.indexOf(md));
}

/** The model and year of an account's n-th test vehicle: chosen from the candidates by the login e-mail alone. */
export function testModeModel(brand: BrandDef, candidates: readonly number[], email: string, index: number): TestModeModel {
  const h = hash32(`${brand.make}:${email.trim().toLowerCase()}:${index}`);
  const modelIdx = candidates[h % candidates.length]!;
  const md = brand.models[modelIdx]!;
  const lo = Math.max(FIRST_YEAR, md.startYear);
  const hi = Math.max(lo, Math.min(LAST_YEAR, md.endYear));
  return { modelIdx, year: lo + (hash32(`${email.trim().toLowerCase()}:year:${index}`) % (hi - lo + 1)) };
}
