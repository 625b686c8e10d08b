import type { UnitSystem } from '@opencar/connectors';

/** Unit-bearing quantities of v2 bodies; everything else (percentages, kWh, coordinates) is unit-free. */
export type Quantity = 'distance' | 'volume' | 'pressure' | 'temperature' | 'speed';

const KM_PER_MILE = 1.609344;
const LITRES_PER_US_GALLON = 3.785411784;
const KPA_PER_PSI = 6.894757293168;

const round = (n: number) => Math.round(n * 1e4) / 1e4;

/** Converts one metric value into the imperial unit of its quantity (km→mi, L→US gal, kPa→psi, °C→°F, km/h→mph). */
export function toImperial(q: Quantity, metric: number): number {
  switch (q) {
    case 'distance': case 'speed': return round(metric / KM_PER_MILE);
    case 'volume': return round(metric / LITRES_PER_US_GALLON);
    case 'pressure': return round(metric / KPA_PER_PSI);
    case 'temperature': return round(metric * 9 / 5 + 32);
  }
}

/** Field → quantity map for one body shape; nested paths use dots, `*` walks every array item. */
export type UnitFields = Readonly<Record<string, Quantity>>;

function convertPath(target: unknown, parts: string[], q: Quantity): void {
  if (target === null || typeof target !== 'object') return;
  const [head, ...rest] = parts;
  if (head === undefined) return;
  if (head === '*') {
    if (Array.isArray(target)) for (const item of target) convertPath(item, rest, q);
    return;
  }
  const obj = target as Record<string, unknown>;
  if (rest.length === 0) {
    const v = obj[head];
    if (typeof v === 'number') obj[head] = toImperial(q, v);
    return;
  }
  convertPath(obj[head], rest, q);
}

/** Returns the body in the requested unit system (a converted deep copy for imperial; metric untouched). */
export function inUnits<T>(body: T, fields: UnitFields | undefined, system: UnitSystem): T {
  if (system === 'metric' || !fields) return body;
  const copy = structuredClone(body);
  for (const [path, q] of Object.entries(fields)) convertPath(copy, path.split('.'), q);
  return copy;
}

/** `sc-unit-system` request header, matched case-insensitively; anything unknown means metric. */
export function requestedUnits(header: string | string[] | undefined): UnitSystem {
  const v = Array.isArray(header) ? header[0] : header;
  return v?.trim().toLowerCase() === 'imperial' ? 'imperial' : 'metric';
}
