import type { Brand, CatalogueModel } from '../../backend.js';
import type { Region } from '../../connector.js';
import { capabilitiesOf, type BrandDef, type ModelDef } from './types.js';
import { BRANDS } from './brands/index.js';

export { BRANDS };
export type { BrandDef, ModelDef };

const byMake = new Map<string, BrandDef>(BRANDS.map((b) => [b.make, b]));

export function brandOf(make: string): BrandDef | undefined {
  return byMake.get(make.toUpperCase());
}

/** Connect's region for an ISO country (US, CA, otherwise Europe). */
export function regionOf(country: string): Region {
  const c = country.toUpperCase();
  return c === 'US' ? 'US' : c === 'CA' ? 'CA' : 'EUROPE';
}

export function brandsFor(country: string): Brand[] {
  const region = regionOf(country);
  return BRANDS.filter((b) => b.regions.includes(region))
    .map((b) => ({ make: b.make, displayName: b.displayName, regions: [...b.regions] }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en'));
}

let flat: readonly CatalogueModel[] | undefined;

/** Every model of every brand, flattened, with its capabilities (frozen, built once). */
export function allModels(): readonly CatalogueModel[] {
  flat ??= Object.freeze(BRANDS.flatMap((b) => b.models.map((md) => Object.freeze({
    make: b.make, model: md.model, startYear: md.startYear, endYear: md.endYear, powertrain: md.powertrain,
    batteryKwh: md.batteryKwh, tankLiters: md.tankLiters, regions: [...md.regions], capabilities: capabilitiesOf(b, md),
  }))));
  return flat;
}

/** Models of a brand sold in a region in a model year. */
export function modelsFor(brand: BrandDef, region: Region | undefined, year?: number): ModelDef[] {
  return brand.models.filter((md) => (region === undefined || md.regions.includes(region))
    && (year === undefined || (md.startYear <= year && year <= md.endYear)));
}
