import { ApiError } from '@opencar/core';
import type { Region } from '@opencar/connectors';

export const REGIONS: readonly Region[] = ['US', 'CA', 'EUROPE'];
/** `EV` is any vehicle with a traction battery that plugs in: BEV or PHEV. */
export const POWERTRAINS = ['ICE', 'BEV', 'PHEV', 'EV'] as const;
export type PowertrainFilter = typeof POWERTRAINS[number];

export interface CompatibilityFilters { region?: Region; make?: string; powertrainType?: PowertrainFilter }

type Query = Record<string, unknown>;

const invalid = (description: string) => new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description });

/** Refuses any query parameter but `allowed` (an unknown filter key names the filters there are) and repeated ones. */
export function checkParameters(query: Query, allowed: readonly string[]): void {
  for (const [k, v] of Object.entries(query)) {
    if (!allowed.includes(k)) {
      const what = k.startsWith('filter[') ? `Unknown filter ${k}` : `Unknown query parameter ${k}`;
      throw invalid(`${what}; the parameters are ${allowed.join(', ')}.`);
    }
    if (typeof v !== 'string') throw invalid(`Send ${k} once.`);
  }
}

/** One filter's value (case-insensitive), one of `allowed`; undefined when absent. */
export function oneOf<T extends string>(query: Query, name: string, allowed: readonly T[]): T | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const v = String(raw).trim().toUpperCase();
  const hit = allowed.find((a) => a === v);
  if (!hit) throw invalid(`${name} must be one of ${allowed.join(', ')} (got "${String(raw).slice(0, 40)}").`);
  return hit;
}

/** `filter[region]`, `filter[make]` (a make of the catalogue) and `filter[powertrainType]`. */
export function readFilters(query: Query, makes: readonly string[]): CompatibilityFilters {
  const out: CompatibilityFilters = {};
  const region = oneOf(query, 'filter[region]', REGIONS);
  if (region) out.region = region;
  const make = oneOf(query, 'filter[make]', makes);
  if (make) out.make = make;
  const powertrainType = oneOf(query, 'filter[powertrainType]', POWERTRAINS);
  if (powertrainType) out.powertrainType = powertrainType;
  return out;
}
