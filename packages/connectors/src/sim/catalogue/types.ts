import type { Capability, Powertrain, Region } from '../../connector.js';
import type { CatalogueModel } from '../../backend.js';
import { hasBrandEndpoints } from '../brand/index.js';

/** Which optional endpoints a brand's cloud exposes (before the powertrain decides battery vs fuel). */
export interface BrandFeatures {
  location: boolean;
  odometer: boolean;
  tires: boolean;
  oil: boolean;
  lockStatus: boolean;
  lockControl: boolean;
  chargeLimit: boolean;
  setChargeLimit: boolean;
  chargeControl: boolean;
  navigation: boolean;
  serviceHistory: boolean;
  diagnostics: boolean;
  /** Brand-specific endpoints (wire-contract §5.8), e.g. 'tesla'. */
  brandEndpoints: boolean;
}

/** A catalogue model as declared per brand: the public CatalogueModel fields plus the physics inputs. */
export interface ModelDef extends Omit<CatalogueModel, 'make' | 'capabilities'> {
  /** kWh per 100 km at 90 km/h and 20 °C (BEV/PHEV electric driving). */
  kwhPer100: number;
  /** Litres per 100 km at 90 km/h (ICE/HEV/PHEV). */
  litresPer100: number;
  /** AC charging power in kW (BEV/PHEV). */
  acKw: number;
}

export interface BrandDef {
  make: string;
  displayName: string;
  regions: Region[];
  /** World manufacturer identifiers (first three VIN characters); the first one is used for new VINs. */
  wmi: string[];
  /** Behaviour profile id (profiles/). */
  profile: string;
  features: BrandFeatures;
  models: ModelDef[];
}

export const ALL_REGIONS: Region[] = ['US', 'CA', 'EUROPE'];
export const NA: Region[] = ['US', 'CA'];
export const EU: Region[] = ['EUROPE'];

/** Feature sets that most brands share; brand files spread and override. */
export const FULL_FEATURES: BrandFeatures = {
  location: true, odometer: true, tires: true, oil: true, lockStatus: true, lockControl: true, chargeLimit: true,
  setChargeLimit: true, chargeControl: true, navigation: false, serviceHistory: false, diagnostics: false, brandEndpoints: false,
};

interface ModelOpts { kwh?: number; tank?: number; regions?: Region[]; eff?: number; lp100?: number; ac?: number }

/**
 * Compact model declaration: `m('Model 3', 2017, 2026, 'BEV', { kwh: 75 })`. Efficiency, fuel use
 * and AC power default from the powertrain and battery size when not given.
 */
export function m(model: string, startYear: number, endYear: number, powertrain: Powertrain, o: ModelOpts = {}): ModelDef {
  const hasBattery = powertrain === 'BEV' || powertrain === 'PHEV';
  const hasTank = powertrain !== 'BEV';
  const kwh = hasBattery ? o.kwh ?? (powertrain === 'BEV' ? 75 : 14) : null;
  const big = (kwh ?? 0) > 90;
  return {
    model, startYear, endYear, powertrain,
    batteryKwh: kwh,
    tankLiters: hasTank ? o.tank ?? (powertrain === 'PHEV' ? 45 : 55) : null,
    regions: o.regions ?? ALL_REGIONS,
    kwhPer100: hasBattery ? o.eff ?? (big ? 22 : powertrain === 'PHEV' ? 20 : 17) : 0,
    litresPer100: hasTank ? o.lp100 ?? (powertrain === 'HEV' ? 5 : powertrain === 'PHEV' ? 6.5 : 8.5) : 0,
    acKw: hasBattery ? o.ac ?? (powertrain === 'PHEV' ? 3.7 : 11) : 0,
  };
}

/** The capabilities a model of a brand has: powertrain decides battery vs fuel; the brand the rest. */
export function capabilitiesOf(brand: BrandDef, model: ModelDef): Capability[] {
  const f = brand.features;
  const ev = model.powertrain === 'BEV' || model.powertrain === 'PHEV';
  const fuel = model.powertrain !== 'BEV';
  const caps: Capability[] = ['attributes', 'vin'];
  if (f.location) caps.push('location');
  if (f.odometer) caps.push('odometer');
  if (fuel) caps.push('fuel');
  if (ev) caps.push('battery', 'battery_capacity', 'nominal_capacity', 'charge');
  if (ev && f.chargeLimit) caps.push('charge_limit');
  if (ev && f.setChargeLimit) caps.push('set_charge_limit');
  if (ev && f.chargeControl) caps.push('charge_control');
  if (f.tires) caps.push('tires');
  if (f.oil && fuel) caps.push('engine_oil');
  if (f.lockStatus) caps.push('lock_status');
  if (f.lockControl) caps.push('lock_control');
  if (f.navigation) caps.push('navigation');
  if (f.serviceHistory) caps.push('service_history');
  if (f.diagnostics) caps.push('diagnostics');
  if (ev) caps.push('charge_details', 'battery_details', 'charge_records', 'charge_timers');
  if (ev && f.chargeControl) caps.push('charge_port_control');
  caps.push('climate', 'low_voltage_battery', 'connectivity', 'vehicle_details', 'account_access');
  if (f.location) caps.push('motion', 'home_location');
  if (brand.make === 'TESLA') caps.push('surveillance');
  caps.push('wake');
  if (f.brandEndpoints && hasBrandEndpoints(brand.make, model.powertrain)) caps.push(`brand:${brand.make.toLowerCase()}`);
  return caps;
}
