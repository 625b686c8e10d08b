import { randomBytes } from 'node:crypto';
import type { Powertrain, Region } from '../connector.js';
import { accountKey } from './accounts.js';
import { brandOf, modelsFor } from './catalogue/index.js';
import { ControlError } from './control.js';
import type { SimEngine } from './engine/types.js';
import { newVehicle } from './factory.js';
import { hash32, stableUuid } from './hash.js';
import { makeVin } from './vin.js';

export const REGIONS: readonly Region[] = ['US', 'CA', 'EUROPE'];
export const POWERTRAINS: readonly Powertrain[] = ['BEV', 'PHEV', 'HEV', 'ICE'];

export interface AddVehicle {
  make: string;
  /** Model name of the brand's catalogue; empty or absent: the first model matching the other choices. */
  model?: string;
  /** Model year; absent: the model's latest year up to 2026. */
  year?: number;
  powertrain?: Powertrain;
  region: Region;
}

/** A vehicle made to order: how Connect finds it (brand, country, sign-in email) and what it is. */
export interface AddedVehicle {
  vehicleId: string; vin: string; make: string; brandName: string; model: string; year: number; powertrain: Powertrain;
  region: Region; mode: string;
  /** The sign-in email that opens its simulated account in Connect (any password). */
  email: string;
  /** A country of the region to pick in Connect. */
  country: string;
}

const COUNTRY: Record<Region, string> = { US: 'US', CA: 'CA', EUROPE: 'DE' };
const LOGIN_KIND: Record<Powertrain, string> = { BEV: 'bev', PHEV: 'phev', HEV: 'fuel', ICE: 'fuel' };
const LAST_YEAR = 2026;
const FIRST_YEAR = 2015;

/**
 * Creates a simulated vehicle exactly as chosen, in a simulated OEM account of its own that belongs
 * to the app. The account answers the VIN sign-in convention (`<VIN>@bev.smartcar.com` …), so the
 * app's Connect in simulated mode finds it with any password, and the app then controls it like any
 * connected vehicle. (Test mode picks its models from what the app asks for, so it is not offered.)
 */
export async function addVehicle(engine: SimEngine, now: number, appId: string, p: AddVehicle): Promise<AddedVehicle> {
  const brand = brandOf(p.make);
  if (!brand) throw new ControlError('unknownMake', { make: p.make });
  const region = p.region;
  const model = p.model?.trim() ?? '';
  const fits = modelsFor(brand, region, p.year).filter((md) => (!model || md.model.toLowerCase() === model.toLowerCase())
    && (!p.powertrain || md.powertrain === p.powertrain) && md.endYear >= FIRST_YEAR && (p.year === undefined || p.year >= FIRST_YEAR));
  const md = fits[0];
  if (!md || !brand.regions.includes(region)) {
    throw new ControlError('noModel', { make: brand.displayName, model: model || p.powertrain || '', year: p.year ?? '', region });
  }
  const year = p.year ?? Math.min(LAST_YEAR, md.endYear);
  const modelIdx = brand.models.indexOf(md);
  const vin = makeVin(brand, modelIdx, year, hash32(randomBytes(8).toString('hex')));
  const email = `${vin}@${LOGIN_KIND[md.powertrain]}.smartcar.com`;
  const accountId = stableUuid(accountKey(brand.make, email, 'simulated', appId));
  const vehicleId = stableUuid(`${accountId}:vehicle:0`);
  await engine.ensureAccount(
    { id: accountId, make: brand.make, email: email.toLowerCase(), mode: 'simulated', country: COUNTRY[region], createdAt: now, appId },
    () => [newVehicle({ id: vehicleId, accountId, brand, region, mode: 'simulated', now, vin, modelIdx, year })],
  );
  return {
    vehicleId, vin, make: brand.make, brandName: brand.displayName, model: md.model, year, powertrain: md.powertrain,
    region, mode: 'simulated', email, country: COUNTRY[region],
  };
}
