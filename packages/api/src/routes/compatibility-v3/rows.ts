import type { CatalogueModel } from '@opencar/connectors';
import { REGIONS, type CompatibilityFilters } from './query.js';
import { supported, v3Powertrain } from './capabilities.js';

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** The powertrain filter matches: `EV` is BEV or PHEV. */
const powertrainMatches = (filter: CompatibilityFilters['powertrainType'], pt: string) => !filter || filter === pt || (filter === 'EV' && (pt === 'BEV' || pt === 'PHEV'));

/**
 * One `compatible-vehicle` resource per catalogue model and region it is sold in (make, model,
 * region, powertrain, year range), with the v3 signals and commands it supports, filtered and sorted
 * by make, model, region (US, CA, EUROPE) and first year.
 */
export function compatibleVehicles(models: readonly CatalogueModel[], f: CompatibilityFilters): Record<string, unknown>[] {
  const rows: { sort: string; resource: Record<string, unknown> }[] = [];
  for (const m of models) {
    if (f.make && m.make !== f.make) continue;
    const powertrainType = v3Powertrain(m);
    if (!powertrainMatches(f.powertrainType, powertrainType)) continue;
    const capabilities = supported(new Set(m.capabilities));
    for (const [i, region] of REGIONS.entries()) {
      if (!m.regions.includes(region) || (f.region && f.region !== region)) continue;
      rows.push({
        sort: `${m.make}\u0000${m.model}\u0000${i}\u0000${m.startYear}`,
        resource: {
          id: slug(`${m.make} ${m.model} ${powertrainType} ${region} ${m.startYear} ${m.endYear}`), type: 'compatible-vehicle',
          attributes: { make: m.make, model: m.model, region, powertrainType, years: { start: m.startYear, end: m.endYear }, capabilities },
        },
      });
    }
  }
  return rows.sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0)).map((r) => r.resource);
}

/** The makes of the catalogue (upper case), sorted. */
export const catalogueMakes = (models: readonly CatalogueModel[]): string[] => [...new Set(models.map((m) => m.make))].sort();
