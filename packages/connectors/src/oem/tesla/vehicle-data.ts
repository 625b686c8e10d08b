import { VehicleError } from '../../errors.js';

/**
 * Tesla `vehicle_data`: the sections opencar reads (charge_state, drive_state, vehicle_state,
 * climate_state, vehicle_config, gui_settings), checked field by field where they are used, so a
 * malformed answer becomes UPSTREAM:INVALID_DATA instead of a crash or a wrong value.
 */
export type Section = 'charge_state' | 'drive_state' | 'vehicle_state' | 'climate_state' | 'vehicle_config' | 'gui_settings';
export const SECTIONS: readonly Section[] = ['charge_state', 'drive_state', 'vehicle_state', 'climate_state', 'vehicle_config', 'gui_settings'];

/** Values of `endpoints=`; `location_data` adds the location fields to drive_state. */
export type Endpoint = Section | 'location_data';

export type Fields = Record<string, unknown>;

/** What opencar knows of a vehicle: the sections Tesla returned, each with when opencar received it. */
export interface Snapshot {
  state: string | null;
  /** The connected account's role on the car (`OWNER`, `DRIVER`), from the top level of vehicle_data. */
  accessType?: string | null;
  sections: Partial<Record<Section, Fields>>;
  fetchedAt: Partial<Record<Section, number>>;
}

export const emptySnapshot = (): Snapshot => ({ state: null, sections: {}, fetchedAt: {} });

const invalid = (what: string) => new VehicleError({ kind: 'upstream', code: 'INVALID_DATA' }, `Tesla vehicle_data: ${what}`);

/** The sections of a `vehicle_data` response; anything that is not an object there is invalid. */
export function parseVehicleData(response: unknown, retrievedAt: number): Snapshot {
  if (!response || typeof response !== 'object' || Array.isArray(response)) throw invalid('response is not an object');
  const r = response as Record<string, unknown>;
  const out = emptySnapshot();
  out.state = typeof r.state === 'string' ? r.state : null;
  out.accessType = typeof r.access_type === 'string' ? r.access_type : null;
  for (const s of SECTIONS) {
    const v = r[s];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'object' || Array.isArray(v)) throw invalid(`${s} is not an object`);
    out.sections[s] = v as Fields;
    out.fetchedAt[s] = retrievedAt;
  }
  return out;
}

/** `older` updated with the sections of `newer`. */
export function mergeSnapshots(older: Snapshot, newer: Snapshot): Snapshot {
  return {
    state: newer.state ?? older.state,
    accessType: newer.accessType ?? older.accessType ?? null,
    sections: { ...older.sections, ...newer.sections },
    fetchedAt: { ...older.fetchedAt, ...newer.fetchedAt },
  };
}

export function section(s: Snapshot, name: Section): Fields {
  const f = s.sections[name];
  if (!f) throw invalid(`${name} missing from the answer`);
  return f;
}

export function num(f: Fields, key: string): number {
  const v = f[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${key} is not a number`);
  return v;
}

export function optNum(f: Fields, key: string): number | null {
  const v = f[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${key} is not a number`);
  return v;
}

export function bool(f: Fields, key: string): boolean {
  const v = f[key];
  if (typeof v !== 'boolean') throw invalid(`${key} is not a boolean`);
  return v;
}

export function optBool(f: Fields, key: string): boolean | null {
  const v = f[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') throw invalid(`${key} is not a boolean`);
  return v;
}

export function str(f: Fields, key: string): string {
  const v = f[key];
  if (typeof v !== 'string') throw invalid(`${key} is not a string`);
  return v;
}

export function optStr(f: Fields, key: string): string | null {
  const v = f[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw invalid(`${key} is not a string`);
  return v;
}

/** Whether a snapshot holds every section a read needs (for serving without waking the car). */
export function covers(s: Snapshot, endpoints: readonly Endpoint[]): boolean {
  return endpoints.every((e) => {
    if (e === 'location_data') return typeof s.sections.drive_state?.latitude === 'number';
    return s.sections[e] !== undefined;
  });
}
